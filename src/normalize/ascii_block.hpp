// Stage: normalize (private). The ASCII fast path of folding: byte classes shared by
// the markup readers, and fold_ascii_run(), which lower-cases (or, rendering for
// humans, copies) a run of visible ASCII (with single white-space bytes inside it)
// 16 bytes at a time with SSE2.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace newshound::normalize_detail {

/// Byte classes of the ASCII fast path (bit flags).
enum ByteClass : std::uint8_t {
  kSpace = 1,     ///< white space or control character: folds to a space run
  kMarkdown = 2,  ///< may start Markdown markup: [ ] ! * _
  kHtml = 4,      ///< may start HTML markup: < &
  kHigh = 8,      ///< byte >= 0x80: decode and fold the code point
};

namespace tables {
constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kSpace;  // controls, including '\0', fold to space
  t[' '] = kSpace;
  t[0x7F] = kSpace;
  for (unsigned char c : {'[', ']', '!', '*', '_'}) t[c] = kMarkdown;
  t['<'] = kHtml;
  t['&'] = kHtml;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kHigh;
  return t;
}

constexpr std::array<char, 256> make_lower() {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = static_cast<char>((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
  }
  return t;
}
}  // namespace tables

/// Class flags for each byte value.
inline constexpr std::array<std::uint8_t, 256> kByteClass = tables::make_classes();
/// ASCII lower-casing table (identity for bytes that are not upper-case letters).
inline constexpr std::array<char, 256> kLowerByte = tables::make_lower();

/// Bytes the block loop may store past the end of a run (callers reserve them).
inline constexpr std::size_t kBlock = 16;

/// True if s[i] (i < n) is a byte of the fast path under `mask`.
inline bool plain_at(const unsigned char* s, std::size_t i, std::size_t n, std::uint8_t mask) {
  return i < n && (kByteClass[s[i]] & mask) == 0;
}

#if defined(__SSE2__)
/// Bit k set: byte k of `v` may start markup (Markdown `[ ] ! * _` when
/// `markdown`, HTML `<` `&` when `html`).
inline unsigned markup_bits(__m128i v, bool markdown, bool html) {
  unsigned bits = 0;
  if (markdown) {
    const __m128i md = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('[')), _mm_cmpeq_epi8(v, _mm_set1_epi8(']'))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('*'))),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    bits |= static_cast<unsigned>(_mm_movemask_epi8(md));
  }
  if (html) {
    const __m128i hm =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')), _mm_cmpeq_epi8(v, _mm_set1_epi8('&')));
    bits |= static_cast<unsigned>(_mm_movemask_epi8(hm));
  }
  return bits;
}
#endif

/// Folds the run starting at s[i] (a byte with no class bit in `mask`) into `out`:
/// bytes without a class bit in `mask` are lower-cased (kept as they are when
/// `Lower` is false: plain rendering for humans); a white-space byte whose next
/// byte is such a byte becomes ' '. Stops at any other byte or at n and returns
/// that index; wrote (index - i) bytes, and may have stored up to kBlock bytes
/// beyond them (`out` must have room for n - i + kBlock bytes).
template <bool Lower = true>
inline std::size_t fold_ascii_run(const unsigned char* s, std::size_t i, std::size_t n,
                                  std::uint8_t mask, char* out) {
#if defined(__SSE2__)
  const bool markdown = (mask & kMarkdown) != 0;
  const bool html = (mask & kHtml) != 0;
  const __m128i upper_lo = _mm_set1_epi8('A' - 1);
  const __m128i upper_hi = _mm_set1_epi8('Z' + 1);
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i space_hi = _mm_set1_epi8(0x21);
  const __m128i del = _mm_set1_epi8(0x7F);
  while (i + kBlock <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    // Signed compares: bytes >= 0x80 are negative, so never upper case; they are
    // "below 0x21" too, which the high mask removes from the space mask.
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v));
    const __m128i ctl = _mm_or_si128(_mm_cmplt_epi8(v, space_hi), _mm_cmpeq_epi8(v, del));
    const unsigned space = static_cast<unsigned>(_mm_movemask_epi8(ctl)) & ~high;
    const unsigned other = high | markup_bits(v, markdown, html);
    // A space is kept only if the byte after it is plain (bit 16: the next block).
    const unsigned not_plain = space | other | (plain_at(s, i + kBlock, n, mask) ? 0u : 0x10000u);
    const unsigned stop = other | (space & (not_plain >> 1));
    __m128i lower = v;
    if constexpr (Lower) {
      const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, upper_lo), _mm_cmplt_epi8(v, upper_hi));
      lower = _mm_add_epi8(v, _mm_and_si128(upper, case_bit));
    }
    const __m128i folded = _mm_or_si128(_mm_and_si128(ctl, case_bit), _mm_andnot_si128(ctl, lower));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), folded);
    if (stop != 0) return i + static_cast<std::size_t>(__builtin_ctz(stop));
    i += kBlock;
    out += kBlock;
  }
#endif
  for (; i < n; ++i) {
    const std::uint8_t cls = kByteClass[s[i]] & mask;
    if (cls == 0) {
      *out++ = Lower ? kLowerByte[s[i]] : static_cast<char>(s[i]);
    } else if (cls == kSpace && plain_at(s, i + 1, n, mask)) {
      *out++ = ' ';
    } else {
      break;
    }
  }
  return i;
}

}  // namespace newshound::normalize_detail

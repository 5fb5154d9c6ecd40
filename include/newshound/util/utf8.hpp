// Shared utility: UTF-8 decoding, encoding and repair, used by the normalize stage
// (folding and rendering article text) and the encode stage (alert strings). The
// decoder is inline so the normalize hot path stays a table-driven loop. Every
// function is bounds-checked and never reads past its input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace newshound::utf8 {

/// U+FFFD REPLACEMENT CHARACTER, which stands for every invalid sequence.
inline constexpr char32_t kReplacement = 0xFFFD;

/// One decoded code point.
struct Decoded {
  char32_t cp;        ///< the code point, or U+FFFD for an invalid sequence
  std::uint32_t len;  ///< bytes consumed, >= 1 whenever n >= 1
  bool valid;         ///< false if the bytes were not well-formed UTF-8
};

/// Decodes the code point starting at s[0] (n bytes available, n >= 1). An invalid
/// sequence yields U+FFFD and consumes its maximal valid prefix (at least one byte),
/// as the Unicode "maximal subpart" practice recommends. Rejects overlongs,
/// surrogates and values above U+10FFFF.
inline Decoded decode(const unsigned char* s, std::size_t n) {
  const unsigned char c = s[0];
  if (c < 0x80) return {c, 1, true};
  std::uint32_t need;
  char32_t cp;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;  // no overlongs
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;  // no overlongs
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {kReplacement, 1, false};
  }
  std::uint32_t i = 1;
  for (; i <= need; ++i) {
    if (i >= n) return {kReplacement, i, false};
    const unsigned char b = s[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return {kReplacement, i, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1, true};
}

/// Decodes the code point starting at s[pos] (pos < s.size()).
inline Decoded decode(std::string_view s, std::size_t pos) {
  return decode(reinterpret_cast<const unsigned char*>(s.data()) + pos, s.size() - pos);
}

/// True for a Unicode scalar value (not a surrogate, not above U+10FFFF).
inline bool is_scalar(char32_t cp) {
  return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

/// Encodes a valid scalar value into out (at least 4 bytes); returns the length.
inline std::uint32_t encode(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

/// True if byte c continues a multi-byte sequence (10xxxxxx).
inline bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// Appends `cp` (a valid scalar value; anything else appends U+FFFD) as UTF-8.
void append(std::string& out, char32_t cp);

/// Byte offset of the first ill-formed sequence in `s`, or npos if it is all valid.
std::size_t first_invalid(std::string_view s);

/// True if all of `s` is well-formed UTF-8.
bool is_valid(std::string_view s);

/// Appends `s` with each invalid sequence (maximal subpart) replaced by U+FFFD.
void append_valid(std::string& out, std::string_view s);

/// `s` for a message: unchanged if at most `max_bytes` long, else its first code
/// points within `max_bytes`, then "..." and the full length ("... (5000 bytes)").
std::string shorten(std::string_view s, std::size_t max_bytes);

}  // namespace newshound::utf8

// Stage: normalize (private). Bounds-checked UTF-8 decoding and encoding shared by the
// folder and the word-boundary helpers. Never reads past the input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace newshound::normalize_detail {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t cp;        ///< the code point, or U+FFFD for an invalid sequence
  std::uint32_t len;  ///< bytes consumed, >= 1 whenever n >= 1
};

/// Decodes the code point starting at s[0] (n bytes available, n >= 1). An invalid
/// sequence yields U+FFFD and consumes its maximal valid prefix (at least one byte),
/// as the Unicode "maximal subpart" practice recommends.
inline Decoded decode_utf8(const unsigned char* s, std::size_t n) {
  const unsigned char c = s[0];
  if (c < 0x80) return {c, 1};
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
    return {kReplacement, 1};
  }
  std::uint32_t i = 1;
  for (; i <= need; ++i) {
    if (i >= n) return {kReplacement, i};
    const unsigned char b = s[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return {kReplacement, i};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1};
}

/// Encodes a valid scalar value into out (at least 4 bytes); returns the length.
inline std::uint32_t encode_utf8(char32_t cp, char* out) {
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

/// True for a Unicode scalar value (not a surrogate, not above U+10FFFF).
inline bool is_scalar(char32_t cp) {
  return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

}  // namespace newshound::normalize_detail

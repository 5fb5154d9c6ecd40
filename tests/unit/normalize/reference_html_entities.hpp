// Stage: normalize (tests; frozen reference copy of src/normalize, do not optimise). HTML character
// references: named (the common typographic ones and all of Latin-1) and numeric, decimal or
// hexadecimal.
#pragma once

#include <cstddef>
#include <cstdint>

namespace newshound::reference_detail {

struct Entity {
  char32_t cp = 0;        ///< decoded code point (a valid scalar value)
  std::uint32_t len = 0;  ///< bytes of the reference, '&' through ';'
};

/// Decodes the character reference at s[0] == '&' (n bytes available). Requires the
/// closing ';'. Returns false (the '&' is then plain text) for an unknown name or a
/// malformed reference. Numeric references to 0, surrogates or values above
/// U+10FFFF decode to U+FFFD; 0x80-0x9F are read as Windows-1252, as browsers do.
bool decode_entity(const unsigned char* s, std::size_t n, Entity& out);

}  // namespace newshound::reference_detail

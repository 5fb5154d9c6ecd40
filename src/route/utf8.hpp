// Stage: route (private). Minimal UTF-8 helpers for alert text: decoding one code
// point, stepping back to a code point boundary, and copying with invalid bytes
// replaced, so every alert string is valid UTF-8 whatever the feed sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newshound::utf8 {

/// One decoded code point. `len` is at least 1; an invalid sequence decodes as one
/// byte with `valid == false`.
struct CodePoint {
  char32_t cp = 0;
  std::uint32_t len = 1;
  bool valid = false;
};

/// Decodes the code point starting at `pos` (pos < s.size()).
CodePoint decode(std::string_view s, std::size_t pos);

/// The start of the code point that ends at `pos` (pos > 0). Invalid bytes count
/// as one code point each.
std::size_t prev_boundary(std::string_view s, std::size_t pos);

/// Unicode white space (ASCII space and controls \t..\r, NEL, NBSP, the U+2000
/// spaces, line/paragraph separators, ideographic space).
bool is_space(char32_t cp);

/// Appends `cp` encoded as UTF-8.
void append(std::string& out, char32_t cp);

/// Appends `s`, replacing each invalid byte with U+FFFD.
void append_valid(std::string& out, std::string_view s);

}  // namespace newshound::utf8

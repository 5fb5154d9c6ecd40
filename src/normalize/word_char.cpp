// Stage: normalize. Word-boundary tests on folded text, used by the match stage to
// check that a literal hit starts and ends at a word boundary: a word character is
// a letter or digit (Unicode L* or N*), ASCII by table, the rest through utf8proc.
#include <utf8proc.h>

#include <array>

#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {
namespace {

using utf8::kReplacement;

constexpr std::array<bool, 128> make_ascii_word() {
  std::array<bool, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  return t;
}

constexpr auto kAsciiWord = make_ascii_word();

bool is_word(char32_t cp) {
  if (cp < 0x80) return kAsciiWord[cp];
  if (cp == kReplacement) return false;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool word_char_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  if (s[pos] < 0x80) return kAsciiWord[s[pos]];
  return is_word(utf8::decode(s + pos, text.size() - pos).cp);
}

bool word_char_before(std::string_view text, std::size_t pos) {
  if (pos == 0 || pos > text.size()) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  if (s[pos - 1] < 0x80) return kAsciiWord[s[pos - 1]];
  std::size_t start = pos - 1;  // back over at most three continuation bytes
  while (start > 0 && pos - start < 4 && (s[start] & 0xC0) == 0x80) --start;
  const utf8::Decoded d = utf8::decode(s + start, pos - start);
  if (d.len != pos - start) return false;  // the bytes before pos are not one code point
  return is_word(d.cp);
}

}  // namespace newshound

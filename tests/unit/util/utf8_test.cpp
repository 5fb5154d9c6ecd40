// Tests (util): UTF-8 decoding, encoding and repair: every well-formed length,
// the maximal-subpart rule for invalid input, and bounds at the end of the input.
#include <catch2/catch.hpp>
#include <string>

#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {
utf8::Decoded at(std::string_view s, std::size_t pos = 0) {
  return utf8::decode(s, pos);
}
}  // namespace

TEST_CASE("utf8: decodes one to four byte sequences") {
  CHECK(at("A").cp == U'A');
  CHECK(at("\xC3\xA9").cp == U'\u00E9');  // é
  CHECK(at("\xC3\xA9").len == 2);
  CHECK(at("\xE2\x80\x99").cp == U'\u2019');  // ’
  CHECK(at("\xE2\x80\x99").len == 3);
  const auto four = at("\xF0\x9F\x93\xB0");  // 📰
  CHECK(four.cp == U'\U0001F4F0');
  CHECK(four.len == 4);
  CHECK(four.valid);
  CHECK(at("x\xC3\xA9", 1).cp == U'\u00E9');
}

TEST_CASE("utf8: an invalid sequence is U+FFFD and consumes its maximal valid prefix") {
  const auto lone = at("\x80z");  // a continuation byte alone
  CHECK(lone.cp == utf8::kReplacement);
  CHECK(lone.len == 1);
  CHECK_FALSE(lone.valid);
  CHECK(at("\xC0\xAF").len == 1);             // overlong lead byte
  CHECK_FALSE(at("\xE0\x80\x80").valid);      // overlong three-byte form
  CHECK_FALSE(at("\xED\xA0\x80").valid);      // a surrogate
  CHECK_FALSE(at("\xF4\x90\x80\x80").valid);  // above U+10FFFF
  const auto cut = at("\xE2\x80z");           // a truncated sequence stops before the 'z'
  CHECK(cut.len == 2);
  CHECK_FALSE(cut.valid);
  const auto end = at("\xF0\x9F");  // input ends inside the sequence
  CHECK(end.len == 2);
  CHECK_FALSE(end.valid);
}

TEST_CASE("utf8: encode and append round-trip every length, non-scalars become U+FFFD") {
  for (char32_t cp : {U'a', U'\u00E9', U'\u2019', U'\U0001F4F0'}) {
    char buf[4];
    const auto n = utf8::encode(cp, buf);
    const auto d = utf8::decode(reinterpret_cast<const unsigned char*>(buf), n);
    CHECK(d.cp == cp);
    CHECK(d.len == n);
  }
  std::string out;
  utf8::append(out, U'\u00E9');
  utf8::append(out, 0xD800);  // a surrogate is not a scalar value
  CHECK(out == "\xC3\xA9\xEF\xBF\xBD");
  CHECK(utf8::is_scalar(0x10FFFF));
  CHECK_FALSE(utf8::is_scalar(0x110000));
  CHECK(utf8::is_continuation('\x80'));
  CHECK_FALSE(utf8::is_continuation('A'));
}

TEST_CASE("utf8: validity checks and repair") {
  CHECK(utf8::is_valid("Zo\xC3\xAB \xE2\x80\x9Cquoted\xE2\x80\x9D"));
  CHECK(utf8::first_invalid("ok") == std::string_view::npos);
  CHECK(utf8::first_invalid("ab\xFF"
                            "cd") == 2);
  CHECK_FALSE(utf8::is_valid("\xC3"));
  std::string repaired;
  utf8::append_valid(repaired, "a\xFF\xE2\x80z");
  CHECK(repaired == "a\xEF\xBF\xBD\xEF\xBF\xBDz");
  CHECK(utf8::is_valid(repaired));
}

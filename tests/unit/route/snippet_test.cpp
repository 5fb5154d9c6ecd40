// Stage: route tests. snippet(): word windows, white space, HTML, UTF-8 cuts.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "newshound/route/alert_encoder.hpp"

using newshound::snippet;

namespace {

const std::string kEll = "\xE2\x80\xA6";

// Offsets of `needle` in `hay` (first occurrence), as snippet() takes them.
std::pair<std::uint32_t, std::uint32_t> span_of(std::string_view hay, std::string_view needle) {
  const auto pos = hay.find(needle);
  REQUIRE(pos != std::string_view::npos);
  return {static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + needle.size())};
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80             ? 1
                      : (b & 0xE0) == 0xC0 ? 2
                      : (b & 0xF0) == 0xE0 ? 3
                      : (b & 0xF8) == 0xF0 ? 4
                                           : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

}  // namespace

TEST_CASE("snippet: hard-wrapped text collapses to single spaces", "[route][snippet]") {
  const std::string body =
      "MOSCOW, Nov 23 (Wire) - Russian Foreign Minister Sergei\n"
      "   Lavrov's deputy said on Monday that talks with\r\n"
      "\tNATO envoys   would resume next week, according to officials.";
  const auto [s, e] = span_of(body, "Sergei\n   Lavrov");
  CHECK(snippet(body, s, e, false, 3) ==
        kEll + "Russian Foreign Minister Sergei Lavrov's deputy said on" + kEll);
  CHECK(snippet(body, s, e, false, 0) == kEll + "Sergei Lavrov's" + kEll);
}

TEST_CASE("snippet: match at the start and at the end of the field", "[route][snippet]") {
  const std::string head = "NATO chiefs meet in Brussels as U.S. weighs options";
  auto [s, e] = span_of(head, "NATO");
  CHECK(snippet(head, s, e, false, 2) == "NATO chiefs meet" + kEll);
  std::tie(s, e) = span_of(head, "options");
  CHECK(snippet(head, s, e, false, 2) == kEll + "U.S. weighs options");
  // Whole field within the window: no ellipsis anywhere, leading/trailing space gone.
  const std::string padded = "  \n Édouard Philippe resigns \n";
  std::tie(s, e) = span_of(padded, "Édouard Philippe");
  CHECK(snippet(padded, s, e, false, 6) == "Édouard Philippe resigns");
}

TEST_CASE("snippet: HTML tags removed, entities decoded", "[route][snippet]") {
  const std::string body =
      "<p>Officials in <a href=\"/x\">Paris</a> said</p>\n<p>Vladimir <b>Putin</b>&#8217;s "
      "envoy &amp; aides&nbsp;left.</p>";
  const auto [s, e] = span_of(body, "Vladimir <b>Putin</b>");
  CHECK(snippet(body, s, e, true, 2) ==
        kEll + "Paris said Vladimir Putin\xE2\x80\x99s envoy &" + kEll);
  // Block tags separate words even without white space.
  const std::string blocks = "<p>Lavrov</p><p>spoke</p>";
  CHECK(snippet(blocks, 3, 9, true, 6) == "Lavrov spoke");
  // The same bytes as plain text keep their markup verbatim.
  CHECK(snippet(body, s, e, false, 0).find("<b>Putin</b>") != std::string::npos);
}

TEST_CASE("snippet: cuts only at code point boundaries", "[route][snippet]") {
  // One long "word" of 3-byte characters before and after the match.
  std::string dash;
  for (int i = 0; i < 200; ++i) dash += "\xE2\x80\x94";  // —
  const std::string text = dash + " Lavrov " + dash;
  const auto [s, e] = span_of(text, "Lavrov");
  const std::string out = snippet(text, s, e, false, 2);
  CHECK(valid_utf8(out));
  CHECK(out.find("Lavrov") != std::string::npos);
  CHECK(out.rfind(kEll, 0) == 0);                         // starts with …
  CHECK(out.substr(out.size() - kEll.size()) == kEll);    // ends with …
  CHECK(out.size() <= 2 * 3 * 32 + 8 + 2 * kEll.size());  // capped per side
  // Offsets inside a multi-byte character widen to include it whole.
  const std::string word = "Zürich";
  const std::string sn = snippet(word, 2, 3, false, 1);  // inside "ü"
  CHECK(sn == "Zürich");
}

TEST_CASE("snippet: invalid UTF-8 and wild offsets never break it", "[route][snippet]") {
  const std::string bad = "abc \xFF\xC3 Lavrov \xE2\x80 end";
  const auto [s, e] = span_of(bad, "Lavrov");
  const std::string out = snippet(bad, s, e, false, 6);
  CHECK(valid_utf8(out));
  CHECK(out == "abc \xEF\xBF\xBD\xEF\xBF\xBD Lavrov \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(snippet("short", 100, 200, false) == "short");
  CHECK(snippet("short", 3, 1, false, 0) == "short");
  CHECK(snippet("", 0, 0, true) == "");
  // Unclosed '<' in HTML is text, not a tag.
  CHECK(snippet("a < b Putin", 6, 11, true, 6) == "a < b Putin");
}

// Stage: encode tests. snippet(): word windows, white space, Markdown, HTML, UTF-8 cuts.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "newshound/encode/alert_encoder.hpp"

using newshound::Markup;
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
  CHECK(snippet(body, s, e, Markup::text, 3) ==
        kEll + "Russian Foreign Minister Sergei Lavrov's deputy said on" + kEll);
  CHECK(snippet(body, s, e, Markup::text, 0) == kEll + "Sergei Lavrov's" + kEll);
}

TEST_CASE("snippet: match at the start and at the end of the field", "[route][snippet]") {
  const std::string head = "NATO chiefs meet in Brussels as U.S. weighs options";
  auto [s, e] = span_of(head, "NATO");
  CHECK(snippet(head, s, e, Markup::text, 2) == "NATO chiefs meet" + kEll);
  std::tie(s, e) = span_of(head, "options");
  CHECK(snippet(head, s, e, Markup::text, 2) == kEll + "U.S. weighs options");
  // Whole field within the window: no ellipsis anywhere, leading/trailing space gone.
  const std::string padded = "  \n Édouard Philippe resigns \n";
  std::tie(s, e) = span_of(padded, "Édouard Philippe");
  CHECK(snippet(padded, s, e, Markup::text, 6) == "Édouard Philippe resigns");
}

TEST_CASE("snippet: Markdown emphasis and links removed", "[route][snippet]") {
  const std::string body =
      "BRUSSELS \xE2\x80\x94 NATO Secretary General **Jens Stoltenberg** [said](#) on\n"
      "Tuesday that __allies__ would [meet](https://example.org/a_b) again.";
  auto [s, e] = span_of(body, "Jens Stoltenberg");
  CHECK(snippet(body, s, e, Markup::markdown, 3) ==
        kEll + "NATO Secretary General Jens Stoltenberg said on Tuesday" + kEll);
  std::tie(s, e) = span_of(body, "allies");
  CHECK(snippet(body, s, e, Markup::markdown, 6) ==
        kEll + "Jens Stoltenberg said on Tuesday that allies would meet again.");
  // The match inside a link's text: the url never shows.
  std::tie(s, e) = span_of(body, "meet");
  CHECK(snippet(body, s, e, Markup::markdown, 1) == kEll + "would meet again.");
  // As plain text the same bytes keep their markup.
  std::tie(s, e) = span_of(body, "Jens");
  CHECK(snippet(body, s, e, Markup::text, 1) == kEll + "General **Jens Stoltenberg**" + kEll);
}

TEST_CASE("snippet: markup cut by the read window does not leak", "[route][snippet]") {
  const std::string url = "https://example.org/" + std::string(1900, 'q');
  // A Markdown link whose url starts before the window: its tail is not shown.
  const std::string md = "Officials [said](" + url + ") NATO will meet";
  auto [s, e] = span_of(md, "NATO");
  CHECK(snippet(md, s, e, Markup::markdown, 2) == kEll + "NATO will meet");
  // Same for an HTML tag whose '<' lies before the window, and one cut at the end.
  const std::string html =
      "<p>Before <a href=\"" + url + "\">NATO</a> said <a href=\"" + url + "\">this</a></p>";
  std::tie(s, e) = span_of(html, "NATO");
  CHECK(snippet(html, s, e, Markup::html, 2) == kEll + "NATO said" + kEll);
  // A plain word split by the window edge is dropped, not shown in part.
  const std::string words = std::string(900, 'x') + " Lavrov";
  std::tie(s, e) = span_of(words, "Lavrov");
  CHECK(snippet(words, s, e, Markup::text, 2) == kEll + "Lavrov");
}

TEST_CASE("snippet: HTML tags removed, entities decoded", "[route][snippet]") {
  const std::string body =
      "<p>Officials in <a href=\"/x\">Paris</a> said</p>\n<p>Vladimir <b>Putin</b>&#8217;s "
      "envoy &amp; aides&nbsp;left.</p>";
  const auto [s, e] = span_of(body, "Vladimir <b>Putin</b>");
  CHECK(snippet(body, s, e, Markup::html, 2) ==
        kEll + "Paris said Vladimir Putin\xE2\x80\x99s envoy &" + kEll);
  // Block tags separate words even without white space.
  const std::string blocks = "<p>Lavrov</p><p>spoke</p>";
  CHECK(snippet(blocks, 3, 9, Markup::html, 6) == "Lavrov spoke");
  // The same bytes as plain text keep their markup verbatim.
  CHECK(snippet(body, s, e, Markup::text, 0).find("<b>Putin</b>") != std::string::npos);
}

TEST_CASE("snippet: cuts only at code point boundaries", "[route][snippet]") {
  // One long "word" of 3-byte characters before and after the match.
  std::string dash;
  for (int i = 0; i < 200; ++i) dash += "\xE2\x80\x94";  // —
  const std::string text = dash + " Lavrov " + dash;
  const auto [s, e] = span_of(text, "Lavrov");
  const std::string out = snippet(text, s, e, Markup::text, 2);
  CHECK(valid_utf8(out));
  CHECK(out.find("Lavrov") != std::string::npos);
  CHECK(out.rfind(kEll, 0) == 0);                                            // starts with …
  CHECK(out.substr(out.size() - kEll.size()) == kEll);                       // ends with …
  CHECK(out.size() <= 2 * 3 * 32 + 8 + 2 * kEll.size());                     // capped per side
  CHECK(out.find("\xE2\x80\x94 Lavrov \xE2\x80\x94") != std::string::npos);  // context kept
  // Offsets inside a multi-byte character widen to include it whole.
  const std::string word = "Zürich";
  const std::string sn = snippet(word, 2, 3, Markup::text, 1);  // inside "ü"
  CHECK(sn == "Zürich");
}

TEST_CASE("snippet: invalid UTF-8 and wild offsets never break it", "[route][snippet]") {
  const std::string bad = "abc \xFF\xC3 Lavrov \xE2\x80 end";
  const auto [s, e] = span_of(bad, "Lavrov");
  const std::string out = snippet(bad, s, e, Markup::text, 6);
  CHECK(valid_utf8(out));
  // Each maximal invalid subpart is one U+FFFD: \xFF, \xC3, then \xE2\x80 together.
  CHECK(out == "abc \xEF\xBF\xBD\xEF\xBF\xBD Lavrov \xEF\xBF\xBD end");
  CHECK(snippet("short", 100, 200, Markup::text) == "short");
  CHECK(snippet("short", 3, 1, Markup::text, 0) == "short");
  CHECK(snippet("", 0, 0, Markup::html) == "");
  // Unclosed '<' in HTML is text, not a tag.
  CHECK(snippet("a < b Putin", 6, 11, Markup::html, 6) == "a < b Putin");
}

TEST_CASE("snippet: plain text far from its words", "[route][snippet]") {
  // A wide run of white space (as in the wire's tables) or long tokens between the
  // match and its words: words are found up to 256 bytes a word each side.
  const std::string gap(600, ' ');
  const std::string body = "one two three" + gap + "TARGET" + gap + "four five six";
  auto [s, e] = span_of(body, "TARGET");
  CHECK(snippet(body, s, e, Markup::text, 2) == kEll + "two three TARGET four five" + kEll);
  CHECK(snippet(body, s, e, Markup::text, 6) == "one two three TARGET four five six");
  // Beyond the full region (3 x 256 bytes a side for two words): no words.
  const std::string wide = "one two three" + std::string(900, ' ') + "TARGET";
  std::tie(s, e) = span_of(wide, "TARGET");
  CHECK(snippet(wide, s, e, Markup::text, 2) == kEll + "TARGET");
  // Seven tokens of 120 bytes on each side: the byte cap (32 a word and the match's
  // own) cuts them, at a space where there is one.
  std::string left, right;
  for (int i = 0; i < 7; ++i) {
    left += std::string(120, static_cast<char>('a' + i)) + ' ';
    right += ' ' + std::string(120, static_cast<char>('h' + i));
  }
  const std::string tokens = left + "TARGET" + right;
  std::tie(s, e) = span_of(tokens, "TARGET");
  const std::string got = snippet(tokens, s, e, Markup::text, 6);
  CHECK(got == kEll + std::string(120, 'g') + " TARGET " + std::string(120, 'h') + kEll);
}

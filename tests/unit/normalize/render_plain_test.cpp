// Stage: normalize (tests). render_plain(): the same markup reading as folding, but
// characters kept as written; white space collapsed; offsets back to the field.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "fold_helpers.hpp"
#include "newshound/normalize/normalizer.hpp"

using newshound::ByteOffsets;
using newshound::Markup;
using newshound::render_plain;

namespace {

std::string plain(std::string_view field, Markup markup) {
  std::string out;
  render_plain(field, markup, out);
  return out;
}

}  // namespace

TEST_CASE("render_plain: keeps case, diacritics and punctuation", "[normalize][plain]") {
  const std::string head =
      "FRANCE: \xC3\x89"
      "douard Philippe\xE2\x80\x99s \xE2\x80\x9C"
      "caf\xC3\xA9\xE2\x80\x9D "
      "talks \xE2\x80\x94 U.S. & NATO";
  CHECK(plain(head, Markup::text) == head);
  // The folder changes all of that; the renderer changes none of it.
  CHECK(newshound::test::fold(head) != head);
}

TEST_CASE("render_plain: white space runs collapse, ends trimmed", "[normalize][plain]") {
  CHECK(plain("  Sergei\n   Lavrov's\r\n\tdeputy\xC2\xA0said  \n", Markup::text) ==
        "Sergei Lavrov's deputy said");
  CHECK(plain("NATO\x01\x7F"
              "allies",
              Markup::text) == "NATO allies");  // controls
  CHECK(plain("a\xE2\x80\x83"
              "b\xE3\x80\x80"
              "c",
              Markup::text) == "a b c");  // em, ideographic
  CHECK(plain(" \n\t ", Markup::markdown).empty());
}

TEST_CASE("render_plain: Markdown emphasis and links", "[normalize][plain]") {
  const std::string md =
      "NATO Secretary General **Jens Stoltenberg** [said](#) on __Tuesday__ "
      "![photo](https://example.org/p.jpg) more";
  CHECK(plain(md, Markup::markdown) ==
        "NATO Secretary General Jens Stoltenberg said on Tuesday photo more");
  // Not a link: white space in the url, or no "(": brackets stay.
  CHECK(plain("[said] (#) and [x](a b)", Markup::markdown) == "[said] (#) and [x](a b)");
  // Single * and _ are text (snake_case, 5 * 3).
  CHECK(plain("snake_case 5 * 3", Markup::markdown) == "snake_case 5 * 3");
  // Markdown is not read in plain text or HTML.
  CHECK(plain("**Lavrov**", Markup::text) == "**Lavrov**");
  CHECK(plain("**Lavrov**", Markup::html) == "**Lavrov**");
}

TEST_CASE("render_plain: HTML tags, blocks, scripts and entities", "[normalize][plain]") {
  CHECK(plain("<p>Vladimir <b>Putin</b>&#8217;s envoy</p><p>left&nbsp;Paris</p>", Markup::html) ==
        "Vladimir Putin\xE2\x80\x99s envoy left Paris");
  CHECK(plain("Lavrov<br/>spoke<!-- note -->ly<script>var x = 1 < 2;</script> today",
              Markup::html) == "Lavrov spokely today");
  CHECK(plain("AT&amp;T &lt;b&gt; &Eacute;lys&eacute;e &#x41;&#66;", Markup::html) ==
        "AT&T <b> \xC3\x89lys\xC3\xA9"
        "e AB");
  // An unknown entity or an unterminated tag is text.
  CHECK(plain("R&D &bogus; a < b", Markup::html) == "R&D &bogus; a < b");
  // Tags are text outside HTML.
  CHECK(plain("<b>x</b>", Markup::markdown) == "<b>x</b>");
}

TEST_CASE("render_plain: invalid UTF-8 becomes U+FFFD", "[normalize][plain]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(plain("abc \xFF\xC3 x \xE2\x80", Markup::text) == "abc " + fffd + fffd + " x " + fffd);
  CHECK(plain("\xC0\xAF", Markup::html) == fffd + fffd);  // overlong
}

TEST_CASE("render_plain: offsets point back into the field", "[normalize][plain]") {
  const std::string md = "  **Jens**\n [said](#) Caf\xC3\xA9";
  std::string out;
  ByteOffsets src;
  render_plain(md, Markup::markdown, out, &src);
  REQUIRE(out == "Jens said Caf\xC3\xA9");
  REQUIRE(src.size() == out.size());
  CHECK(src[0] == md.find("Jens"));
  CHECK(src[4] == md.find("\n"));  // the space: the white-space run "\n "
  CHECK(src[5] == md.find("said"));
  CHECK(src[13] == md.find("\xC3\xA9"));  // both bytes of é map to its start
  CHECK(src[14] == md.find("\xC3\xA9"));
  for (std::size_t i = 1; i < src.size(); ++i) CHECK(src[i - 1] <= src[i]);

  const std::string html = "<p>A&amp;B</p>";
  out.clear();
  render_plain(html, Markup::html, out, &src);
  REQUIRE(out == "A&B");
  CHECK(src == ByteOffsets({3, 4, 9}));
}

TEST_CASE("render_plain: appends to out, keeping offsets aligned", "[normalize][plain]") {
  std::string out = "Headline:";
  ByteOffsets src;  // shorter than out: padded first
  render_plain("  NATO", Markup::text, out, &src);
  CHECK(out == "Headline:NATO");
  REQUIRE(src.size() == out.size());
  CHECK(src[9] == 2);
  // Reused buffers give the same result.
  out.clear();
  render_plain("  NATO", Markup::text, out, &src);
  CHECK(out == "NATO");
  CHECK(src == ByteOffsets({2, 3, 4, 5}));
}

TEST_CASE("markup_free_prefix: up to the first byte that may start markup", "[normalize][plain]") {
  using newshound::markup_free_prefix;
  CHECK(markup_free_prefix("plain text, (no) markup & <b>", Markup::markdown) == 29);
  CHECK(markup_free_prefix("a [link](x)", Markup::markdown) == 2);
  CHECK(markup_free_prefix("**b**", Markup::markdown) == 0);
  CHECK(markup_free_prefix("snake_case!", Markup::markdown) == 5);
  CHECK(markup_free_prefix("x < y", Markup::html) == 2);
  CHECK(markup_free_prefix("AT&T", Markup::html) == 2);
  CHECK(markup_free_prefix("[*_!]", Markup::html) == 5);
  CHECK(markup_free_prefix("<&[", Markup::text) == 3);
  CHECK(markup_free_prefix("", Markup::markdown) == 0);
}

TEST_CASE(
    "markup_free_prefix: a piece of markup-free text renders as the piece of its "
    "rendering",
    "[normalize][plain]") {
  const std::string field =
      "  The \xC2\xA0"
      "Fed\t\tsaid \xE2\x80\xA8 caf\xC3\xA9 \xC3 \x01 rates \xE2\x80\xA6 hold.\n ";
  REQUIRE(newshound::markup_free_prefix(field, Markup::markdown) == field.size());
  std::string whole;
  ByteOffsets src;
  render_plain(field, Markup::markdown, whole, &src);
  // Every cut at a code point boundary: the bytes from [lo, hi), trimmed.
  auto boundary = [&](std::size_t k) {
    return k == 0 || k == field.size() || (static_cast<unsigned char>(field[k]) & 0xC0) != 0x80;
  };
  for (std::size_t lo = 0; lo <= field.size(); ++lo) {
    for (std::size_t hi = lo; hi <= field.size(); ++hi) {
      if (!boundary(lo) || !boundary(hi)) continue;
      std::size_t b = 0, e = 0;
      while (b < src.size() && src[b] < lo) ++b;
      e = b;
      while (e < src.size() && src[e] < hi) ++e;
      if (b < e && whole[b] == ' ') ++b;
      if (e > b && whole[e - 1] == ' ') --e;
      INFO("piece [" << lo << ", " << hi << ")");
      CHECK(plain(std::string_view(field).substr(lo, hi - lo), Markup::markdown) ==
            whole.substr(b, e - b));
    }
  }
}

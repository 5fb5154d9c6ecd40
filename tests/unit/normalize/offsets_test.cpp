// Stage: normalize (tests). The offset arrays: every folded span maps back to the
// original bytes that produced it, across markup, entities, line breaks and
// multi-byte characters; and the layout written by Normalizer::normalize.
#include <catch2/catch.hpp>

#include "fold_helpers.hpp"

using newshound::Article;
using newshound::BodyFormat;
using newshound::Field;
using newshound::Markup;
using newshound::NormalizedArticle;
using newshound::Normalizer;
using newshound::test::fold_field;
using newshound::test::original_of;

TEST_CASE("folded spans map back to the original bytes", "[normalize][offsets]") {
  SECTION("across markdown emphasis") {
    const std::string f = "Talks with Sergei **Lavrov** ended";
    const auto n = fold_field(f, Markup::markdown);
    CHECK(original_of(n, f, "sergei lavrov") == "Sergei **Lavrov");
    CHECK(original_of(n, f, "lavrov") == "Lavrov");
  }
  SECTION("across a markdown link") {
    const std::string f = "Lavrov [said](https://example.com) it";
    const auto n = fold_field(f, Markup::markdown);
    CHECK(original_of(n, f, "said") == "said");
    CHECK(original_of(n, f, "lavrov said it") == f);
  }
  SECTION("an HTML entity") {
    const std::string f = "<p>&Eacute;douard Philippe&#8217;s plan</p>";
    const auto n = fold_field(f, Markup::html);
    CHECK(original_of(n, f, "edouard") == "&Eacute;douard");
    CHECK(original_of(n, f, "philippe's") == "Philippe&#8217;s");
    CHECK(original_of(n, f, "plan") == "plan");
  }
  SECTION("an inline tag inside a word") {
    const std::string f = "Vla<b>dimir</b> Putin";
    const auto n = fold_field(f, Markup::html);
    CHECK(original_of(n, f, "vladimir") == "Vla<b>dimir");
  }
  SECTION("a hard line break") {
    const std::string f = "talks with Sergei\r\n   Lavrov, the";
    const auto n = fold_field(f, Markup::markdown);
    CHECK(original_of(n, f, "sergei lavrov") == "Sergei\r\n   Lavrov");
    CHECK(original_of(n, f, " ") == " ");
  }
  SECTION("a typographic apostrophe and multi-byte letters") {
    const std::string f = "ÉDOUARD’S Straße";
    const auto n = fold_field(f, Markup::text);
    CHECK(original_of(n, f, "edouard's") == "ÉDOUARD’S");
    CHECK(original_of(n, f, "'") == "’");
    CHECK(original_of(n, f, "strasse") == "Straße");
    CHECK(original_of(n, f, "ss") == "ß");  // both bytes of the expansion map to ß
  }
}

TEST_CASE("offset arrays stay parallel to the text", "[normalize][offsets]") {
  for (const char* f : {"", "   ", "ﬁ ß Ǆ", "<p>x</p>", "**", "a&amp;b"}) {
    for (Markup m : {Markup::text, Markup::markdown, Markup::html}) {
      const auto n = fold_field(f, m);
      CHECK(n.src_begin.size() == n.text.size());
      CHECK(n.src_end.size() == n.text.size());
    }
  }
}

TEST_CASE("append adds to existing content with field-relative offsets", "[normalize][offsets]") {
  NormalizedArticle n;
  Normalizer::append("Alpha", Markup::text, n);
  Normalizer::append("  Beta", Markup::text, n);
  CHECK(n.text == "alphabeta");
  CHECK(n.src_begin[5] == 2);  // 'b' is byte 2 of its own field
  CHECK(n.src_end[8] == 6);
}

TEST_CASE("normalize lays out headline, separator, body", "[normalize][article]") {
  Article a;
  a.headline = "  RUSSIA’S **LAVROV** MEETS [NATO](#) ";
  a.body = "<p>Sergei&nbsp;Lavrov&rsquo;s talks</p>";
  a.body_format = BodyFormat::html;
  Normalizer normalizer;
  NormalizedArticle n;
  normalizer.normalize(a, n);

  const std::string expected_head = "russia's lavrov meets nato";
  const std::string expected_body = "sergei lavrov's talks";
  CHECK(n.text == expected_head + std::string(1, '\0') + expected_body);
  CHECK(n.body_offset == expected_head.size() + 1);
  CHECK(n.field_at(0) == Field::headline);
  CHECK(n.field_at(n.body_offset) == Field::body);
  REQUIRE(n.src_begin.size() == n.text.size());
  REQUIRE(n.src_end.size() == n.text.size());
  CHECK(n.text.find('\0') == expected_head.size());
  CHECK(n.text.find('\0', n.body_offset) == std::string::npos);

  // headline offsets are relative to the headline, body offsets to the body
  CHECK(a.headline.substr(n.src_begin[0], n.src_end[5] - n.src_begin[0]) == "RUSSIA");
  const std::size_t lav = n.text.find("lavrov's");
  REQUIRE(lav != std::string::npos);
  CHECK(a.body.substr(n.src_begin[lav], n.src_end[lav + 7] - n.src_begin[lav]) == "Lavrov&rsquo;s");

  SECTION("a text body is read as markdown and the output is reused") {
    a.body = "Sergei **Lavrov**";
    a.body_format = BodyFormat::text;
    normalizer.normalize(a, n);
    CHECK(n.text == expected_head + std::string(1, '\0') + "sergei lavrov");
    CHECK(n.body_offset == expected_head.size() + 1);
  }
  SECTION("an empty article is just the separator") {
    normalizer.normalize(Article{}, n);
    CHECK(n.text == std::string(1, '\0'));
    CHECK(n.body_offset == 1);
    CHECK(n.src_begin.size() == 1);
  }
}

TEST_CASE("field names", "[normalize]") {
  CHECK(newshound::to_string(Field::headline) == "headline");
  CHECK(newshound::to_string(Field::body) == "body");
}

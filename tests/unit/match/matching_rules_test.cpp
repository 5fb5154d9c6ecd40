// Tests, stage match: the seven matching rules of docs/matching.md, one section
// each, on small articles run through the real Normalizer and both engines.
#include <catch2/catch.hpp>

#include "match_test_util.hpp"

using namespace newshound;
using namespace newshound::test;

TEST_CASE("rule 1: matching ignores case, except for acronyms", "[match][rules]") {
  auto rules = rules_from(
      "Vladimir Putin|Putin\n"
      "United States|U.S.|US\n"
      "NATO|North Atlantic Treaty Organization\n"
      "World Health Organization|WHO\n");

  SECTION("ordinary aliases match in any case") {
    CHECK(matches_of(rules, "PUTIN MEETS ENVOYS", "vladimir putin said; VLADIMIR PUTIN said.") ==
          Lines{"headline:0-5 Vladimir Putin 'PUTIN'", "body:0-14 Vladimir Putin 'vladimir putin'",
                "body:21-35 Vladimir Putin 'VLADIMIR PUTIN'"});
  }
  SECTION("an acronym only matches as written") {
    CHECK(
        matches_of(rules, "", "Tell us: US troops, Us and us. U.S. forces, u.s. ones, the u.S.") ==
        Lines{"body:9-11 United States 'US'", "body:31-35 United States 'U.S.'"});
  }
  SECTION("acronym case is checked on the original text, through markup") {
    CHECK(matches_of(rules, "NATO SUMMIT OPENS",
                     "**NATO** and [Nato](#) and the North Atlantic Treaty Organization.") ==
          Lines{"headline:0-4 NATO 'NATO'", "body:2-6 NATO 'NATO'",
                "body:31-65 NATO 'North Atlantic Treaty Organization'"});
  }
  SECTION("a word that looks like an acronym in lower case does not fire") {
    CHECK(matches_of(rules, "Who is next?", "WHO officials, who said so").size() == 1);
    CHECK(matches_of(rules, "Who is next?", "who said so").empty());
  }
}

TEST_CASE("rule 2: diacritics are ignored on both sides", "[match][rules]") {
  auto rules = rules_from(
      "Recep Tayyip Erdoğan|Erdoğan\n"
      "Édouard Philippe\n"
      "Zurich\n");
  CHECK(matches_of(rules, "ERDOĞAN WINS",
                   "Erdogan, erdoğan and Édouard Philippe (Edouard "
                   "Philippe) in Zürich") ==
        Lines{"headline:0-8 Recep Tayyip Erdoğan 'ERDOĞAN'",
              "body:0-7 Recep Tayyip Erdoğan 'Erdogan'", "body:9-17 Recep Tayyip Erdoğan 'erdoğan'",
              "body:22-39 Édouard Philippe "
              "'Édouard Philippe'",
              "body:41-57 Édouard Philippe 'Edouard Philippe'", "body:62-69 Zurich 'Zürich'"});
}

TEST_CASE("rule 3: typographic quotes and dashes match their ASCII forms", "[match][rules]") {
  auto rules = rules_from(
      "Côte d'Ivoire|Cote d'Ivoire\n"
      "Jean-Yves Le Drian\n");
  CHECK(
      matches_of(rules, "", "In C\xC3\xB4te d\xE2\x80\x99Ivoire, Jean\xE2\x80\x90Yves Le Drian") ==
      Lines{"body:3-19 Côte d'Ivoire 'C\xC3\xB4te d\xE2\x80\x99Ivoire'",
            "body:21-41 Jean-Yves Le Drian 'Jean\xE2\x80\x90Yves Le Drian'"});
  // An alias written with a typographic apostrophe matches a plain one.
  auto curly = rules_from("Côte d\xE2\x80\x99Ivoire\n");
  CHECK(matches_of(curly, "", "Cote d'Ivoire").size() == 1);
}

TEST_CASE("rule 4: any run of white space matches one space", "[match][rules]") {
  auto rules = rules_from("Vladimir Putin\nSergei  Lavrov\n");
  CHECK(matches_of(rules, "", "said Vladimir\n   Putin, and Sergei\tLavrov") ==
        Lines{"body:5-22 Vladimir Putin 'Vladimir\n   Putin'",
              "body:28-41 Sergei  Lavrov 'Sergei\tLavrov'"});
  // A non-breaking space written as an HTML entity is white space too.
  const auto html = make_article("", "<p>Vladimir&nbsp;Putin</p>", BodyFormat::html);
  CHECK(matches_of(rules, html) == Lines{"body:3-22 Vladimir Putin 'Vladimir&nbsp;Putin'"});
}

TEST_CASE("rule 5: matches start and end on word boundaries", "[match][rules]") {
  auto rules = rules_from("Rus\nSergei Lavrov|Lavrov\nVladimir Putin|Putin\n");
  CHECK(matches_of(rules, "", "Russia and Russian rusty Prus; Kyivan Rus.") ==
        Lines{"body:38-41 Rus 'Rus'"});
  CHECK(matches_of(rules, "", "Lavrov's aide, Putin-style, Putinism, Putin2, 2Putin") ==
        Lines{"body:0-6 Sergei Lavrov 'Lavrov'", "body:15-20 Vladimir Putin 'Putin'"});
  // A letter with a diacritic is a word character: no match inside "Putiné".
  CHECK(matches_of(rules, "", "Putiné").empty());
}

TEST_CASE("rule 6: markup does not hide a match, and offsets point into the markup",
          "[match][rules]") {
  auto rules = rules_from("Sergei Lavrov\nAntony Blinken\n");
  CHECK(matches_of(rules, "", "Sergei **Lavrov** met [Antony Blinken](#).") ==
        Lines{"body:0-15 Sergei Lavrov 'Sergei **Lavrov'",
              "body:23-37 Antony Blinken 'Antony Blinken'"});
  const auto html = make_article("", "<p><b>Sergei</b> Lav<i>rov</i> &amp; Antony&nbsp;Blinken</p>",
                                 BodyFormat::html);
  CHECK(matches_of(rules, html) == Lines{"body:6-26 Sergei Lavrov 'Sergei</b> Lav<i>rov'",
                                         "body:37-56 Antony Blinken 'Antony&nbsp;Blinken'"});
  // Outside Markdown links and emphasis every character is text: '<' included.
  CHECK(matches_of(rules, "", "Sergei<Lavrov").empty());
}

TEST_CASE("rule 7: a match lies within one field", "[match][rules]") {
  auto rules = rules_from("Vladimir Putin|Putin\nMoscow\n");
  CHECK(matches_of(rules, "Talks in Moscow with Vladimir", "Putin said.") ==
        Lines{"headline:9-15 Moscow 'Moscow'", "body:0-5 Vladimir Putin 'Putin'"});

  SECTION("verify_candidates rejects spans over the separator and bogus candidates") {
    NormalizedArticle na;
    Normalizer::append("Moscow", Markup::text, na);
    na.text += '\0';
    na.src_begin.push_back(0);
    na.src_end.push_back(0);
    na.body_offset = static_cast<std::uint32_t>(na.text.size());
    Normalizer::append("Putin", Markup::text, na);
    REQUIRE(na.text == std::string("moscow\0putin", 12));
    MatchSet ms;
    ms.candidates = {
        {2, 6},   // "moscow": headline (patterns: vladimir putin, putin, moscow)
        {1, 12},  // "putin": body
        {2, 7},   // "oscow\0": ends on the separator
        {2, 9},   // crosses it
        {1, 99},  // past the end
        {7, 6},   // no such pattern
        {0, 3},   // shorter than the literal
    };
    verify_candidates(*rules, na, "Moscow", "Putin", ms);
    REQUIRE(ms.matches.size() == 2);
    CHECK(ms.matches[0].field == Field::headline);
    CHECK(ms.matches[0].start == 0);
    CHECK(ms.matches[0].end == 6);
    CHECK(ms.matches[1].field == Field::body);
    CHECK(ms.matches[1].start == 0);
    CHECK(ms.matches[1].end == 5);
    CHECK(ms.matches[1].folded_start == 7);
    CHECK(ms.matches[1].pattern == 1);
  }
}

TEST_CASE("rule 7: a match inside a longer match of the same entity is dropped", "[match][rules]") {
  auto rules = rules_from(
      "Vladimir Putin|Putin|Vladimir\n"
      "New York\n"
      "York\n"
      "New York Times\n");
  SECTION("same entity: only the longest") {
    CHECK(matches_of(rules, "", "Vladimir Putin met Putin.") ==
          Lines{"body:0-14 Vladimir Putin 'Vladimir Putin'", "body:19-24 Vladimir Putin 'Putin'"});
  }
  SECTION("different entities may overlap") {
    CHECK(matches_of(rules, "", "The New York Times") ==
          Lines{"body:4-12 New York 'New York'", "body:4-18 New York Times 'New York Times'",
                "body:8-12 York 'York'"});
  }
  SECTION("duplicate aliases give one match, from the first pattern") {
    WatchList wl;
    wl.name = "dups";
    wl.entities.push_back(EntityDef{"Sergei Lavrov", {"Lavrov", "LAVROV", "Lavrov"}, 1, {}});
    auto dup = compile_lists({wl});
    REQUIRE(dup->patterns().size() == 3);
    const auto article = make_article("", "Lavrov spoke");
    const auto ms = run_both(dup, article);
    REQUIRE(ms.size() == 1);
    CHECK(ms[0].pattern == 0);
  }
}

TEST_CASE("matches are sorted by field, start, entity and map back to the original",
          "[match][rules]") {
  auto rules = rules_from_fixtures();
  const auto article = make_article(
      "U.S. AND EU PRESS RUSSIA OVER KYIV",
      "WASHINGTON \xE2\x80\x94 Secretary of State Antony Blinken told\n"
      "reporters that **Sergey Lavrov**\xE2\x80\x99s remarks in "
      "[S\xC3\xA3o Paulo](#) were \xE2\x80\x9Cunhelpful\xE2\x80\x9D &amp; that NATO and the "
      "Russian Federation (not the us) must talk. Erdogan agreed.");
  CHECK(matches_of(rules, article) ==
        Lines{"headline:0-4 United States 'U.S.'", "headline:9-11 European Union 'EU'",
              "headline:18-24 Russia 'RUSSIA'", "headline:30-34 Kyiv 'KYIV'",
              "body:34-48 Antony Blinken 'Antony Blinken'",
              "body:71-84 Sergei Lavrov 'Sergey Lavrov'",
              "body:103-113 São Paulo 'S\xC3\xA3o Paulo'", "body:150-154 NATO 'NATO'",
              "body:163-181 Russia 'Russian Federation'",
              "body:206-213 Recep Tayyip Erdoğan 'Erdogan'"});
}

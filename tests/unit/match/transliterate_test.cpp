// Tests, stage match: `transliterate = true` (docs/matching.md, Other scripts).
// Latin aliases of a transliterating list match Cyrillic, Greek, Arabic and Hebrew
// text through the transliterated view, whatever romanization the alias uses
// (Sergey/Sergej/Sergei), with offsets on the original bytes, through both engines;
// lists without it never do; non-Latin aliases match folded like Latin ones.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "match_test_util.hpp"

using namespace newshound;
using namespace newshound::test;

namespace {

std::shared_ptr<const Rules> translit_rules(const std::string& names, bool transliterate = true) {
  WatchList wl = list_from(names);
  wl.transliterate = transliterate;
  return compile_lists({wl});
}

}  // namespace

TEST_CASE("transliterate: Sergey, Sergej and Sergei all match Сергей", "[translit]") {
  const std::string body = "Министр Сергей Лавров заявил";
  const auto s = body.find("Сергей");
  const std::string want = "body:" + std::to_string(s) + "-" +
                           std::to_string(s + std::string("Сергей Лавров").size()) +
                           " {} 'Сергей Лавров'";
  for (const std::string first : {"Sergey", "Sergej", "Sergei"}) {
    const std::string name = first + " Lavrov";
    const auto rules = translit_rules(name);
    std::string expected = want;
    expected.replace(expected.find("{}"), 2, name);
    CHECK(matches_of(rules, "", body) == Lines{expected});
  }
}

TEST_CASE("transliterate: the alert span is the original bytes, in every script", "[translit]") {
  const auto rules = translit_rules(
      "Sergey Lavrov|Lavrov\nNikos Papadakis|Papadakis\n"
      "Mhmwd Krym\nDwd\n");
  CHECK(matches_of(rules, "ЛАВРОВ В МОСКВЕ", "") == Lines{"headline:0-12 Sergey Lavrov 'ЛАВРОВ'"});
  CHECK(matches_of(rules, "", "Ο Παπαδάκης μίλησε") ==
        Lines{"body:3-21 Nikos Papadakis 'Παπαδάκης'"});
  CHECK(matches_of(rules, "", "قال محمود كريم") == Lines{"body:7-26 Mhmwd Krym 'محمود كريم'"});
  CHECK(matches_of(rules, "", "דוד אמר") == Lines{"body:0-6 Dwd 'דוד'"});
  // Latin and Cyrillic in one field, one alias across both.
  CHECK(matches_of(rules, "", "Sergey Лавров, TASS") ==
        Lines{"body:0-19 Sergey Lavrov 'Sergey Лавров'"});
}

TEST_CASE("transliterate: word boundaries hold in the transliterated spelling", "[translit]") {
  const auto rules = translit_rules("Sergey Lavrov|Lavrov");
  CHECK(matches_of(rules, "", "с Лавровым и Лаврову").empty());  // other word forms
  CHECK(matches_of(rules, "", "Лавровская улица").empty());
}

TEST_CASE("transliterate: lists without it do not match other scripts", "[translit]") {
  const auto off = translit_rules("Sergey Lavrov|Lavrov", false);
  CHECK(off->transliterates() == false);
  CHECK(matches_of(off, "Сергей Лавров", "ЛАВРОВ").empty());
  CHECK(matches_of(off, "", "Lavrov") == Lines{"body:0-6 Sergey Lavrov 'Lavrov'"});
  // Two lists in one Rules: only the transliterating one reads Cyrillic.
  WatchList a = list_from("Sergey Lavrov|Lavrov", "translit");
  a.transliterate = true;
  WatchList b = list_from("Lavrov", "plain");
  const auto both = compile_lists({a, b});
  CHECK(both->transliterates());
  CHECK(matches_of(both, "", "Лавров") == Lines{"body:0-12 Sergey Lavrov 'Лавров'"});
  CHECK(matches_of(both, "", "Lavrov") ==
        Lines{"body:0-6 Sergey Lavrov 'Lavrov'", "body:0-6 Lavrov 'Lavrov'"});
}

TEST_CASE("transliterate: Latin text matches exactly as without it", "[translit]") {
  // The loose rules (y reads i) apply across scripts only: Latin text keeps rule 2.
  const auto rules = translit_rules("Sergey Lavrov");
  CHECK(matches_of(rules, "", "Sergei Lavrov arrived").empty());
  CHECK(matches_of(rules, "", "Sergey Lavrov arrived") ==
        Lines{"body:0-13 Sergey Lavrov 'Sergey Lavrov'"});
  // ...also in an article that has Cyrillic elsewhere.
  CHECK(matches_of(rules, "", "Sergei Lavrov (Сергей Лавров)") ==
        Lines{"body:15-40 Sergey Lavrov 'Сергей Лавров'"});
}

TEST_CASE("transliterate: a Cyrillic alias matches once, not twice", "[translit]") {
  const auto rules = translit_rules("Sergey Lavrov|Лавров");
  CHECK(matches_of(rules, "", "Лавров") == Lines{"body:0-12 Sergey Lavrov 'Лавров'"});
}

TEST_CASE("non-Latin aliases match folded like Latin ones: case and ё/е", "[translit]") {
  for (const bool translit : {false, true}) {
    const auto rules = translit_rules("Лавров\nКоролёв\nСеменов", translit);
    CHECK(matches_of(rules, "", "ЛАВРОВ") == Lines{"body:0-12 Лавров 'ЛАВРОВ'"});
    CHECK(matches_of(rules, "", "лавров") == Lines{"body:0-12 Лавров 'лавров'"});
    CHECK(matches_of(rules, "", "Королев") == Lines{"body:0-14 Королёв 'Королев'"});
    CHECK(matches_of(rules, "", "КОРОЛЁВ") == Lines{"body:0-14 Королёв 'КОРОЛЁВ'"});
    CHECK(matches_of(rules, "", "Семёнов") == Lines{"body:0-14 Семенов 'Семёнов'"});
  }
}

TEST_CASE("transliterate: acronyms are not transliterated", "[translit]") {
  const auto rules = translit_rules("United States|US");
  CHECK(matches_of(rules, "", "ус и усы").empty());
  CHECK(matches_of(rules, "", "US") == Lines{"body:0-2 United States 'US'"});
}

// Tests, stage match: Rules::compile (tables, acronyms, version hash, empty rules)
// and the engines' behaviour on empty rules and reused MatchSets.
#include <catch2/catch.hpp>

#include "match_test_util.hpp"

using namespace newshound;
using namespace newshound::test;

TEST_CASE("Rules::compile builds list, entity and pattern tables", "[match][compile]") {
  WatchList people = list_from("Sergei Lavrov|Lavrov|Sergej Lawrow\n", "people");
  people.tags = {"people", "russia"};
  WatchList orgs = list_from("United States|U.S.|US\nÉdouard Philippe\n", "orgs");
  auto rules = compile_lists({people, orgs});

  REQUIRE(rules->lists().size() == 2);
  CHECK(rules->lists()[0].name == "people");
  CHECK(rules->lists()[0].path == "people.names");
  CHECK(rules->lists()[0].tags == std::vector<std::string>{"people", "russia"});

  REQUIRE(rules->entities().size() == 3);
  CHECK(rules->entities()[0].canonical == "Sergei Lavrov");
  CHECK(rules->entities()[0].list == 0);
  CHECK(rules->entities()[1].canonical == "United States");
  CHECK(rules->entities()[1].list == 1);
  CHECK(rules->entities()[2].line == 2);

  const auto& p = rules->patterns();
  REQUIRE(p.size() == 7);
  CHECK(p[0].literal == "sergei lavrov");
  CHECK(p[0].exact.empty());
  CHECK(p[2].literal == "sergej lawrow");
  CHECK(p[2].entity == 0);
  CHECK(p[3].literal == "united states");
  CHECK(p[4].literal == "u.s.");
  CHECK(p[4].exact == "U.S.");  // acronym: matched exactly as written
  CHECK(p[5].literal == "us");
  CHECK(p[5].exact == "US");
  CHECK(p[5].entity == 1);
  CHECK(p[6].literal == "edouard philippe");
  CHECK(p[6].entity == 2);

  CHECK(rules->databases().size() == 1);
  CHECK(rules->database_bytes() > 0);
  CHECK(rules->version().size() == 12);
  CHECK(rules->version().find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("the rules version depends on content only", "[match][compile]") {
  const std::string names = "Vladimir Putin|Putin\nNATO\n";
  const auto v = [](const std::vector<WatchList>& lists) {
    Diagnostics diags;
    auto r = Rules::compile(lists, diags);
    REQUIRE(r != nullptr);
    return r->version();
  };
  WatchList base = list_from(names, "people");
  const std::string v0 = v({base});
  CHECK(v({list_from(names, "people")}) == v0);  // same content, same version

  WatchList moved = base;
  moved.path = "/elsewhere/people.names";
  CHECK(v({moved}) == v0);  // the path does not affect matching

  CHECK(v({list_from(names, "leaders")}) != v0);
  CHECK(v({list_from("Vladimir Putin|Putin\nNATO|OTAN\n", "people")}) != v0);
  CHECK(v({list_from("Vladimir Putin\nPutin\nNATO\n", "people")}) != v0);
  WatchList tagged = base;
  tagged.tags = {"kremlin"};
  CHECK(v({tagged}) != v0);
  CHECK(v({base, list_from("NATO\n", "orgs")}) != v0);
}

TEST_CASE("rules without patterns are valid and match nothing", "[match][compile]") {
  Diagnostics diags;
  auto none = Rules::compile({}, diags);
  REQUIRE(none != nullptr);
  CHECK(diags.empty());
  CHECK(none->databases().empty());
  CHECK(none->patterns().empty());
  CHECK(none->version().size() == 12);

  // A list built in code with an alias that folds to nothing: never compiled.
  WatchList wl;
  wl.name = "odd";
  wl.entities.push_back(EntityDef{"Blank", {"  ", "\xCC\x81"}, 1, {}});
  auto blank = Rules::compile({wl}, diags);
  REQUIRE(blank != nullptr);
  CHECK(blank->entities().size() == 1);
  CHECK(blank->patterns().empty());
  CHECK(blank->databases().empty());

  const auto article = make_article("Blank", "Nothing to see");
  Normalizer n;
  NormalizedArticle text;
  n.normalize(article, text);
  HyperscanMatcher hs(blank);
  ReferenceMatcher ref(blank);
  MatchSet ms;
  ms.matches.push_back(Match{});  // stale content must be cleared
  CHECK(hs.match(article, text, ms));
  CHECK(ms.empty());
  CHECK(ms.candidates.empty());
  CHECK(ref.match(article, text, ms));
  CHECK(ms.empty());
}

TEST_CASE("a matcher reuses its MatchSet across articles", "[match][compile]") {
  auto rules = rules_from_fixtures();
  HyperscanMatcher hs(rules);
  Normalizer n;
  NormalizedArticle text;
  MatchSet ms;
  const auto first = make_article("KYIV", "Zelenskyy met Blinken in Kyiv.");
  n.normalize(first, text);
  REQUIRE(hs.match(first, text, ms));
  CHECK(render(*rules, first, ms.matches) ==
        Lines{"headline:0-4 Kyiv 'KYIV'", "body:0-9 Volodymyr Zelensky 'Zelenskyy'",
              "body:14-21 Antony Blinken 'Blinken'", "body:25-29 Kyiv 'Kyiv'"});
  const auto second = make_article("Markets", "Nothing on the wires");
  n.normalize(second, text);
  REQUIRE(hs.match(second, text, ms));
  CHECK(ms.empty());
  CHECK(ms.candidates.empty());
}

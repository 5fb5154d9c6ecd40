// Tests, stage match: shared helpers. Build Rules from `.names` text or fixture
// files, run an article through the Normalizer and BOTH engines, insist that the
// engines agree, and render matches as readable strings for golden comparisons.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/match/matcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound::test {

/// Random choices for the randomized tests, deterministic on every platform:
/// indexes come from the raw mt19937 output, not from std::uniform_int_distribution
/// (whose algorithm is unspecified).
struct Rng {
  std::mt19937 gen;
  explicit Rng(std::uint32_t seed) : gen(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(gen() % n); }
  bool chance(unsigned percent) { return gen() % 100 < percent; }
  template <class V>
  const auto& pick(const V& v) {
    return v[below(v.size())];
  }
};

inline std::string fixture(const std::string& name) {
  return std::string(NEWSHOUND_FIXTURES_DIR) + "/watchlists/" + name;
}

/// Parses `names` as one list called `list_name`; the text must be clean.
inline WatchList list_from(const std::string& names, const std::string& list_name = "test") {
  WatchList wl;
  wl.name = list_name;
  wl.path = list_name + ".names";
  Diagnostics diags;
  parse_names(names, wl.path, wl, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(diags.empty());
  return wl;
}

inline std::shared_ptr<const Rules> compile_lists(const std::vector<WatchList>& lists) {
  Diagnostics diags;
  auto rules = Rules::compile(lists, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(rules != nullptr);
  return rules;
}

inline std::shared_ptr<const Rules> rules_from(const std::string& names) {
  return compile_lists({list_from(names)});
}

inline std::shared_ptr<const Rules> rules_from_fixtures() {
  std::vector<WatchList> lists;
  for (const char* f : {"people.names", "orgs.names", "places.names"}) {
    Diagnostics diags;
    lists.push_back(load_watchlist(fixture(f), diags));
    for (const auto& d : diags) FAIL_CHECK(d.format());
    REQUIRE(diags.empty());
  }
  return compile_lists(lists);
}

inline Article make_article(std::string headline, std::string body,
                            BodyFormat format = BodyFormat::text) {
  Article a;
  a.id = "test";
  a.headline = std::move(headline);
  a.body = std::move(body);
  a.body_format = format;
  return a;
}

inline bool same(const Match& a, const Match& b) {
  return std::tie(a.entity, a.pattern, a.field, a.start, a.end, a.folded_start, a.folded_end) ==
         std::tie(b.entity, b.pattern, b.field, b.start, b.end, b.folded_start, b.folded_end);
}

/// Runs both engines over the article; they must agree match for match.
inline std::vector<Match> run_both(const std::shared_ptr<const Rules>& rules,
                                   const Article& article) {
  Normalizer normalizer;
  NormalizedArticle text;
  normalizer.normalize(article, text);
  HyperscanMatcher hs(rules);
  ReferenceMatcher ref(rules);
  MatchSet a;
  MatchSet b;
  REQUIRE(hs.match(article, text, a));
  REQUIRE(ref.match(article, text, b));
  REQUIRE(a.matches.size() == b.matches.size());
  for (std::size_t i = 0; i < a.matches.size(); ++i) REQUIRE(same(a.matches[i], b.matches[i]));
  return a.matches;
}

/// "field:start-end Canonical 'original span'", one line per match, in order.
inline std::vector<std::string> render(const Rules& rules, const Article& article,
                                       const std::vector<Match>& matches) {
  std::vector<std::string> out;
  for (const auto& m : matches) {
    const std::string& field = m.field == Field::headline ? article.headline : article.body;
    out.push_back(std::string(to_string(m.field)) + ":" + std::to_string(m.start) + "-" +
                  std::to_string(m.end) + " " + rules.entities()[m.entity].canonical + " '" +
                  field.substr(m.start, m.end - m.start) + "'");
  }
  return out;
}

/// Normalizes, matches with both engines, renders.
inline std::vector<std::string> matches_of(const std::shared_ptr<const Rules>& rules,
                                           const Article& article) {
  return render(*rules, article, run_both(rules, article));
}

inline std::vector<std::string> matches_of(const std::shared_ptr<const Rules>& rules,
                                           const std::string& headline, const std::string& body) {
  return matches_of(rules, make_article(headline, body));
}

using Lines = std::vector<std::string>;

}  // namespace newshound::test

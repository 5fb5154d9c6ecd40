// Tests, stage match: the explain core (topic_explain.hpp). Topics clause by clause
// (truth and spans per node, field scopes kept, NOT showing what it found, NEAR,
// @entities and their notes, the rendered text) and entities with their near
// misses (word boundary, acronym case, across headline/body, negative alias,
// inside a longer match).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "newshound/match/matcher.hpp"
#include "newshound/match/topic_explain.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {
namespace {

struct Doc {
  Article article;
  NormalizedArticle text;
};

Doc doc(std::string headline, std::string body) {
  Doc d;
  d.article.id = "t";
  d.article.headline = std::move(headline);
  d.article.body = std::move(body);
  Normalizer n;
  n.normalize(d.article, d.text);
  return d;
}

TopicQuery query(const std::string& text) {
  TopicQuery q;
  QueryError err;
  INFO(text << " -> " << err.message);
  REQUIRE(parse_query(text, q, err));
  return q;
}

/// Clause text -> "true"/"false" plus its found spans, keyed by canonical form.
std::map<std::string, std::string> clause_map(const TopicQuery& q, const TopicExplanation& ex,
                                              const Doc& d) {
  std::map<std::string, std::string> out;
  for (const auto& c : ex.clauses) {
    std::string v = c.value ? "true" : "false";
    for (const auto& s : c.found) v += " " + describe_span(d.article, s.field, s.start, s.end);
    out[q.to_string(c.node)] = v;
  }
  return out;
}

WatchList names(const std::string& text, const std::string& name = "people") {
  WatchList wl;
  wl.name = name;
  wl.path = name + ".names";
  Diagnostics diags;
  parse_names(text, wl.path, wl, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  return wl;
}

TEST_CASE("explain: every clause with its truth and spans, rendered as a tree",
          "[topics][explain]") {
  const Doc d =
      doc("NATO allies meet", "Kyiv wants security guarantees. Later, the sports ministers spoke.");
  const TopicQuery q = query("\"security guarantees\" AND (NATO OR alliance) AND NOT sport*");
  const TopicExplanation ex = explain_topic(q, d.article, d.text);
  CHECK_FALSE(ex.matched);
  CHECK(ex.spans.empty());
  REQUIRE(ex.clauses.size() == 7);
  CHECK(ex.clauses[0].node == q.root);  // pre-order: root first
  CHECK(ex.clauses[0].depth == 0);
  const auto m = clause_map(q, ex, d);
  CHECK(m.at(q.to_string()) == "false");
  CHECK(m.at("\"security guarantees\"") == "true 'security guarantees' body:11-30");
  CHECK(m.at("(NATO OR alliance)") == "true 'NATO' headline:0-4");
  CHECK(m.at("NATO") == "true 'NATO' headline:0-4");
  CHECK(m.at("alliance") == "false");
  // NOT is false, and shows the occurrence that made it so.
  CHECK(m.at("(NOT sport*)") == "false 'sports' body:43-49");
  CHECK(m.at("sport*") == "true 'sports' body:43-49");

  CHECK(describe_clauses(q, ex, d.article) ==
        "  AND: false (2 of 3 true)\n"
        "    \"security guarantees\": true, found 'security guarantees' body:11-30\n"
        "    OR: true (1 of 2 true)\n"
        "      NATO: true, found 'NATO' headline:0-4\n"
        "      alliance: false, not found\n"
        "    NOT sport*: false, found 'sports' body:43-49\n");
}

TEST_CASE("explain: a matched topic has the spans that satisfied it", "[topics][explain]") {
  const Doc d = doc("Alliance summit", "Leaders discussed security guarantees and NATO.");
  const TopicQuery q = query("\"security guarantees\" AND (NATO OR alliance) AND NOT sport*");
  const TopicExplanation ex = explain_topic(q, d.article, d.text);
  CHECK(ex.matched);
  CHECK(ex.clauses[0].value);
  std::vector<std::string> spans;
  for (const auto& s : ex.spans) spans.push_back(describe_span(d.article, s.field, s.start, s.end));
  CHECK(spans == std::vector<std::string>{"'Alliance' headline:0-8",
                                          "'security guarantees' body:18-37", "'NATO' body:42-46"});
  CHECK(describe_clauses(q, ex, d.article, 0).find("NOT sport*: true, not found\n") !=
        std::string::npos);
}

TEST_CASE("explain: clauses inside a field scope are evaluated in that scope",
          "[topics][explain]") {
  const Doc d = doc("Football talks", "The football club and the talks.");
  const TopicQuery q = query("talks AND NOT headline:(football OR \"champions league\")");
  const TopicExplanation ex = explain_topic(q, d.article, d.text);
  CHECK_FALSE(ex.matched);
  const auto m = clause_map(q, ex, d);
  // Evaluated on its own, `football` would also be found in the body.
  CHECK(m.at("football") == "true 'Football' headline:0-8");
  CHECK(m.at("\"champions league\"") == "false");
  CHECK(m.at("talks") == "true 'talks' headline:9-14 'talks' body:26-31");
  const std::string text = describe_clauses(q, ex, d.article);
  CHECK(text.find("    NOT: false\n      headline:(...): true\n        OR: true (1 of 2 true)\n") !=
        std::string::npos);
}

TEST_CASE("explain: NEAR shows both sides and whether a pair was close enough",
          "[topics][explain]") {
  const Doc d = doc("", "Lavrov arrived on Monday; after a long and tiring day he met Wang Yi.");
  const TopicQuery far = query("Lavrov NEAR/3 \"Wang Yi\"");
  const TopicExplanation ex = explain_topic(far, d.article, d.text);
  CHECK_FALSE(ex.matched);
  CHECK(describe_clauses(far, ex, d.article) ==
        "  NEAR/3: false, no pair close enough\n"
        "    lavrov: true, found 'Lavrov' body:0-6\n"
        "    \"wang yi\": true, found 'Wang Yi' body:61-68\n");
  const TopicQuery near = query("Lavrov NEAR/20 \"Wang Yi\"");
  const TopicExplanation ok = explain_topic(near, d.article, d.text);
  CHECK(ok.matched);
  CHECK(describe_clauses(near, ok, d.article)
            .starts_with("  NEAR/20: true, found 'Lavrov' body:0-6, 'Wang Yi' body:61-68\n"));
}

TEST_CASE("explain: @entities resolve through the resolver, or are noted as unknown",
          "[topics][explain]") {
  const Doc d = doc("Stoltenberg in Kyiv", "Jens Stoltenberg said NATO would help.");
  const WatchList people = names("Jens Stoltenberg|Stoltenberg\n");
  const EntityResolver resolve = [&](std::string_view list,
                                     std::string_view name) -> const EntityDef* {
    if (list != "people") return nullptr;
    for (const auto& e : people.entities)
      if (e.canonical == name) return &e;
    return nullptr;
  };
  const TopicQuery q = query("@people/Jens Stoltenberg AND NATO");
  const TopicExplanation ex = explain_topic(q, d.article, d.text, resolve);
  CHECK(ex.matched);
  CHECK(ex.notes.empty());
  CHECK(clause_map(q, ex, d).at("@people/Jens Stoltenberg") ==
        "true 'Stoltenberg' headline:0-11 'Jens Stoltenberg' body:0-16");

  const TopicExplanation unresolved = explain_topic(q, d.article, d.text);
  CHECK_FALSE(unresolved.matched);
  REQUIRE(unresolved.notes.size() == 1);  // noted once, not once per clause
  CHECK(unresolved.notes[0].find("@people/Jens Stoltenberg") != std::string::npos);
}

TEST_CASE("explain: an empty or malformed query explains nothing", "[topics][explain]") {
  const Doc d = doc("a", "b");
  TopicQuery empty;
  CHECK(explain_topic(empty, d.article, d.text).clauses.empty());
  TopicQuery bad = query("a AND b");
  bad.root = 99;
  CHECK_FALSE(explain_topic(bad, d.article, d.text).matched);
}

TEST_CASE("explain: entities with their matches and near misses", "[topics][explain]") {
  const WatchList people = names(
      "Sergei Lavrov|Lavrov\n"
      "United States|US\n"
      "Jens Stoltenberg|Stoltenberg|!Gerhard Stoltenberg\n"
      "New York|New York City\n"
      "Antony Blinken|Blinken\n");
  Diagnostics diags;
  const auto rules = Rules::compile({people}, diags);
  REQUIRE(rules);
  const Doc d = doc("Talks with Sergei",
                    "Lavrov said us officials, Gerhard Stoltenberg and Stoltenberg met in New "
                    "York City; Lavrovian politics.");
  HyperscanMatcher matcher(rules);
  MatchSet ms;
  REQUIRE(matcher.match(d.article, d.text, ms));
  const auto ex = explain_entities(*rules, d.article, d.text, ms);

  std::map<std::string, std::vector<std::string>> got;  // canonical -> "verdict span"
  std::map<std::string, bool> matched;
  for (const auto& e : ex) {
    const std::string& name = rules->entities()[e.entity].canonical;
    matched[name] = e.matched;
    for (const auto& o : e.occurrences)
      got[name].push_back(std::string(to_string(o.verdict)) + " " +
                          describe_span(d.article, o.field, o.start, o.end));
  }
  CHECK(got.count("Antony Blinken") == 0);  // nothing found: not listed
  CHECK(matched == std::map<std::string, bool>{{"Sergei Lavrov", true},
                                               {"United States", false},
                                               {"Jens Stoltenberg", true},
                                               {"New York", true}});
  CHECK(got["Sergei Lavrov"] == std::vector<std::string>{"crosses_fields 'Sergei' headline:11-17",
                                                         "matched 'Lavrov' body:0-6",
                                                         "word_boundary 'Lavrov' body:84-90"});
  CHECK(got["United States"] == std::vector<std::string>{"acronym_case 'us' body:12-14"});
  CHECK(got["Jens Stoltenberg"] ==
        std::vector<std::string>{"negative_alias 'Stoltenberg' body:34-45",
                                 "matched 'Stoltenberg' body:50-61"});
  CHECK(got["New York"] == std::vector<std::string>{"inside_longer 'New York' body:69-77",
                                                    "matched 'New York City' body:69-82"});
  // The crossing occurrence knows where its body part ends.
  for (const auto& e : ex) {
    for (const auto& o : e.occurrences) {
      if (o.verdict != AliasVerdict::crosses_fields) continue;
      CHECK(o.tail_start == 0);
      CHECK(o.tail_end == 6);
    }
  }
}

}  // namespace
}  // namespace newshound

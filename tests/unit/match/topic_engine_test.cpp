// Tests, stage match: the topic engine through both matchers, one group per
// operator and scope, each topic checked against evaluate_topic_reference (hits
// and spans) and against the expected outcome written here.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::compile_all;
using test::list_from;
using test::make_article;
using test::topics_from;

/// Compiles `topics` (with the names list `people`) and runs one article through
/// both engines; both must agree with the reference evaluator on every topic.
/// Returns the ids of the topics that matched.
struct Fixture {
  std::vector<WatchList> lists;
  std::shared_ptr<const Rules> rules;

  Fixture(const std::string& names, const std::string& topics) {
    lists.push_back(list_from(names, "people"));
    rules = compile_all(lists, {topics_from(topics)});
  }

  std::vector<std::string> hits(const Article& a, MatchSet* keep = nullptr) const {
    Normalizer normalizer;
    NormalizedArticle text;
    normalizer.normalize(a, text);
    HyperscanMatcher hs(rules);
    ReferenceMatcher ref(rules);
    MatchSet x;
    MatchSet y;
    REQUIRE(hs.match(a, text, x));
    REQUIRE(ref.match(a, text, y));
    INFO("headline: " << a.headline << "\nbody: " << a.body);
    const std::string dx = test::topic_difference(*rules, lists, a, text, x);
    const std::string dy = test::topic_difference(*rules, lists, a, text, y);
    CHECK(dx == "");
    CHECK(dy == "");
    std::vector<std::string> out;
    for (const auto& h : x.topics) out.push_back(rules->topics()[h.topic].id);
    if (keep != nullptr) *keep = x;
    return out;
  }
};

using Ids = std::vector<std::string>;

const char* const kNames =
    "Jens Stoltenberg|Stoltenberg|!Gerhard Stoltenberg\n"
    "North Atlantic Treaty Organization|NATO\n";

TEST_CASE("topic engine: terms, phrases, acronyms and wildcards", "[topics][engine]") {
  const Fixture f(kNames,
                  "t-word: sanctions\n"
                  "t-phrase: \"security guarantees\"\n"
                  "t-acr: NATO\n"
                  "t-wild: sanction*\n"
                  "t-wild-uni: ener*\n"
                  "t-miss: sanction\n");
  CHECK(f.hits(make_article("", "New SANCTIONS and Security\nGuarantees.")) ==
        Ids{"t-word", "t-phrase", "t-wild"});
  CHECK(f.hits(make_article("Nato and NATO", "sanctioned énergie")) ==
        Ids{"t-acr", "t-wild", "t-wild-uni"});
  CHECK(f.hits(make_article("", "nato; unsanctioned")) == Ids{});
}

TEST_CASE("topic engine: AND, OR, NOT and precedence", "[topics][engine]") {
  const Fixture f(kNames,
                  "t-and: ukraine AND patriot\n"
                  "t-adj: ukraine patriot\n"
                  "t-or: ukraine OR patriot\n"
                  "t-not: ukraine AND NOT russia\n"
                  "t-prec: ukraine OR patriot AND russia\n"
                  "t-group: (ukraine OR patriot) AND russia\n");
  CHECK(f.hits(make_article("Ukraine", "wants Patriot systems")) ==
        Ids{"t-and", "t-adj", "t-or", "t-not", "t-prec"});
  CHECK(f.hits(make_article("Ukraine", "Russia")) == Ids{"t-or", "t-prec", "t-group"});
  CHECK(f.hits(make_article("", "patriot; Russia")) == Ids{"t-or", "t-prec", "t-group"});
}

TEST_CASE("topic engine: NEAR and ONEAR", "[topics][engine]") {
  const Fixture f(kNames,
                  "n2: patriot NEAR/2 ukraine\n"
                  "n1: patriot NEAR/1 ukraine\n"
                  "o2: ukraine ONEAR/2 patriot\n"
                  "o2r: patriot ONEAR/2 ukraine\n"
                  "nphrase: \"air defence\" NEAR/3 (ukraine OR kyiv)\n"
                  "nwild: sanction* NEAR/2 moscow\n");
  MatchSet ms;
  CHECK(f.hits(make_article("", "Ukraine gets Patriot; air defence for Kyiv."), &ms) ==
        Ids{"n2", "o2", "nphrase"});
  CHECK(f.hits(make_article("Ukraine", "Patriot")) == Ids{});  // different fields
  CHECK(f.hits(make_article("", "sanctioning — Moscow")) == Ids{"nwild"});
}

TEST_CASE("topic engine: field scopes and the lead", "[topics][engine]") {
  const Fixture f(kNames,
                  "h: headline:(ukraine)\n"
                  "b: body:(ukraine)\n"
                  "l: lead:(ukraine)\n"
                  "lw: lead:(sanction*)\n"
                  "nested: body:(patriot AND headline:(ukraine)) OR lead:(kyiv)\n"
                  "hnot: patriot AND NOT headline:(ukraine)\n");
  CHECK(f.hits(make_article("Ukraine", "Kyiv.\n\nPatriot and Ukraine.")) ==
        Ids{"h", "b", "nested"});
  CHECK(f.hits(make_article("", "Ukraine sanctions.\n\nPatriot")) == Ids{"b", "l", "lw", "hnot"});
  CHECK(f.hits(make_article("", "<p>Kyiv</p><p>Patriot</p>", BodyFormat::html)) ==
        Ids{"nested", "hnot"});
}

TEST_CASE("topic engine: several headlines, bodies and descriptions", "[topics][engine]") {
  const Fixture f(kNames,
                  "h: headline:(ukraine)\n"
                  "b: body:(ukraine)\n"
                  "d: description:(ukraine)\n"
                  "l: lead:(kyiv)\n"
                  "n: patriot NEAR/2 ukraine\n"
                  "any: patriot\n");
  const auto with = [](Article a, Field field, const char* text) {
    a.add_extra(field, BodyFormat::text, text, TextPath::entry("x", 0));
    a.sort_extras();
    return a;
  };
  // A caption is searched, and is its own scope.
  CHECK(f.hits(with(make_article("Talks", "Nothing here"), Field::description,
                    "Patriot near Ukraine")) == Ids{"d", "n", "any"});
  // NEAR needs both in one value: the end of one caption and the start of the next
  // are not near.
  CHECK(f.hits(with(with(make_article("", ""), Field::description, "A caption ending Patriot"),
                    Field::description, "Ukraine at the start")) == Ids{"d", "any"});
  // A further body is body:, but the lead is the main body's only.
  CHECK(f.hits(with(make_article("", "Quiet day"), Field::body, "Kyiv and Ukraine")) == Ids{"b"});
  CHECK(f.hits(with(make_article("", "Kyiv first"), Field::body, "later")) == Ids{"l"});
  // A further headline is headline:.
  CHECK(f.hits(with(make_article("Talks", "x"), Field::headline, "Ukraine talks")) == Ids{"h"});
  // Only a description: the picture with its caption.
  CHECK(f.hits(with(make_article("", ""), Field::description, "Patriot")) == Ids{"any"});
}

TEST_CASE("topic engine: ATLEAST", "[topics][engine]") {
  const Fixture f(kNames,
                  "a2: ATLEAST 2 (patriot, interceptor*, \"air defence\")\n"
                  "a3: ATLEAST 3 (patriot, interceptor*, \"air defence\")\n"
                  "aneg: ATLEAST 2 (patriot, iris, NOT tanks)\n");
  CHECK(f.hits(make_article("", "Patriot interceptors")) == Ids{"a2", "aneg"});
  CHECK(f.hits(make_article("", "Patriot interceptors and air defence, tanks")) == Ids{"a2", "a3"});
}

TEST_CASE("topic engine: @references and negative aliases", "[topics][engine]") {
  const Fixture f(kNames,
                  "r: @people/Jens Stoltenberg\n"
                  "rn: @people/Jens Stoltenberg NEAR/3 nato\n"
                  "ro: @people/North Atlantic Treaty Organization OR kyiv\n");
  CHECK(f.hits(make_article("", "Stoltenberg said NATO would act.")) == Ids{"r", "rn", "ro"});
  CHECK(f.hits(make_article("", "Gerhard Stoltenberg said NATO acts.")) == Ids{"ro"});
  CHECK(f.hits(make_article("", "nato")) == Ids{});
  MatchSet ms;
  CHECK(f.hits(make_article("", "Gerhard Stoltenberg and Jens Stoltenberg."), &ms) == Ids{"r"});
  REQUIRE(ms.topics.size() == 1);
  // Spans of an @reference are the entity's matches: the Stoltenberg inside the
  // negative and the one inside "Jens Stoltenberg" do not count.
  REQUIRE(ms.topics[0].span_end - ms.topics[0].span_begin == 1);
  CHECK(ms.topic_spans[0].start == 24);
  CHECK(ms.topic_spans[0].end == 40);
  // The entity's own matches honour the negative too.
  REQUIRE(ms.matches.size() == 1);
  CHECK(ms.matches[0].start == 24);
}

TEST_CASE("topic engine: spans are those of the satisfied branches", "[topics][engine]") {
  const Fixture f(kNames, "s: (ukraine AND russia) OR (patriot AND NOT iris) OR kyiv\n");
  MatchSet ms;
  const Article a = make_article("Ukraine", "Patriot and Iris for Ukraine, not Russia-ready Kyiv");
  CHECK(f.hits(a, &ms) == Ids{"s"});
  std::vector<std::string> got;
  for (const auto& s : ms.topic_spans)
    got.push_back(
        (s.field == Field::headline ? a.headline : a.body).substr(s.start, s.end - s.start));
  CHECK(got == std::vector<std::string>{"Ukraine", "Ukraine", "Russia", "Kyiv"});
}

TEST_CASE("topic engine: a reused MatchSet holds only the last article's hits",
          "[topics][engine]") {
  const Fixture f(kNames, "k: kyiv\n");
  auto rules = f.rules;
  HyperscanMatcher hs(rules);
  Normalizer normalizer;
  NormalizedArticle text;
  MatchSet ms;
  Article a = make_article("", "Kyiv and Kyiv");
  normalizer.normalize(a, text);
  REQUIRE(hs.match(a, text, ms));
  CHECK(ms.topics.size() == 1);
  CHECK(ms.topic_spans.size() == 2);
  CHECK_FALSE(ms.empty());
  a = make_article("", "Lviv");
  normalizer.normalize(a, text);
  REQUIRE(hs.match(a, text, ms));
  CHECK(ms.topics.empty());
  CHECK(ms.topic_spans.empty());
  CHECK(ms.empty());
}

}  // namespace
}  // namespace newshound

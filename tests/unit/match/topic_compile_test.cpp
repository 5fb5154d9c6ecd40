// Tests, stage match: Rules::compile with topic files: topics and deduplicated
// terms with their owners, prefix and acronym terms, one database id per distinct
// literal, @references resolved (or reported with file:line:col), the rules
// version covering topics, and negative aliases through both engines.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::compile_all;
using test::list_from;
using test::topics_from;

TEST_CASE("compile: topics, deduplicated terms and their owners", "[topics][compile]") {
  const std::vector<WatchList> lists{list_from("Jens Stoltenberg|Stoltenberg\nNATO\n", "people")};
  TopicFile tf = topics_from(
      "a: sanctions AND (NATO OR nato)\n"
      "b: Sanctions NEAR/3 sanction*\n"
      "c: @people/Jens Stoltenberg AND \"security guarantees\"\n",
      "security");
  tf.tags = {"security"};
  const auto rules = compile_all(lists, {tf});

  REQUIRE(rules->lists().size() == 2);
  CHECK_FALSE(rules->lists()[0].topics);
  CHECK(rules->lists()[1].topics);
  CHECK(rules->lists()[1].name == "security");
  CHECK(rules->lists()[1].tags == std::vector<std::string>{"security"});

  REQUIRE(rules->topics().size() == 3);
  CHECK(rules->topics()[0].id == "a");
  CHECK(rules->topics()[0].list == 1);
  CHECK(rules->topics()[2].line == 3);
  CHECK(rules->topics()[1].text.find("Sanctions NEAR/3 sanction*") != std::string::npos);

  // sanctions (a, b), NATO exact, nato, sanction* (prefix), "security guarantees"
  const auto& terms = rules->terms();
  REQUIRE(terms.size() == 5);
  CHECK(terms[0].literal == "sanctions");
  CHECK(terms[0].topics == std::vector<std::uint32_t>{0, 1});
  CHECK(terms[1].literal == "nato");
  CHECK(terms[1].exact == "NATO");
  CHECK(terms[2].literal == "nato");
  CHECK(terms[2].exact.empty());
  CHECK(terms[3].literal == "sanction");
  CHECK(terms[3].prefix);
  CHECK(terms[3].topics == std::vector<std::uint32_t>{1});
  CHECK(terms[4].literal == "security guarantees");

  // Term nodes point at their term, the reference at its entity.
  const TopicQuery& qc = rules->topics()[2].query;
  bool ref_seen = false;
  for (const auto& n : qc.nodes) {
    if (n.kind == QueryKind::entity_ref) {
      ref_seen = true;
      CHECK(n.target == 0);
    }
    if (n.kind == QueryKind::phrase) CHECK(n.target == 4);
  }
  CHECK(ref_seen);
  CHECK(rules->entity_topics(0).size() == 1);
  CHECK(rules->entity_topics(0)[0] == 2);
  CHECK(rules->entity_topics(1).empty());

  // One pattern per term; identical literals share one database id.
  std::size_t term_patterns = 0;
  for (const auto& p : rules->patterns()) term_patterns += p.kind == PatternKind::term ? 1 : 0;
  CHECK(term_patterns == 5);
  // Literals: jens stoltenberg, stoltenberg, nato (alias NATO, terms NATO and nato),
  // sanctions, sanction, security guarantees.
  CHECK(rules->literal_count() == 6);
  std::size_t shared = 0;
  for (std::uint32_t id = 0; id < rules->literal_count(); ++id)
    shared = std::max(shared, rules->literal_patterns(id).size());
  CHECK(shared == 3);
}

TEST_CASE("compile: an unknown @reference is reported at its line and column",
          "[topics][compile]") {
  const std::vector<WatchList> lists{list_from("Jens Stoltenberg\n", "people")};
  const TopicFile tf = topics_from(
      "# comment\n"
      "ok: @people/Jens Stoltenberg\n"
      "bad: nato AND \\\n"
      "  @people/Jens Stoltenburg\n"
      "worse: kyiv OR @orgs/NATO\n",
      "t");
  Diagnostics diags;
  CHECK(Rules::compile(lists, {tf}, diags) == nullptr);
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].format() ==
        "t.topics:4:3: unknown entity in @people/Jens Stoltenburg: list \"people\" has no entity "
        "with that canonical name; write the first name of its line exactly");
  CHECK(diags[1].format() ==
        "t.topics:5:16: unknown list in @orgs/NATO: no .names list called \"orgs\" is loaded; "
        "load it with --watchlist (or a [[watchlist]]) or fix the name");
}

TEST_CASE("compile: the rules version covers topics and negatives", "[topics][compile]") {
  const auto version = [](const std::vector<WatchList>& lists,
                          const std::vector<TopicFile>& topics) {
    return compile_all(lists, topics)->version();
  };
  const std::vector<WatchList> lists{list_from("Jens Stoltenberg|Stoltenberg\n", "people")};
  const std::string names_only = version(lists, {});
  Diagnostics diags;
  CHECK(Rules::compile(lists, diags)->version() == names_only);  // both overloads agree

  const std::string v0 = version(lists, {topics_from("a: kyiv AND nato\n")});
  CHECK(v0 != names_only);
  CHECK(version(lists, {topics_from("a: kyiv AND nato\n")}) == v0);
  CHECK(version(lists, {topics_from("a:   Kyiv  nato\n")}) == v0);
  CHECK(version(lists, {topics_from("a: kyiv OR nato\n")}) != v0);
  CHECK(version(lists, {topics_from("b: kyiv AND nato\n")}) != v0);
  CHECK(version(lists, {topics_from("a: kyiv AND nato\n", "other")}) != v0);
  TopicFile tagged = topics_from("a: kyiv AND nato\n");
  tagged.tags = {"x"};
  CHECK(version(lists, {tagged}) != v0);

  const std::vector<WatchList> neg{
      list_from("Jens Stoltenberg|Stoltenberg|!Gerhard Stoltenberg\n", "people")};
  CHECK(version(neg, {}) != names_only);
}

TEST_CASE("negative aliases suppress hits inside them, in both engines", "[topics][names]") {
  const auto rules = test::rules_from(
      "Jens Stoltenberg|Stoltenberg|!Gerhard Stoltenberg\n"
      "Gerhard Stoltenberg\n"
      "Paris|!Paris Hilton|!Hilton Paris\n"
      "US|!US Open\n");
  CHECK(rules->has_negatives());
  const auto run = [&](const std::string& headline, const std::string& body) {
    const Article a = test::make_article(headline, body);
    return test::render(*rules, a, test::run_both(rules, a));
  };
  using Lines = std::vector<std::string>;
  CHECK(run("", "Gerhard Stoltenberg, father of Jens Stoltenberg.") ==
        Lines{"body:0-19 Gerhard Stoltenberg 'Gerhard Stoltenberg'",
              "body:31-47 Jens Stoltenberg 'Jens Stoltenberg'"});
  CHECK(run("Stoltenberg", "Gerhard\nStoltenberg") ==
        Lines{"headline:0-11 Jens Stoltenberg 'Stoltenberg'",
              "body:0-19 Gerhard Stoltenberg 'Gerhard\nStoltenberg'"});
  // Word boundaries hold for negatives too: "Gerhard Stoltenbergs" is no occurrence.
  CHECK(run("", "Paris Hiltons and Hilton Paris, Paris") ==
        Lines{"body:0-5 Paris 'Paris'", "body:32-37 Paris 'Paris'"});
  // Fields are separate: a negative in the headline does not reach into the body.
  CHECK(run("Paris Hilton", "Paris") == Lines{"body:0-5 Paris 'Paris'"});
  // The alias is an acronym (case-exact); the negative folds like any phrase.
  CHECK(run("", "US OPEN; US; us") == Lines{"body:9-11 US 'US'"});
}

}  // namespace
}  // namespace newshound

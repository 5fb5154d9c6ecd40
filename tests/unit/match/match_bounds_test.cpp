// Tests, stage match: the matcher is bounded by AlertLimits (issue 19, item 2).
// Thousands of entities sharing common words over one article: both engines keep
// at most 4 x max_matches hits in memory, keep the first max_matches in reading
// order and count the rest exactly; topic hits list at most max_spans_per_topic
// spans. Measured in matches held and counted, not in time.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "newshound/match/topic_file.hpp"

namespace newshound {
namespace {

const std::vector<std::string> kWords = {"the", "of", "and", "to", "in"};

/// `per_word` entities for each common word, every one with that word as its alias.
std::string shared_aliases(int per_word) {
  std::string names;
  for (const auto& w : kWords)
    for (int i = 0; i < per_word; ++i) names += w + " entity " + std::to_string(i) + "|" + w + "\n";
  return names;
}

/// `n` repetitions of the common words: n x kWords.size() word occurrences.
std::string common_text(int n) {
  std::string body;
  for (int i = 0; i < n; ++i)
    for (const auto& w : kWords) body += w + " ";
  return body;
}

}  // namespace

TEST_CASE("thousands of entities over common words: the matcher holds a bounded number",
          "[match][bounds]") {
  constexpr int kPerWord = 2000;  // 10,000 entities
  constexpr int kRepeats = 200;   // 1,000 word occurrences, ~2.6 KB
  const auto rules = test::rules_from(shared_aliases(kPerWord));
  const Article a = test::make_article("", common_text(kRepeats));
  Normalizer normalizer;
  NormalizedArticle text;
  normalizer.normalize(a, text);
  const std::uint64_t all = std::uint64_t{kPerWord} * kRepeats * kWords.size();  // 2,000,000

  HyperscanMatcher hs(rules);
  ReferenceMatcher ref(rules);
  for (Matcher* m : {static_cast<Matcher*>(&hs), static_cast<Matcher*>(&ref)}) {
    MatchSet ms;
    REQUIRE(m->match(a, text, ms));
    CHECK(ms.matches.size() == 1000);
    // Memory: at most 4 x max_matches verified hits were ever held (the vector's
    // capacity at most twice that), not 2,000,000.
    CHECK(ms.matches.capacity() <= 2 * 4 * 1000);
    CHECK(ms.truncated == all - 1000);
    // The kept ones are in reading order.
    for (std::size_t i = 1; i < ms.matches.size(); ++i)
      CHECK(std::tie(ms.matches[i - 1].field, ms.matches[i - 1].start) <=
            std::tie(ms.matches[i].field, ms.matches[i].start));
  }

  // Below the bound nothing changes and nothing is counted.
  AlertLimits wide;
  wide.max_matches = 1000000;
  hs.set_limits(wide);
  const Article small = test::make_article("", common_text(1));
  NormalizedArticle small_text;
  normalizer.normalize(small, small_text);
  MatchSet ms;
  REQUIRE(hs.match(small, small_text, ms));
  CHECK(ms.matches.size() == std::size_t{kPerWord} * kWords.size());
  CHECK(ms.truncated == 0);
}

TEST_CASE("a smaller max_matches keeps the first matches in reading order", "[match][bounds]") {
  const auto rules = test::rules_from("Alpha\nBeta\nGamma\n");
  const Article a = test::make_article("Gamma", "Alpha Beta Gamma Alpha Beta");
  Normalizer normalizer;
  NormalizedArticle text;
  normalizer.normalize(a, text);
  HyperscanMatcher hs(rules);
  AlertLimits limits;
  limits.max_matches = 3;
  hs.set_limits(limits);
  MatchSet ms;
  REQUIRE(hs.match(a, text, ms));
  REQUIRE(ms.matches.size() == 3);
  CHECK(ms.truncated == 3);
  CHECK(ms.matches[0].field == Field::headline);
  CHECK(ms.matches[1].start == 0);  // body "Alpha"
  CHECK(ms.matches[2].start == 6);  // body "Beta"
}

TEST_CASE("a topic hit lists at most max_spans_per_topic spans", "[match][bounds]") {
  TopicFile tf;
  tf.name = "desk";
  tf.path = "desk.topics";
  Diagnostics diags;
  parse_topics("common: the\n", tf.path, tf, diags);
  REQUIRE(diags.empty());
  const auto rules = Rules::compile({}, {tf}, diags);
  REQUIRE(rules);
  const Article a = test::make_article("", common_text(500));  // 500 x "the"
  Normalizer normalizer;
  NormalizedArticle text;
  normalizer.normalize(a, text);
  HyperscanMatcher hs(rules);
  MatchSet ms;
  REQUIRE(hs.match(a, text, ms));
  REQUIRE(ms.topics.size() == 1);
  CHECK(ms.topics[0].span_end - ms.topics[0].span_begin == 100);  // the default
  CHECK(ms.spans_truncated == 400);
  CHECK(ms.topic_spans.front().start == 0);  // the first ones
}

}  // namespace newshound

// Tests, stage match: the topic engine's work per article is linear in its
// occurrences. NEAR over thousands of occurrences of common words counts its steps
// (TopicStats) instead of timing them: doubling the article at most ~doubles the
// work, and `the NEAR/1000 of` over a 700 KB article stays within a linear bound
// (the every-pair evaluation took 17.5 s there). Results still equal the reference
// evaluator on long generated articles with many occurrences per term.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "match/topic_engine.hpp"
#include "match_test_util.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::Rng;

/// Runs the topic engine alone (after HyperscanMatcher found the candidates) with
/// a fresh scratch; returns its counters and leaves the hits in `ms`.
TopicStats topic_work(const std::shared_ptr<const Rules>& rules, const Article& a, MatchSet& ms) {
  Normalizer normalizer;
  NormalizedArticle text;
  normalizer.normalize(a, text);
  HyperscanMatcher hs(rules);
  REQUIRE(hs.match(a, text, ms));
  ms.topics.clear();
  ms.topic_spans.clear();
  TopicScratch scratch;
  match_topics(*rules, a, text, ms, scratch);
  return scratch.stats;
}

std::string repeat(const std::string& unit, std::size_t bytes) {
  std::string s;
  s.reserve(bytes + unit.size());
  while (s.size() < bytes) s += unit;
  return s;
}

TEST_CASE("NEAR work is linear in the occurrences, not their pairs", "[topics][engine][work]") {
  const auto rules =
      test::compile_all({}, {test::topics_from("near: the NEAR/1000 of\nonear: of ONEAR/3 the\n")});
  const std::string unit = "the cat of the dog sat on a mat. ";  // 2 the, 1 of per unit
  MatchSet ms;
  const auto small = topic_work(rules, test::make_article("x", repeat(unit, 100'000)), ms);
  REQUIRE(ms.topics.size() == 2);
  const auto big = topic_work(rules, test::make_article("x", repeat(unit, 200'000)), ms);
  REQUIRE(ms.topics.size() == 2);
  INFO("steps at 100 KB " << small.near_steps << ", at 200 KB " << big.near_steps);
  CHECK(small.near_steps > 0);
  CHECK(big.near_steps <= 2 * small.near_steps + 100);

  // The hostile case: 700 KB, ~64,000 `the` and ~32,000 `of`, ~2e9 pairs.
  const Article huge = test::make_article("x", repeat(unit, 700'000));
  const std::size_t occurrences = 3 * (huge.body.size() / unit.size() + 1);
  const auto work = topic_work(rules, huge, ms);
  REQUIRE(ms.topics.size() == 2);
  INFO("steps " << work.near_steps << " for " << occurrences << " occurrences");
  // Per NEAR node: 2 edges per occurrence and 4 sweeps of at most 2 steps each.
  CHECK(work.near_steps <= 2 * 12 * occurrences);
}

TEST_CASE("NEAR equals the reference evaluator over many occurrences",
          "[topics][engine][diff][work]") {
  // Few words, long articles: every term occurs hundreds of times, in headline and
  // body, so the sweeps meet ties, overlaps (phrases, stems, OR operands), both
  // fields and every distance from 1 up to 1,000 (beyond the headline).
  const std::vector<std::string> words = {"the", "of",   "cat",  "cats",  "dog",
                                          "a",   "the,", "mat.", "Dog\n", "the cat"};
  std::string topics;
  const char* const lhs[] = {"the", "of", "cat*", "\"the cat\"", "(dog OR cat)", "a"};
  const char* const rhs[] = {"of", "the", "dog", "(the OR a)", "\"cat of\"", "mat"};
  int id = 0;
  for (const char* l : lhs)
    for (const char* r : rhs)
      for (const char* op : {" NEAR/", " ONEAR/"})
        for (const char* n : {"1", "2", "3", "40", "1000"})
          topics += "t" + std::to_string(id++) + ": " + l + op + n + " " + r + "\n";
  topics += "s0: headline:(the NEAR/2 dog)\ns1: body:(cat ONEAR/5 of) AND the NEAR/1 a\n";
  const std::vector<WatchList> lists;
  const auto rules = test::compile_all(lists, {test::topics_from(topics)});

  Rng rng(20261124);
  Normalizer normalizer;
  NormalizedArticle text;
  HyperscanMatcher hs(rules);
  // Every span, as the reference gives them: the alert bounds lifted.
  hs.set_limits(AlertLimits{1'000'000, std::size_t{1} << 30, 1'000'000});
  MatchSet ms;
  std::size_t hits = 0;
  for (int i = 0; i < 8; ++i) {
    std::string headline, body;
    for (std::size_t k = 0, n = 5 + rng.below(30); k < n; ++k)
      headline += words[rng.below(words.size())] + " ";
    for (std::size_t k = 0, n = 100 + rng.below(600); k < n; ++k)
      body += words[rng.below(words.size())] + (rng.below(8) == 0 ? "\n\n" : " ");
    const Article a = test::make_article(headline, body);
    normalizer.normalize(a, text);
    REQUIRE(hs.match(a, text, ms));
    const std::string diff = test::topic_difference(*rules, lists, a, text, ms);
    if (!diff.empty()) FAIL("article " << i << "\nheadline: " << headline << "\n" << diff);
    hits += ms.topics.size();
  }
  CHECK(hits > 8 * 50);
}

}  // namespace
}  // namespace newshound

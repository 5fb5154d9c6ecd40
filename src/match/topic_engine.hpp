// Stage: match. Internal to the engines: verify_hit (one literal hit checked against
// the matching rules) and the topic engine that runs after verification in both
// HyperscanMatcher and ReferenceMatcher. Not part of the public API.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/stem.hpp"
#include "newshound/normalize/normalized_article.hpp"

namespace newshound {

/// A verified literal hit: folded span and original span in its field.
struct LiteralHit {
  Field field = Field::body;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t folded_start = 0;
  std::uint32_t folded_end = 0;
  std::uint32_t value = 0;  ///< Article text value / folded segment
};

/// Checks the hit of `p` whose literal ends at folded `hit_end`: inside one field,
/// word boundaries (a prefix term extends over the rest of its word instead of
/// checking the end boundary), acronym case against the original value (text value
/// `i` of `article` for folded segment i). Fills `out` and returns true if it holds;
/// false for any violation or malformed input.
bool verify_hit(const Pattern& p, const NormalizedArticle& na, const Article& article,
                std::uint32_t hit_end, LiteralHit& out);

/// A verified occurrence of a term (key = Rules::terms() index) or of an alias of a
/// referenced entity (key = entity index), folded [s, e).
struct Occurrence {
  std::uint32_t key = 0;
  std::uint32_t s = 0;
  std::uint32_t e = 0;
};

/// One end (start or end) of a NEAR operand occurrence: its folded position and its
/// index in the operand's occurrence list.
struct NearEdge {
  std::uint32_t pos = 0;
  std::uint32_t i = 0;
};

/// The occurrences of one NEAR/s or NEAR/p side within one unit (sentence or
/// paragraph): the latest start and the earliest end among them.
struct UnitReach {
  std::uint32_t unit = 0;
  std::uint32_t max_start = 0;
  std::uint32_t min_end = 0;
};

/// Work counters of the topic engine, summed until reset by the caller: lets tests
/// bound the work per article (linear in its occurrences, not their pairs).
struct TopicStats {
  std::uint64_t near_steps = 0;  ///< NEAR edges laid out, sweep steps and pair checks
};

/// Per-thread reusable buffers of the topic engine; they keep their capacity, so
/// evaluation allocates nothing once they have grown to the article sizes seen.
struct TopicScratch {
  std::vector<Occurrence> terms;
  std::vector<Occurrence> entities;
  std::vector<Occurrence> negatives;
  std::vector<std::uint32_t> woken;
  std::vector<std::uint32_t> words;  ///< word number per folded byte (NEAR), lazily
  bool words_ready = false;
  std::vector<std::uint32_t> sentences;    ///< sentence number per folded byte, lazily
  std::vector<std::uint32_t> paragraphs;   ///< paragraph number per folded byte, lazily
  std::vector<std::uint32_t> unit_breaks;  ///< number_units_of's scratch
  bool sentences_ready = false;
  bool paragraphs_ready = false;
  std::vector<UnitReach> left_units;  ///< NEAR/s, NEAR/p: each side's reach per unit
  std::vector<UnitReach> right_units;
  std::pair<std::uint32_t, std::uint32_t> lead{0, 0};  ///< lead_range, lazily
  bool lead_ready = false;
  std::vector<TopicSpan> left;  ///< NEAR operand occurrences
  std::vector<TopicSpan> right;
  std::vector<std::uint8_t> left_used;
  std::vector<std::uint8_t> right_used;
  std::vector<NearEdge> left_starts;  ///< NEAR sweeps: operand edges by position
  std::vector<NearEdge> left_ends;
  std::vector<NearEdge> right_starts;
  std::vector<NearEdge> right_ends;
  TopicStats stats;   ///< not reset by match_topics()
  Stemmers stemmers;  ///< `~` terms: this thread's stemmers, created on first use
};

/// Fills `out.topics` and `out.topic_spans` from `out.candidates` (and the verified
/// `out.matches`): verifies term hits, wakes only the topics that own a seen term or
/// reference a matched entity, and evaluates those. Gives exactly what
/// evaluate_topic_reference gives for every topic, except that a hit keeps only its
/// first `max_spans` spans (0 = 1) in folded order, counting the rest in
/// `out.spans_truncated`. No exceptions but std::bad_alloc.
void match_topics(const Rules& rules, const Article& article, const NormalizedArticle& text,
                  MatchSet& out, TopicScratch& scratch,
                  std::size_t max_spans = static_cast<std::size_t>(-1));

}  // namespace newshound

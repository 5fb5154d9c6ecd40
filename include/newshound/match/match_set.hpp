// Stage: match. The fourth hand-off type: what one article matched.
#pragma once

#include <cstdint>
#include <vector>

#include "newshound/normalize/normalized_article.hpp"

namespace newshound {

/// A raw engine hit as recorded by the scan callback: database id (one per
/// distinct literal; Rules::literal_patterns lists the patterns it stands for) and
/// the end of the literal in the folded text. Nothing else happens inside the
/// callback.
struct Candidate {
  std::uint32_t pattern = 0;  ///< database id, see Rules::literal_patterns
  std::uint32_t end = 0;      ///< folded offset one past the last byte
};

/// A verified match: word boundaries hold, acronym case holds, and it is not
/// contained in a longer match of the same entity.
struct Match {
  std::uint32_t entity = 0;
  std::uint32_t pattern = 0;
  Field field = Field::headline;
  std::uint32_t start = 0;  ///< byte offset in the original field value
  std::uint32_t end = 0;    ///< one past the last byte, original field value
  std::uint32_t folded_start = 0;
  std::uint32_t folded_end = 0;
  std::uint32_t value = 0;  ///< the Article text value (and folded segment) it lies in
};

/// One occurrence of a term that helped satisfy a topic. `start`/`end` are byte
/// offsets in the original field, `folded_start`/`folded_end` in
/// NormalizedArticle::text; `node` is the Term/Phrase/EntityRef node of the topic's
/// TopicQuery that it matched.
struct TopicSpan {
  Field field = Field::body;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t folded_start = 0;
  std::uint32_t folded_end = 0;
  std::uint32_t node = 0;
  std::uint32_t value = 0;  ///< the Article text value (and folded segment) it lies in
};

/// A topic that matched: its index in Rules::topics() and its spans, the range
/// [span_begin, span_end) of MatchSet::topic_spans (sorted by folded position).
struct TopicHit {
  std::uint32_t topic = 0;
  std::uint32_t span_begin = 0;
  std::uint32_t span_end = 0;
};

/// Candidates, verified entity matches and topic hits of one article; reused by a
/// worker (clear() keeps capacity). `matches` is sorted by (value, start, entity);
/// `topics` by topic index.
struct MatchSet {
  std::vector<Candidate> candidates;
  /// Candidates found in the transliterated view (TranslitView offsets); empty
  /// unless the rules transliterate and the article kept non-ASCII text.
  std::vector<Candidate> view_candidates;
  std::vector<Match> matches;
  std::vector<TopicHit> topics;
  std::vector<TopicSpan> topic_spans;
  /// Entity matches the matcher left out at AlertLimits::max_matches (see
  /// verify_candidates); the encoder adds what it cuts and reports the sum.
  std::uint64_t truncated = 0;
  /// Topic spans left out at AlertLimits::max_spans_per_topic (not matches: the
  /// topic hit itself is kept).
  std::uint64_t spans_truncated = 0;

  void clear() {
    candidates.clear();
    view_candidates.clear();
    matches.clear();
    topics.clear();
    topic_spans.clear();
    truncated = 0;
    spans_truncated = 0;
  }
  /// True when the article alerts on nothing: no entity match and no topic hit.
  bool empty() const { return matches.empty() && topics.empty(); }
};

}  // namespace newshound

// Stage: match. The fourth hand-off type: what one article matched.
#pragma once

#include <cstdint>
#include <vector>

#include "newshound/normalize/normalized_article.hpp"

namespace newshound {

/// A raw engine hit as recorded by the scan callback: pattern id and the end of
/// the literal in the folded text. Nothing else happens inside the callback.
struct Candidate {
  std::uint32_t pattern = 0;
  std::uint32_t end = 0;  ///< folded offset one past the last byte
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
};

/// Candidates and verified matches of one article; reused by a worker.
/// `matches` is sorted by (field, start, entity).
struct MatchSet {
  std::vector<Candidate> candidates;
  std::vector<Match> matches;

  void clear() {
    candidates.clear();
    matches.clear();
  }
  bool empty() const { return matches.empty(); }
};

}  // namespace newshound

// Stage: stories. The match fingerprint: sorted distinct (kind, id) pairs, hashed.
#include "newshound/stories/match_hash.hpp"

#include <xxhash.h>
#include <algorithm>

namespace newshound {

std::uint64_t match_hash(const MatchSet& m, std::vector<std::uint64_t>& scratch) {
  if (m.empty()) return kNoMatches;
  scratch.clear();
  for (const Match& x : m.matches) scratch.push_back(std::uint64_t{1} << 32 | x.entity);
  for (const TopicHit& t : m.topics) scratch.push_back(std::uint64_t{2} << 32 | t.topic);
  std::sort(scratch.begin(), scratch.end());
  scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
  const std::uint64_t h = XXH3_64bits(scratch.data(), scratch.size() * sizeof(std::uint64_t));
  return h == kNoMatches ? 1 : h;
}

std::uint64_t match_hash(const MatchSet& m, std::string_view rules_version,
                         std::vector<std::uint64_t>& scratch) {
  const std::uint64_t h = match_hash(m, scratch);
  if (h == kNoMatches) return kNoMatches;
  const std::uint64_t r = XXH3_64bits_withSeed(rules_version.data(), rules_version.size(), h);
  return r == kNoMatches ? 1 : r;
}

}  // namespace newshound

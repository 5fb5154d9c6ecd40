// Stage: stories. A fingerprint of what an article matched (the entities and topics,
// not where): two versions of an article with the same fingerprint alert on the
// same things, so the lifecycle raises no update for the second.
#pragma once

#include <cstdint>
#include <vector>

#include "newshound/match/match_set.hpp"

namespace newshound {

/// The fingerprint of "matched nothing".
inline constexpr std::uint64_t kNoMatches = 0;

/// XXH3-64 of the sorted, distinct (kind, id) pairs of `m`: every matched entity
/// (kind 1) and every matched topic (kind 2). kNoMatches when `m` is empty, never
/// kNoMatches otherwise. Positions, fields and counts do not count. `scratch` is
/// reused (no allocation once warm). Pure; never throws except std::bad_alloc.
std::uint64_t match_hash(const MatchSet& m, std::vector<std::uint64_t>& scratch);

}  // namespace newshound

// Stage: stories. A fingerprint of what an article matched (the entities and topics,
// not where): two versions of an article with the same fingerprint alert on the
// same things, so the lifecycle raises no update for the second.
#pragma once

#include <cstdint>
#include <string_view>
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

/// The fingerprint under `rules_version` (entity and topic ids index the rules
/// they were matched with, so fingerprints of other rules never compare equal):
/// match_hash() seeded into XXH3-64 of the rules version. kNoMatches when `m` is
/// empty, never otherwise. This is what the pipeline hands the lifecycle.
std::uint64_t match_hash(const MatchSet& m, std::string_view rules_version,
                         std::vector<std::uint64_t>& scratch);

}  // namespace newshound

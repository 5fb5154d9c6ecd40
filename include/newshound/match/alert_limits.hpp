// Stage: match. The per-alert bounds (docs/alerts.md, "Bounds"): how many matches
// and bytes one article's alert may carry, and how many spans one topic hit lists.
// The matcher stops collecting at them and the encoder cuts at them, so one hostile
// article costs memory and work in proportion to the bounds, not to its matches.
#pragma once

#include <cstddef>

namespace newshound {

/// Bounds of one alert; the defaults are the config's (top-level
/// `max_matches_per_alert`, `max_alert_bytes`, `max_spans_per_topic`). Plain values,
/// copied into every worker. A 0 is treated as 1 (an alert always keeps its first
/// match, a topic hit its first span).
struct AlertLimits {
  /// Entity matches + topic hits in one alert; the rest are counted in `truncated`.
  std::size_t max_matches = 1000;
  /// Bytes of one alert's JSON line (its headline and first match are always kept,
  /// so a headline alone larger than this gives a larger alert).
  std::size_t max_bytes = std::size_t{1} << 20;
  /// Spans listed in one topic hit (the first ones in reading order).
  std::size_t max_spans_per_topic = 100;
  /// Whether each match carries its `snippet` (an output's `snippets`; the
  /// top-level value is always true). Leaving them out saves their rendering.
  bool snippets = true;
  bool operator==(const AlertLimits&) const = default;
};

}  // namespace newshound

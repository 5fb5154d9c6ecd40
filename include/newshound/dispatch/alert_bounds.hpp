// Stage: dispatch. Per-output alert bounds: outputs may set their own
// `max_matches_per_alert` / `max_alert_bytes`. The widest bounds drive matching and
// the alert every output gets by default; each distinct smaller set is a "cut
// class" for which a worker encodes a second, shorter alert only when the widest
// one does not fit it (docs/alerts.md, Bounds). An output's `snippets = false`
// makes a class too: its copy, always encoded, leaves the snippets out; the
// widest alert has snippets when any output wants them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "newshound/encode/alert.hpp"
#include "newshound/match/alert_limits.hpp"

namespace newshound {

/// The bounds of all outputs at once. Class 0 is `widest`; class k >= 1 is
/// `cuts[k - 1]`. Plain values, copied into every worker.
struct AlertBounds {
  AlertLimits widest;
  std::vector<AlertLimits> cuts;
  bool operator==(const AlertBounds&) const = default;
};

/// Groups per-output limits into classes. `global` is used when there are no
/// outputs; `class_of` gets one class index per entry of `outputs`. The widest
/// bounds take the largest max_matches and max_bytes of any output (and the global
/// max_spans_per_topic), and snippets when any output has them; an output whose
/// limits equal them is class 0.
AlertBounds plan_alert_bounds(const AlertLimits& global, std::span<const AlertLimits> outputs,
                              std::vector<std::uint32_t>& class_of);

/// The alert an output of class `bound_class` gets: the cut made for that class,
/// or `alert` itself when none was needed (it fits) or the class is unknown (a
/// reload changed the classes while the alert was in flight).
const std::shared_ptr<const Alert>& alert_for_class(const std::shared_ptr<const Alert>& alert,
                                                    std::uint32_t bound_class);

}  // namespace newshound

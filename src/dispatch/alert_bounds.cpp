// Stage: dispatch. Per-output alert bounds (see alert_bounds.hpp).
#include "newshound/dispatch/alert_bounds.hpp"

#include <algorithm>

namespace newshound {

AlertBounds plan_alert_bounds(const AlertLimits& global, std::span<const AlertLimits> outputs,
                              std::vector<std::uint32_t>& class_of) {
  AlertBounds b;
  b.widest = global;
  class_of.assign(outputs.size(), 0);
  if (outputs.empty()) return b;
  b.widest.max_matches = 0;
  b.widest.max_bytes = 0;
  b.widest.snippets = false;
  for (const AlertLimits& o : outputs) {
    b.widest.max_matches = std::max(b.widest.max_matches, o.max_matches);
    b.widest.max_bytes = std::max(b.widest.max_bytes, o.max_bytes);
    b.widest.snippets = b.widest.snippets || o.snippets;
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    AlertLimits l = outputs[i];
    l.max_spans_per_topic = global.max_spans_per_topic;
    if (l == b.widest) continue;
    auto it = std::find(b.cuts.begin(), b.cuts.end(), l);
    if (it == b.cuts.end()) it = b.cuts.insert(b.cuts.end(), l);
    class_of[i] = static_cast<std::uint32_t>(it - b.cuts.begin()) + 1;
  }
  return b;
}

const std::shared_ptr<const Alert>& alert_for_class(const std::shared_ptr<const Alert>& alert,
                                                    std::uint32_t bound_class) {
  if (bound_class == 0 || bound_class > alert->cuts.size()) return alert;
  const auto& cut = alert->cuts[bound_class - 1];
  return cut ? cut : alert;
}

}  // namespace newshound

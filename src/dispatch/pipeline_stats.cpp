// Stage: dispatch. The pipeline counters and their event-loop side (see
// pipeline_stats.hpp).
#include "newshound/dispatch/pipeline_stats.hpp"

#include <spdlog/spdlog.h>

#include "newshound/dispatch/batch_result.hpp"

namespace newshound {

std::uint64_t PipelineStats::bad_lines_total() const {
  std::uint64_t n = 0;
  for (auto& c : bad_lines) n += c.load();
  return n;
}

void StatsAggregator::record(const BatchResult& r) {
  std::uint64_t suppressed = 0;
  for (const auto& bad : r.bad)
    if (!bad_line_log_[static_cast<std::size_t>(bad.error)].allow(&suppressed)) {
      continue;
    } else if (bad.error == DecodeError::looks_like_alert) {
      spdlog::warn(
          "input #{}: skipped a line that is one of newshound's own alerts (it has "
          "rules_version and matches): an output is probably wired back into this input; "
          "fix the wiring, or set accept_alerts = true on the input if alerts are meant "
          "to be read as articles ({} similar messages suppressed)",
          r.input, suppressed);
    } else {
      spdlog::warn(
          "input #{}: skipped a bad line ({}): fix the feed's JSON or its field mapping ({} "
          "similar messages suppressed)",
          r.input, to_string(bad.error), suppressed);
    }
  if (r.oversize &&
      bad_line_log_[static_cast<std::size_t>(DecodeError::too_large)].allow(&suppressed))
    spdlog::warn(
        "input #{}: skipped {} line(s) over max_line_bytes: raise max_line_bytes if "
        "such articles are legitimate ({} similar messages suppressed)",
        r.input, r.oversize, suppressed);
  for (std::size_t l = 0; l < r.lists.size(); ++l)
    if (r.lists[l].alerts || r.lists[l].matches) {
      auto& c = list_counts_[r.rules->lists()[l].name];
      c.alerts += r.lists[l].alerts;
      c.matches += r.lists[l].matches;
    }
  const auto now = Clock::now();
  for (auto& alert : r.alerts) stats_.alert_latency.observe(now - alert->received_at);
}

}  // namespace newshound

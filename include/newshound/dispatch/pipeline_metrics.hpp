// Stage: dispatch. The /metrics families of the pipeline: PipelineStats (lines,
// articles, bad lines, alerts, latency) and the dispatcher's per-list counts and gauges.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "newshound/dispatch/pipeline_stats.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Declares the pipeline families (newshound_lines_total .. newshound_held_alerts).
void declare_pipeline_metrics(MetricsExposition& out);
/// Declares newshound_alert_latency_seconds (shown after the rules families).
void declare_alert_latency_metric(MetricsExposition& out);

/// Adds the samples of `stats` (relaxed loads): counters, bad lines by reason
/// (DecodeError::ok never), the alert latency histogram.
void report_pipeline_metrics(MetricsExposition& out, const PipelineStats& stats);

/// Adds the dispatcher's samples: alerts and matches per watch-list (Dispatcher::
/// list_counts), alerts cut per output (name, Dispatcher::alerts_cut), batches in
/// flight and alerts held (Dispatcher::in_flight, held_alerts).
void report_dispatch_metrics(MetricsExposition& out, const std::map<std::string, ListCounts>& lists,
                             std::span<const std::pair<std::string_view, std::uint64_t>> cuts,
                             std::size_t in_flight_batches, std::size_t held_alerts);

}  // namespace newshound

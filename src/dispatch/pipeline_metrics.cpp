// Stage: dispatch. The /metrics families of the pipeline (PipelineStats, one row per
// counter: a new counter is one row here) and of the dispatcher (per-list counts,
// batches in flight, held alerts).
#include "newshound/dispatch/pipeline_metrics.hpp"

#include <array>

#include "newshound/decode/decoder.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr MetricFamily kBadLines{"newshound_bad_lines_total", counter,
                                 "Lines rejected by the decoder, by reason."};
constexpr MetricFamily kListAlerts{"newshound_watchlist_alerts_total", counter,
                                   "Alerts raised, per watch-list."};
constexpr MetricFamily kListMatches{"newshound_watchlist_matches_total", counter,
                                    "Entity matches found, per watch-list."};
constexpr MetricFamily kOutputCuts{
    "newshound_output_alerts_cut_total", counter,
    "Alerts an output got cut at its own smaller max_matches_per_alert or max_alert_bytes "
    "(the alert the other outputs got did not fit them)."};
constexpr MetricFamily kInFlight{"newshound_in_flight_batches", gauge,
                                 "Line batches taken by the workers but not yet handed to the "
                                 "sinks."};
constexpr MetricFamily kHeld{
    "newshound_held_alerts", gauge,
    "Alerts waiting for an output's queue to have room; their inputs pause meanwhile."};
constexpr MetricFamily kLatency{"newshound_alert_latency_seconds", histogram,
                                "Time from receipt of a line to its alert, in seconds."};

// Rows without a reader are sampled by hand below.
constexpr StatMetric<PipelineStats> kPipelineMetrics[] = {
    {"newshound_lines_total", counter, "Non-blank lines taken by the pipeline.",
     stat<&PipelineStats::lines>},
    {"newshound_articles_total", counter, "Lines decoded into articles.",
     stat<&PipelineStats::articles>},
    {kBadLines, nullptr},
    {"newshound_alerts_total", counter, "Alerts raised, all watch-lists.",
     stat<&PipelineStats::alerts>},
    {"newshound_matches_total", counter, "Entity matches found, all watch-lists.",
     stat<&PipelineStats::matches>},
    {kListAlerts, nullptr},
    {kListMatches, nullptr},
    {"newshound_engine_errors_total", counter,
     "Articles the matching engine failed on (not matched).", stat<&PipelineStats::engine_errors>},
    {"newshound_alerts_rejected_total", counter,
     "Alerts not delivered because their output was removed by a reload while they were "
     "held (a full queue holds alerts and pauses the inputs instead).",
     stat<&PipelineStats::alerts_rejected>},
    {"newshound_alerts_truncated_total", counter,
     "Alerts cut at max_matches_per_alert or max_alert_bytes (their \"truncated\" field).",
     stat<&PipelineStats::alerts_truncated>},
    {"newshound_alert_matches_truncated_total", counter,
     "Matches left out of alerts at max_matches_per_alert or max_alert_bytes.",
     stat<&PipelineStats::matches_truncated>},
    {kOutputCuts, nullptr},
    {kInFlight, nullptr},
    {kHeld, nullptr},
};

constexpr auto kLatencyBounds = [] {
  std::array<double, LatencyHistogram::kFinite> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = LatencyHistogram::bound_seconds(i);
  return b;
}();

}  // namespace

void declare_pipeline_metrics(MetricsExposition& out) {
  out.declare(kPipelineMetrics);
}

void declare_alert_latency_metric(MetricsExposition& out) {
  out.declare(kLatency);
}

void report_pipeline_metrics(MetricsExposition& out, const PipelineStats& stats) {
  out.add(kPipelineMetrics, {}, stats);
  for (std::size_t i = 1; i < stats.bad_lines.size(); ++i) {
    const std::string_view reason = to_string(static_cast<DecodeError>(i));
    out.add(kBadLines, {{"reason", reason}}, metric_value(stats.bad_lines[i]));
  }
  const LatencyHistogram::Snapshot h = stats.alert_latency.snapshot();
  out.add_histogram(kLatency, kLatencyBounds, h.cumulative, h.sum_seconds, h.count);
}

void report_dispatch_metrics(MetricsExposition& out, const std::map<std::string, ListCounts>& lists,
                             std::span<const std::pair<std::string_view, std::uint64_t>> cuts,
                             std::size_t in_flight_batches, std::size_t held_alerts) {
  for (const auto& [list, counts] : lists) {
    out.add(kListAlerts, {{"list", list}}, counts.alerts);
    out.add(kListMatches, {{"list", list}}, counts.matches);
  }
  for (const auto& [output, n] : cuts) out.add(kOutputCuts, {{"sink", output}}, n);
  out.add(kInFlight, {}, in_flight_batches);
  out.add(kHeld, {}, held_alerts);
}

}  // namespace newshound

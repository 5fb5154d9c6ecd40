// Stage: dispatch. The pipeline counters (PipelineStats, written by the workers
// and the event loop) and their event-loop side (StatsAggregator: per-list counts,
// alert latency, rate-limited logs of bad lines).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "newshound/decode/decoder.hpp"
#include "newshound/util/histogram.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

struct BatchResult;

/// Pipeline counters; written by workers and the event loop, read anywhere.
struct PipelineStats {
  std::atomic<std::uint64_t> lines{0};     ///< non-blank lines seen
  std::atomic<std::uint64_t> articles{0};  ///< decoded articles
  std::atomic<std::uint64_t> alerts{0};
  std::atomic<std::uint64_t> matches{0};
  std::atomic<std::uint64_t> engine_errors{0};
  std::atomic<std::uint64_t> alerts_rejected{0};    ///< a sink's queue was full
  std::atomic<std::uint64_t> alerts_truncated{0};   ///< alerts cut at AlertLimits
  std::atomic<std::uint64_t> matches_truncated{0};  ///< matches those alerts left out
  /// Lines never processed: their batch was abandoned (shutdown past its grace).
  std::atomic<std::uint64_t> lines_abandoned{0};
  std::array<std::atomic<std::uint64_t>, decode_error_count> bad_lines{};  ///< by DecodeError
  LatencyHistogram alert_latency;  ///< line read -> alert handed to the sinks
  std::uint64_t bad_lines_total() const;
};

/// Alerts and matches of one watch-list (by list name, so they survive reloads).
struct ListCounts {
  std::uint64_t alerts = 0;
  std::uint64_t matches = 0;
};

/// The event-loop side of the counters: per-list counts by list name, alert
/// latency, and the logs of bad lines (rate-limited, one limiter per reason so one
/// noisy reason cannot hide another). Event-loop thread only.
class StatsAggregator {
 public:
  explicit StatsAggregator(PipelineStats& stats) : stats_(stats) {}
  /// Adds a batch that is being emitted now (its alerts reach the sinks now).
  void record(const BatchResult& r);
  const std::map<std::string, ListCounts>& list_counts() const { return list_counts_; }

 private:
  PipelineStats& stats_;
  std::map<std::string, ListCounts> list_counts_;
  std::array<RateLimiter, decode_error_count> bad_line_log_;
};

}  // namespace newshound

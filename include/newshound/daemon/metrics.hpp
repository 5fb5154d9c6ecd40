// Daemon: the numbers behind GET /metrics. MetricsView is a plain snapshot the
// daemon fills on its event-loop thread at scrape time; render_prometheus turns it
// into the Prometheus text exposition format 0.0.4.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "newshound/daemon/dispatcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/sink/spool.hpp"
#include "newshound/sink/spooling_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/util/histogram.hpp"

namespace newshound {

/// One input's counters, copied from its TcpInputStats.
struct InputMetrics {
  std::string name;
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t connections = 0;  ///< accepted or established, ever
  std::uint64_t active = 0;       ///< open now
  std::uint64_t refused = 0;
  std::uint64_t connect_failures = 0;
  std::uint64_t oversize = 0;
  std::uint64_t idle_timeouts = 0;  ///< connections closed after idle_timeout_ms
  std::uint64_t paused = 0;         ///< connections not reading now (backpressure)
  double paused_seconds = 0;        ///< total time connections spent paused
  std::uint64_t acks = 0;           ///< acknowledgements written (ack mode)

  /// Copies every counter of `stats` (relaxed loads).
  static InputMetrics from(std::string name, const TcpInputStats& stats);
};

/// One sink's counters.
struct SinkMetrics {
  std::string name;
  SinkStats stats;
};

/// One output's disk spool (outputs with `spool = true`).
struct SpoolMetrics {
  std::string name;  ///< the output's name
  bool open = false;
  SpoolStats stats;
  SpoolSyncStats sync;  ///< group commits (fsync latency, alerts waiting for one)
};

/// One webhook output's HTTP counters.
struct WebhookMetrics {
  std::string name;  ///< the output's name
  WebhookStats stats;
};

/// Everything /metrics shows. Plain values: fill it, render it, drop it.
struct MetricsView {
  std::vector<InputMetrics> inputs;

  // Pipeline (PipelineStats); set_pipeline() copies them all.
  std::uint64_t lines = 0;
  std::uint64_t articles = 0;
  std::uint64_t alerts = 0;
  std::uint64_t matches = 0;
  std::uint64_t engine_errors = 0;
  std::uint64_t alerts_rejected = 0;
  /// Indexed by DecodeError; index 0 (`ok`) is never rendered.
  std::array<std::uint64_t, decode_error_count> bad_lines{};

  /// (watch-list name, count), in watch-list order.
  std::vector<std::pair<std::string, std::uint64_t>> alerts_per_list;
  std::vector<std::pair<std::string, std::uint64_t>> matches_per_list;

  std::uint64_t in_flight_batches = 0;  ///< Dispatcher::in_flight()
  std::uint64_t held_alerts = 0;        ///< Dispatcher::held_alerts()
  std::vector<SinkMetrics> sinks;
  std::vector<SpoolMetrics> spools;
  std::vector<WebhookMetrics> webhooks;

  std::uint64_t reloads = 0;          ///< successful reloads
  std::uint64_t reload_failures = 0;  ///< reloads that kept the old rules
  std::string rules_version;
  double rules_loaded_unix_seconds = 0;  ///< when the running rules were loaded
  std::uint64_t entities = 0;
  std::uint64_t aliases = 0;

  LatencyHistogram::Snapshot alert_latency;  ///< receipt of the line to alert
  double uptime_seconds = 0;

  /// Copies the counters of `stats` (relaxed loads).
  void set_pipeline(const PipelineStats& stats);
  /// Adds the rows of output `name`: its SinkStats; its spool's for a SpoolingSink;
  /// its HTTP counters for a WebhookSink (also one wrapped in a SpoolingSink).
  void add_output(const std::string& name, const Sink& sink);
};

/// Renders `v` in the Prometheus text format 0.0.4: every family has # HELP and
/// # TYPE lines (also when it has no samples yet), names start with `newshound_`,
/// counters end in `_total`, label values are escaped. Deterministic for a given
/// view. Never throws except std::bad_alloc.
std::string render_prometheus(const MetricsView& v);

/// The body of GET /v1/rules, one JSON object:
///   {"version":"...","loaded_at":"2024-05-01T09:30:00Z","loaded_at_unix":1714555800,
///    "compile_time_seconds":0.012,"database_bytes":N,"entities":N,"aliases":N,
///    "lists":[{"name":"people","path":"...","tags":[...],"entities":N,"aliases":N}]}
/// (aliases = compiled patterns). Never throws except std::bad_alloc.
std::string render_rules_json(const Rules& rules, std::chrono::system_clock::time_point loaded_at);

/// Content-Type of render_prometheus' output.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace newshound

// Daemon: render_prometheus, the Prometheus text exposition (format 0.0.4) of a
// MetricsView, and the helpers that copy live atomic counters into one.
#include "newshound/daemon/metrics.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <ctime>
#include <initializer_list>
#include <string_view>

#include "newshound/decode/decoder.hpp"

namespace newshound {
namespace {

using Label = std::pair<std::string_view, std::string_view>;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  /// Starts a family: "# HELP name help" and "# TYPE name type".
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    for (char c : help) {  // HELP escapes only backslash and newline
      if (c == '\\') {
        out_ += "\\\\";
      } else if (c == '\n') {
        out_ += "\\n";
      } else {
        out_ += c;
      }
    }
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t v) {
    begin(name, labels);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    out_ += '\n';
  }

  void sample(std::string_view name, std::initializer_list<Label> labels, double v) {
    begin(name, labels);
    append_double(v);
    out_ += '\n';
  }

  void append_double(double v) {
    if (std::isnan(v)) {
      out_ += "NaN";
    } else if (std::isinf(v)) {
      out_ += v > 0 ? "+Inf" : "-Inf";
    } else {
      // Shortest round-trip digits; plain decimals for the usual magnitudes
      // (timestamps, bucket bounds), exponents only for the extremes.
      const double a = std::fabs(v);
      const auto format =
          a == 0 || (a >= 1e-5 && a < 1e16) ? std::chars_format::fixed : std::chars_format::general;
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v, format);
      out_.append(buf, r.ptr);
    }
  }

 private:
  void begin(std::string_view name, std::initializer_list<Label> labels) {
    out_ += name;
    if (labels.size() != 0) {
      out_ += '{';
      bool first = true;
      for (const auto& [key, value] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += key;
        out_ += "=\"";
        escape_label(value);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
  }

  void escape_label(std::string_view v) {
    for (char c : v) {
      if (c == '\\') {
        out_ += "\\\\";
      } else if (c == '"') {
        out_ += "\\\"";
      } else if (c == '\n') {
        out_ += "\\n";
      } else {
        out_ += c;
      }
    }
  }

  std::string& out_;
};

std::string double_text(double v) {
  std::string s;
  Writer(s).append_double(v);
  return s;
}

/// One metric family that reads one counter of a per-object stats struct `S`;
/// rendered with one sample per object, labelled with the object's name.
template <class S, class V = std::uint64_t>
struct Family {
  std::string_view name, type, help;
  V S::*member;
};

/// Renders each family of `table` over `rows`; `stats_of(row)` gives the row's S
/// and `row.name` its label value.
template <class S, class V, std::size_t N, class Rows, class StatsOf>
void render_table(Writer& w, const Family<S, V> (&table)[N], std::string_view label,
                  const Rows& rows, StatsOf stats_of) {
  for (const Family<S, V>& f : table) {
    w.family(f.name, f.type, f.help);
    for (const auto& row : rows) w.sample(f.name, {{label, row.name}}, stats_of(row).*f.member);
  }
}

constexpr auto self = [](const auto& row) -> const auto& {
  return row;
};

void render_inputs(Writer& w, const MetricsView& v) {
  static constexpr Family<InputMetrics> counts[] = {
      {"newshound_input_bytes_total", "counter", "Bytes received, per input.",
       &InputMetrics::bytes},
      {"newshound_input_lines_total", "counter", "Lines framed, per input.", &InputMetrics::lines},
      {"newshound_input_connections_total", "counter",
       "Feed connections accepted or established, per input.", &InputMetrics::connections},
      {"newshound_input_active_connections", "gauge", "Feed connections open now, per input.",
       &InputMetrics::active},
      {"newshound_input_refused_connections_total", "counter",
       "Feed connections refused because the input had max_connections open.",
       &InputMetrics::refused},
      {"newshound_input_connect_failures_total", "counter",
       "Failed attempts to connect to a feed server, per input.", &InputMetrics::connect_failures},
      {"newshound_input_oversize_lines_total", "counter",
       "Lines dropped for exceeding max_line_bytes, per input.", &InputMetrics::oversize},
      {"newshound_input_idle_timeouts_total", "counter",
       "Feed connections closed after sending nothing for idle_timeout_ms, per input.",
       &InputMetrics::idle_timeouts},
      {"newshound_input_paused_connections", "gauge",
       "Feed connections not being read now because the outputs are behind (backpressure), "
       "per input.",
       &InputMetrics::paused},
      {"newshound_input_acks_total", "counter",
       "Acknowledgements written back to feeds (ack = true), per input.", &InputMetrics::acks},
  };
  static constexpr Family<InputMetrics, double> seconds[] = {
      {"newshound_input_paused_seconds_total", "counter",
       "Seconds connections spent not reading because their batches were in flight "
       "(backpressure), per input.",
       &InputMetrics::paused_seconds},
  };
  render_table(w, counts, "input", v.inputs, self);
  render_table(w, seconds, "input", v.inputs, self);
}

void render_pipeline(Writer& w, const MetricsView& v) {
  w.family("newshound_lines_total", "counter", "Non-blank lines taken by the pipeline.");
  w.sample("newshound_lines_total", {}, v.lines);
  w.family("newshound_articles_total", "counter", "Lines decoded into articles.");
  w.sample("newshound_articles_total", {}, v.articles);
  w.family("newshound_bad_lines_total", "counter", "Lines rejected by the decoder, by reason.");
  for (std::size_t i = 1; i < v.bad_lines.size(); ++i) {
    const std::string_view reason = to_string(static_cast<DecodeError>(i));
    w.sample("newshound_bad_lines_total", {{"reason", reason}}, v.bad_lines[i]);
  }
  w.family("newshound_alerts_total", "counter", "Alerts raised, all watch-lists.");
  w.sample("newshound_alerts_total", {}, v.alerts);
  w.family("newshound_matches_total", "counter", "Entity matches found, all watch-lists.");
  w.sample("newshound_matches_total", {}, v.matches);
  w.family("newshound_watchlist_alerts_total", "counter", "Alerts raised, per watch-list.");
  for (const auto& [list, n] : v.alerts_per_list) {
    w.sample("newshound_watchlist_alerts_total", {{"list", list}}, n);
  }
  w.family("newshound_watchlist_matches_total", "counter", "Entity matches found, per watch-list.");
  for (const auto& [list, n] : v.matches_per_list) {
    w.sample("newshound_watchlist_matches_total", {{"list", list}}, n);
  }
  w.family("newshound_engine_errors_total", "counter",
           "Articles the matching engine failed on (not matched).");
  w.sample("newshound_engine_errors_total", {}, v.engine_errors);
  w.family("newshound_alerts_rejected_total", "counter",
           "Alerts not delivered because their output was removed by a reload while they were "
           "held (a full queue holds alerts and pauses the inputs instead).");
  w.sample("newshound_alerts_rejected_total", {}, v.alerts_rejected);
  w.family("newshound_in_flight_batches", "gauge",
           "Line batches taken by the workers but not yet handed to the sinks.");
  w.sample("newshound_in_flight_batches", {}, v.in_flight_batches);
  w.family("newshound_held_alerts", "gauge",
           "Alerts waiting for an output's queue to have room; their inputs pause meanwhile.");
  w.sample("newshound_held_alerts", {}, v.held_alerts);
}

void render_sinks(Writer& w, const MetricsView& v) {
  static constexpr Family<SinkStats> counts[] = {
      {"newshound_sink_accepted_total", "counter", "Alerts taken by an output.",
       &SinkStats::accepted},
      {"newshound_sink_sent_total", "counter", "Alerts fully written by an output.",
       &SinkStats::sent},
      {"newshound_sink_rejected_total", "counter", "Alerts an output refused: queue full.",
       &SinkStats::rejected},
      {"newshound_sink_failures_total", "counter",
       "Write or connect failures of an output (each is retried).", &SinkStats::failed},
      {"newshound_sink_queued_alerts", "gauge", "Alerts waiting in an output's queue.",
       &SinkStats::queued},
      {"newshound_sink_queued_bytes", "gauge", "Bytes waiting in an output's queue.",
       &SinkStats::queued_bytes},
      {"newshound_sink_unacked_alerts", "gauge",
       "Alerts written to an acknowledged output and waiting for the receiver's ack.",
       &SinkStats::unacked},
      {"newshound_sink_ack_errors_total", "counter",
       "Receiver ack lines that were unreadable, out of order or for an unknown alert.",
       &SinkStats::ack_errors},
  };
  render_table(w, counts, "sink", v.sinks,
               [](const SinkMetrics& s) -> const SinkStats& { return s.stats; });
}

void render_webhooks(Writer& w, const MetricsView& v) {
  static constexpr Family<WebhookStats> counts[] = {
      {"newshound_webhook_requests_total", "counter",
       "HTTP requests a webhook output sent, retries included.", &WebhookStats::requests},
      {"newshound_webhook_retries_total", "counter",
       "Webhook requests repeated after a connection error, timeout, 5xx or 429.",
       &WebhookStats::retries},
      {"newshound_webhook_dead_lettered_total", "counter",
       "Alerts a webhook refused for good (3xx, or 4xx other than 429): written to the "
       "dead-letter file.",
       &WebhookStats::dead_lettered},
      {"newshound_webhook_connections_total", "counter", "TCP connections a webhook output opened.",
       &WebhookStats::connections},
  };
  const auto stats = [](const WebhookMetrics& m) -> const WebhookStats& { return m.stats; };
  render_table(w, counts, "sink", v.webhooks, stats);
  constexpr std::string_view responses = "newshound_webhook_responses_total";
  static constexpr std::string_view classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  w.family(responses, "counter", "HTTP responses a webhook output received, by status class.");
  for (const WebhookMetrics& m : v.webhooks)
    for (std::size_t c = 0; c < std::size(classes); ++c)
      w.sample(responses, {{"sink", m.name}, {"class", classes[c]}}, m.stats.responses[c]);
  constexpr std::string_view last = "newshound_webhook_last_status";
  w.family(last, "gauge", "HTTP status of a webhook output's last response; 0 = none yet.");
  for (const WebhookMetrics& m : v.webhooks)
    w.sample(last, {{"sink", m.name}}, static_cast<std::uint64_t>(m.stats.last_status));
}

void render_spools(Writer& w, const MetricsView& v) {
  static constexpr Family<SpoolStats> counts[] = {
      {"newshound_spool_records", "gauge", "Alerts in an output's disk spool, not yet delivered.",
       &SpoolStats::records},
      {"newshound_spool_bytes", "gauge", "Bytes of those alerts (with 8-byte record headers).",
       &SpoolStats::bytes},
      {"newshound_spool_disk_bytes", "gauge", "Size of an output's spool files.",
       &SpoolStats::disk_bytes},
      {"newshound_spool_appended_total", "counter", "Alerts written to an output's spool.",
       &SpoolStats::appended},
      {"newshound_spool_released_total", "counter",
       "Spooled alerts delivered and released from the spool.", &SpoolStats::released},
      {"newshound_spool_bad_records_total", "counter",
       "Spool records skipped: bad checksum, broken frame or undecodable.",
       &SpoolStats::bad_records},
      {"newshound_spool_torn_tails_total", "counter",
       "Partial records at the end of a spool file, truncated when opening.",
       &SpoolStats::torn_tails},
      {"newshound_spool_garbage_files_total", "counter",
       "Unexpected or unreadable files found in a spool folder.", &SpoolStats::garbage_files},
      {"newshound_spool_bad_cursors_total", "counter",
       "Unreadable spool cursors (delivery restarted at the oldest record).",
       &SpoolStats::bad_cursors},
      {"newshound_spool_write_errors_total", "counter", "Failed spool writes and syncs.",
       &SpoolStats::write_errors},
  };
  static constexpr Family<SpoolSyncStats> sync_counts[] = {
      {"newshound_spool_unsynced_alerts", "gauge",
       "Spooled alerts waiting for their fsync (not yet counted as accepted for good).",
       &SpoolSyncStats::pending},
      {"newshound_spool_syncs_total", "counter",
       "Group commits (fsync of an output's spool) finished, failed ones included.",
       &SpoolSyncStats::syncs},
  };
  static constexpr Family<SpoolSyncStats, double> sync_seconds[] = {
      {"newshound_spool_sync_seconds_total", "counter",
       "Seconds spent in spool group commits, on the spool's disk thread.",
       &SpoolSyncStats::seconds},
      {"newshound_spool_last_sync_seconds", "gauge", "How long the last spool group commit took.",
       &SpoolSyncStats::last_seconds},
  };
  w.family("newshound_spool_open", "gauge",
           "1 while an output's spool is open; 0 while it cannot be opened (see the log).");
  for (const SpoolMetrics& s : v.spools)
    w.sample("newshound_spool_open", {{"sink", s.name}}, std::uint64_t(s.open ? 1 : 0));
  render_table(w, counts, "sink", v.spools,
               [](const SpoolMetrics& s) -> const SpoolStats& { return s.stats; });
  const auto sync = [](const SpoolMetrics& s) -> const SpoolSyncStats& { return s.sync; };
  render_table(w, sync_counts, "sink", v.spools, sync);
  render_table(w, sync_seconds, "sink", v.spools, sync);
}

void render_rules(Writer& w, const MetricsView& v) {
  w.family("newshound_reloads_total", "counter", "Successful reloads of config and watch-lists.");
  w.sample("newshound_reloads_total", {}, v.reloads);
  w.family("newshound_reload_failures_total", "counter",
           "Reloads that failed and kept the previous rules running.");
  w.sample("newshound_reload_failures_total", {}, v.reload_failures);
  w.family("newshound_rules_info", "gauge", "The running rules; the version is a label.");
  w.sample("newshound_rules_info", {{"version", v.rules_version}}, std::uint64_t{1});
  w.family("newshound_rules_loaded_timestamp_seconds", "gauge",
           "When the running rules were loaded, in Unix seconds.");
  w.sample("newshound_rules_loaded_timestamp_seconds", {}, v.rules_loaded_unix_seconds);
  w.family("newshound_rules_entities", "gauge", "Entities in the running watch-lists.");
  w.sample("newshound_rules_entities", {}, v.entities);
  w.family("newshound_rules_aliases", "gauge", "Aliases in the running watch-lists.");
  w.sample("newshound_rules_aliases", {}, v.aliases);
}

void render_latency(Writer& w, const MetricsView& v) {
  constexpr std::string_view name = "newshound_alert_latency_seconds";
  const LatencyHistogram::Snapshot& h = v.alert_latency;
  w.family(name, "histogram", "Time from receipt of a line to its alert, in seconds.");
  for (std::size_t i = 0; i < LatencyHistogram::kFinite; ++i) {
    const std::string le = double_text(LatencyHistogram::bound_seconds(i));
    w.sample("newshound_alert_latency_seconds_bucket", {{"le", le}}, h.cumulative[i]);
  }
  w.sample("newshound_alert_latency_seconds_bucket", {{"le", "+Inf"}},
           h.cumulative[LatencyHistogram::kFinite]);
  w.sample("newshound_alert_latency_seconds_sum", {}, h.sum_seconds);
  w.sample("newshound_alert_latency_seconds_count", {}, h.count);
}

}  // namespace

InputMetrics InputMetrics::from(std::string name, const TcpInputStats& s) {
  constexpr auto r = std::memory_order_relaxed;
  InputMetrics m;
  m.name = std::move(name);
  m.bytes = s.bytes.load(r);
  m.lines = s.lines.load(r);
  m.connections = s.connections.load(r);
  m.active = s.active.load(r);
  m.refused = s.refused.load(r);
  m.connect_failures = s.connect_failures.load(r);
  m.oversize = s.oversize.load(r);
  m.idle_timeouts = s.idle_timeouts.load(r);
  m.paused = s.paused.load(r);
  m.paused_seconds = s.paused_seconds();
  m.acks = s.acks.load(r);
  return m;
}

void MetricsView::set_pipeline(const PipelineStats& s) {
  constexpr auto r = std::memory_order_relaxed;
  lines = s.lines.load(r);
  articles = s.articles.load(r);
  alerts = s.alerts.load(r);
  matches = s.matches.load(r);
  engine_errors = s.engine_errors.load(r);
  alerts_rejected = s.alerts_rejected.load(r);
  for (std::size_t i = 0; i < bad_lines.size(); ++i) bad_lines[i] = s.bad_lines[i].load(r);
}

void MetricsView::add_output(const std::string& name, const Sink& sink) {
  sinks.push_back({name, sink.stats()});
  const Sink* inner = &sink;
  if (const auto* sp = dynamic_cast<const SpoolingSink*>(&sink)) {
    spools.push_back({name, sp->spool_open(), sp->spool_stats(), sp->sync_stats()});
    inner = &sp->inner();
  }
  if (const auto* wh = dynamic_cast<const WebhookSink*>(inner))
    webhooks.push_back({name, wh->webhook_stats()});
}

std::string render_prometheus(const MetricsView& v) {
  std::string out;
  out.reserve(8192);
  Writer w(out);
  render_inputs(w, v);
  render_pipeline(w, v);
  render_sinks(w, v);
  render_webhooks(w, v);
  render_spools(w, v);
  render_rules(w, v);
  render_latency(w, v);
  w.family("newshound_uptime_seconds", "gauge", "Seconds since the daemon started.");
  w.sample("newshound_uptime_seconds", {}, v.uptime_seconds);
  return out;
}

std::string render_rules_json(const Rules& rules, std::chrono::system_clock::time_point loaded_at) {
  namespace json = boost::json;
  const auto& lists = rules.lists();
  std::vector<std::uint64_t> entities(lists.size()), aliases(lists.size());
  for (const Entity& e : rules.entities()) {
    if (e.list < lists.size()) ++entities[e.list];
  }
  for (const Pattern& p : rules.patterns()) {
    if (p.entity < rules.entities().size()) {
      const std::uint32_t list = rules.entities()[p.entity].list;
      if (list < lists.size()) ++aliases[list];
    }
  }
  json::array out_lists;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    json::array tags;
    for (const std::string& t : lists[i].tags) tags.emplace_back(t);
    out_lists.push_back(json::object{{"name", lists[i].name},
                                     {"path", lists[i].path},
                                     {"tags", std::move(tags)},
                                     {"entities", entities[i]},
                                     {"aliases", aliases[i]}});
  }
  const std::time_t t = std::chrono::system_clock::to_time_t(loaded_at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const json::object doc{{"version", rules.version()},
                         {"loaded_at", std::string_view(stamp, n)},
                         {"loaded_at_unix", static_cast<std::int64_t>(t)},
                         {"compile_time_seconds", double(rules.compile_time().count()) / 1e6},
                         {"database_bytes", static_cast<std::uint64_t>(rules.database_bytes())},
                         {"database_shards", static_cast<std::uint64_t>(rules.databases().size())},
                         {"entities", static_cast<std::uint64_t>(rules.entities().size())},
                         {"aliases", static_cast<std::uint64_t>(rules.patterns().size())},
                         {"lists", std::move(out_lists)}};
  return json::serialize(doc) + "\n";
}

}  // namespace newshound

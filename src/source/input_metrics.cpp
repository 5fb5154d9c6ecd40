// Stage: source. The /metrics families of the inputs: one row per counter of
// TcpInputStats and of DirectoryInputStats (a new counter is one row here); an
// http input's counters in the families it shares with tcp inputs, and its
// requests by status and articles by result.
#include "newshound/source/input_metrics.hpp"

#include <string>

namespace newshound {
namespace {

using enum MetricType;

constexpr StatMetric<TcpInputStats> kInputMetrics[] = {
    {"newshound_input_bytes_total", counter, "Bytes received, per input.",
     stat<&TcpInputStats::bytes>},
    {"newshound_input_lines_total", counter, "Lines framed, per input.",
     stat<&TcpInputStats::lines>},
    {"newshound_input_connections_total", counter,
     "Feed connections accepted or established, per input.", stat<&TcpInputStats::connections>},
    {"newshound_input_active_connections", gauge, "Feed connections open now, per input.",
     stat<&TcpInputStats::active>},
    {"newshound_input_refused_connections_total", counter,
     "Feed connections refused because the input had max_connections open.",
     stat<&TcpInputStats::refused>},
    {"newshound_input_connect_failures_total", counter,
     "Failed attempts to connect to a feed server, per input.",
     stat<&TcpInputStats::connect_failures>},
    {"newshound_input_oversize_lines_total", counter,
     "Lines dropped for exceeding max_line_bytes, per input.", stat<&TcpInputStats::oversize>},
    {"newshound_input_idle_timeouts_total", counter,
     "Feed connections closed after sending nothing for idle_timeout_ms, per input.",
     stat<&TcpInputStats::idle_timeouts>},
    {"newshound_input_paused_connections", gauge,
     "Feed connections not being read now because the outputs are behind (backpressure), "
     "per input.",
     stat<&TcpInputStats::paused>},
    {"newshound_input_acks_total", counter,
     "Acknowledgements written back to feeds (ack = true), per input.", stat<&TcpInputStats::acks>},
    {"newshound_input_paused_seconds_total", counter,
     "Seconds connections spent not reading because their batches were in flight "
     "(backpressure), per input.",
     [](const TcpInputStats& s) -> MetricValue { return s.paused_seconds(); }},
};

/// The rows of an http input: the input families it shares with tcp inputs
/// (same names and help), then its own.
constexpr StatMetric<HttpInputStats> kHttpInputMetrics[] = {
    {kInputMetrics[0], stat<&HttpInputStats::bytes>},
    {kInputMetrics[2], stat<&HttpInputStats::connections>},
    {kInputMetrics[3], stat<&HttpInputStats::active>},
    {kInputMetrics[4], stat<&HttpInputStats::refused>},
    {kInputMetrics[7], stat<&HttpInputStats::idle_timeouts>},
};

constexpr MetricFamily kHttpRequests = {
    "newshound_http_requests_total", counter,
    "HTTP push requests answered, per input and status (status=\"other\": any other)."};
constexpr MetricFamily kHttpArticles = {
    "newshound_http_articles_total", counter,
    "Articles of HTTP push requests answered 200, per input and result (accepted, rejected)."};

constexpr StatMetric<DirectoryInputStats> kDirectoryMetrics[] = {
    {"newshound_input_bytes_total", counter, "Bytes received, per input.",
     stat<&DirectoryInputStats::bytes>},
    {"newshound_input_records_total", counter,
     "Records (articles) read from dropped files, per drop-folder input.",
     stat<&DirectoryInputStats::records>},
    {"newshound_input_files_total", counter,
     "Files picked up from the drop folder (read, or refused unread), per input.",
     stat<&DirectoryInputStats::files>},
    {"newshound_input_files_done_total", counter,
     "Dropped files accepted and moved to done_dir (or deleted), per input.",
     stat<&DirectoryInputStats::done>},
    {"newshound_input_files_failed_total", counter,
     "Dropped files moved to failed_dir (undecodable, too large, not a regular file), per input.",
     stat<&DirectoryInputStats::failed>},
    {"newshound_input_files_retried_total", counter,
     "Dropped files left in place to be read again (an article not accepted), per input.",
     stat<&DirectoryInputStats::retried>},
    {"newshound_input_file_move_errors_total", counter,
     "Failed moves or deletes of dropped files (retried), per input.",
     stat<&DirectoryInputStats::move_errors>},
    {"newshound_input_rescans_total", counter,
     "Full scans of a drop folder (at start and after an inotify overflow), per input.",
     stat<&DirectoryInputStats::rescans>},
    {"newshound_input_files_in_flight", gauge,
     "Dropped files read and not yet settled and moved, per input.",
     stat<&DirectoryInputStats::in_flight>},
};

constexpr MetricFamily kJetStreamMessages = {
    "newshound_jetstream_messages_total", counter,
    "JetStream messages settled, per input and result: acked (every alert accepted), naked "
    "(to be redelivered), terminated (undecodable; published to dead_letter_subject if set)."};

constexpr MetricFamily kJetStreamAckFailures = {
    "newshound_jetstream_ack_failures_total", counter,
    "JetStream acknowledgements (ack, nak, term, in progress) a jetstream input could not send "
    "(connection lost or closed, or a write past the write deadline); the server delivers the "
    "message again after ack_wait."};

}  // namespace

void report_jetstream_messages(MetricsExposition& out, std::string_view input, std::uint64_t acked,
                               std::uint64_t naked, std::uint64_t terminated,
                               std::uint64_t ack_failures) {
  out.add(kJetStreamAckFailures, {{"input", input}}, ack_failures);
  out.add(kJetStreamMessages, {{"input", input}, {"result", "acked"}}, acked);
  out.add(kJetStreamMessages, {{"input", input}, {"result", "naked"}}, naked);
  out.add(kJetStreamMessages, {{"input", input}, {"result", "terminated"}}, terminated);
}

void declare_input_metrics(MetricsExposition& out) {
  out.declare(kInputMetrics);
  out.declare(kDirectoryMetrics);
  out.declare(kHttpRequests);
  out.declare(kHttpArticles);
  out.declare(kJetStreamMessages);
  out.declare(kJetStreamAckFailures);
}

void TcpInput::report_metrics(MetricsExposition& out, std::string_view name) const {
  report_input_metrics(out, name, stats());
}

void DirectoryInput::report_metrics(MetricsExposition& out, std::string_view name) const {
  out.add(kDirectoryMetrics, {{"input", name}}, stats());
}

void HttpInput::report_metrics(MetricsExposition& out, std::string_view name) const {
  const HttpInputStats& s = stats();
  out.add(kHttpInputMetrics, {{"input", name}}, s);
  for (std::size_t i = 0; i < HttpInputStats::kStatuses.size(); ++i) {
    const unsigned code = HttpInputStats::kStatuses[i];
    const std::string status = code == 0 ? "other" : std::to_string(code);
    out.add(kHttpRequests, {{"input", name}, {"status", status}}, s.requests[i].load());
  }
  out.add(kHttpArticles, {{"input", name}, {"result", "accepted"}}, s.accepted.load());
  out.add(kHttpArticles, {{"input", name}, {"result", "rejected"}}, s.rejected.load());
}

void report_input_metrics(MetricsExposition& out, std::string_view input,
                          const TcpInputStats& stats) {
  out.add(kInputMetrics, {{"input", input}}, stats);
}

}  // namespace newshound

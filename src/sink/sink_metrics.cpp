// Stage: sink. The /metrics families every output has: one row per counter of
// SinkStats (a new counter is one row here); and the order of the sink families.
#include "newshound/sink/sink_metrics.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr StatMetric<SinkStats> kSinkMetrics[] = {
    {"newshound_sink_accepted_total", counter, "Alerts taken by an output.",
     stat<&SinkStats::accepted>},
    {"newshound_sink_sent_total", counter, "Alerts fully written by an output.",
     stat<&SinkStats::sent>},
    {"newshound_sink_rejected_total", counter, "Alerts an output refused: queue full.",
     stat<&SinkStats::rejected>},
    {"newshound_sink_failures_total", counter,
     "Write or connect failures of an output (each is retried).", stat<&SinkStats::failed>},
    {"newshound_sink_queued_alerts", gauge, "Alerts waiting in an output's queue.",
     stat<&SinkStats::queued>},
    {"newshound_sink_queued_bytes", gauge, "Bytes waiting in an output's queue.",
     stat<&SinkStats::queued_bytes>},
    {"newshound_sink_unacked_alerts", gauge,
     "Alerts written to an acknowledged output and waiting for the receiver's ack.",
     stat<&SinkStats::unacked>},
    {"newshound_sink_ack_errors_total", counter,
     "Receiver ack lines that were unreadable, out of order or for an unknown alert.",
     stat<&SinkStats::ack_errors>},
};

}  // namespace

void declare_sink_metrics(MetricsExposition& out) {
  out.declare(kSinkMetrics);
  declare_webhook_metrics(out);
  declare_spool_metrics(out);
}

void report_sink_stats(MetricsExposition& out, std::string_view output, const SinkStats& stats) {
  out.add(kSinkMetrics, {{"sink", output}}, stats);
}

void report_output_metrics(MetricsExposition& out, std::string_view output, const Sink& sink) {
  report_sink_stats(out, output, sink.stats());
  sink.report_metrics(out, output);
}

}  // namespace newshound

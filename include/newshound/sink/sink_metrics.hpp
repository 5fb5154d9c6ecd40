// Stage: sink. The /metrics families of the outputs: SinkStats for every sink,
// plus what a sink type adds (webhook HTTP counters, spool counters), all
// labelled sink="<output name>". Each sink type reports its own through
// Sink::report_metrics.
#pragma once

#include <string_view>

#include "newshound/sink/sink.hpp"
#include "newshound/sink/spool.hpp"
#include "newshound/sink/spooling_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Declares the families of every sink type, also when no such output runs:
/// newshound_sink_*, then newshound_webhook_*, then newshound_spool_*.
void declare_sink_metrics(MetricsExposition& out);

/// Adds output `output`'s samples: `sink`'s SinkStats, then sink.report_metrics().
/// Event-loop thread. Never throws except std::bad_alloc.
void report_output_metrics(MetricsExposition& out, std::string_view output, const Sink& sink);

/// The newshound_sink_* samples of one output.
void report_sink_stats(MetricsExposition& out, std::string_view output, const SinkStats& stats);

/// The newshound_webhook_* samples of one webhook output (WebhookSink::report_metrics).
void report_webhook_stats(MetricsExposition& out, std::string_view output,
                          const WebhookStats& stats);

/// The newshound_spool_* samples of one output's spool (SpoolingSink::report_metrics):
/// `open` is whether the spool is open now.
void report_spool_stats(MetricsExposition& out, std::string_view output, bool open,
                        const SpoolStats& stats, const SpoolSyncStats& sync);

/// Family declarations of one sink type, for declare_sink_metrics.
void declare_webhook_metrics(MetricsExposition& out);
void declare_spool_metrics(MetricsExposition& out);

}  // namespace newshound

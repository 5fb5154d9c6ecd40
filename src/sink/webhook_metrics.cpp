// Stage: sink. The /metrics families of a webhook output (WebhookStats): one row
// per counter (a new counter is one row here), responses by status class.
#include "newshound/sink/sink_metrics.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr MetricFamily kResponses{"newshound_webhook_responses_total", counter,
                                  "HTTP responses a webhook output received, by status class."};

constexpr StatMetric<WebhookStats> kWebhookMetrics[] = {
    {"newshound_webhook_requests_total", counter,
     "HTTP requests a webhook output sent, retries included.", stat<&WebhookStats::requests>},
    {"newshound_webhook_retries_total", counter,
     "Webhook requests repeated after a connection error, timeout, 5xx or 429.",
     stat<&WebhookStats::retries>},
    {"newshound_webhook_dead_lettered_total", counter,
     "Alerts a webhook refused for good (3xx, or 4xx other than 429): written to the "
     "dead-letter file.",
     stat<&WebhookStats::dead_lettered>},
    {"newshound_webhook_connections_total", counter, "TCP connections a webhook output opened.",
     stat<&WebhookStats::connections>},
    {"newshound_webhook_timeouts_total", counter,
     "Webhook requests without an answer within timeout_ms (each posted again after a backoff).",
     stat<&WebhookStats::timeouts>},
    {"newshound_webhook_timeouts_in_a_row", gauge,
     "Webhook requests that timed out since the last answer in time; 5 or more: the receiver "
     "is consistently slower than timeout_ms.",
     stat<&WebhookStats::timeouts_in_a_row>},
    {"newshound_webhook_late_answers_total", counter,
     "2xx answers that arrived after their request had timed out (within a minute): the "
     "receiver took alerts that are posted again; raise timeout_ms.",
     stat<&WebhookStats::late_answers>},
    {kResponses, nullptr},  // by status class: sampled in report_webhook_stats
    {"newshound_webhook_last_status", gauge,
     "HTTP status of a webhook output's last response; 0 = none yet.",
     stat<&WebhookStats::last_status>},
};

}  // namespace

void declare_webhook_metrics(MetricsExposition& out) {
  out.declare(kWebhookMetrics);
}

void report_webhook_stats(MetricsExposition& out, std::string_view output,
                          const WebhookStats& stats) {
  out.add(kWebhookMetrics, {{"sink", output}}, stats);
  static constexpr std::string_view classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  for (std::size_t c = 0; c < std::size(classes); ++c)
    out.add(kResponses, {{"sink", output}, {"class", classes[c]}}, stats.responses[c]);
}

void WebhookSink::report_metrics(MetricsExposition& out, std::string_view output) const {
  report_webhook_stats(out, output, webhook_stats());
}

}  // namespace newshound

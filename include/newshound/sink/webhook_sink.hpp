// Stage: sink. WebhookSink: alerts POSTed as JSON to an HTTP endpoint (Boost.Beast),
// one alert or a batch per request, over one keep-alive connection, with retries
// and a dead-letter file.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newshound/net/tls_options.hpp"
#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/queued_sink.hpp"
#include "newshound/sink/webhook_url.hpp"

namespace newshound {

struct WebhookSinkOptions {
  WebhookUrl url;        ///< parsed from url_text by the config (parse_webhook_url)
  std::string url_text;  ///< the URL as configured, for logs and dead letters
  /// Extra request headers (name, value), e.g. Authorization. Content-Type,
  /// Content-Length, Host and Connection are set by the sink.
  std::vector<std::pair<std::string, std::string>> headers;
  /// 1: each request carries one alert object. More: a JSON array of up to this
  /// many alerts (and at most batch_bytes of alerts, but always at least one).
  std::size_t batch_max = 1;
  std::size_t batch_bytes = 1u << 20;
  QueueOptions queue;                        ///< in-memory bound, retry backoff
  std::chrono::milliseconds timeout{10000};  ///< connect, and each request/response
  /// Longest wait a Retry-After header may impose (longer values are cut to this).
  std::chrono::milliseconds retry_after_max{std::chrono::hours(1)};
  /// NDJSON file for requests refused with a 4xx other than 429; empty: such
  /// alerts are only logged (with their ids) and counted.
  std::filesystem::path dead_letter;
  std::size_t dead_letter_body_bytes = 4096;  ///< response body kept per record
  /// HTTPS (enabled when the url is https://): a TLS handshake, within timeout,
  /// after each connect; a failed one is retried like a failed connect, and
  /// nothing is sent in clear.
  net::TlsOptions tls;
  bool operator==(const WebhookSinkOptions&) const = default;
};

/// What a webhook sink did, beyond SinkStats.
struct WebhookStats {
  SinkStats sink;
  std::uint64_t requests = 0;           ///< HTTP requests sent (including retries)
  std::uint64_t retries = 0;            ///< requests repeated after an error, timeout, 5xx or 429
  std::uint64_t dead_lettered = 0;      ///< alerts refused for good (4xx other than 429)
  std::uint64_t connections = 0;        ///< TCP connections opened
  std::uint64_t timeouts = 0;           ///< requests without an answer within timeout_ms (retried)
  std::uint64_t timeouts_in_a_row = 0;  ///< since the last answer in time
  /// 2xx answers that came after their request had timed out (the alerts were
  /// posted again anyway): the receiver is slower than timeout_ms.
  std::uint64_t late_answers = 0;
  int last_status = 0;  ///< HTTP status of the last response; 0 = none yet
  /// Responses by status class: [0] = 1xx, [1] = 2xx, ... [4] = 5xx.
  std::array<std::uint64_t, 5> responses{};
};

/// POSTs alerts to opts.url in submit order, one request at a time (a
/// QueuedSink: the queue, submit/stop, retries and stats are its). A 2xx answer
/// delivers the request's alerts (they count as sent, notify_sent is called).
/// Connection errors, timeouts, 5xx and 429 are retried without limit, after a
/// capped exponential backoff with full jitter, or after the Retry-After delay
/// when the answer has one (at most retry_after_max); the alerts stay queued
/// meanwhile (at-least-once: a request that timed out may have been processed, so
/// a downstream may see it twice, with the same alert ids). A timed-out request's
/// connection is kept open up to a minute to count a late 2xx (late_answers);
/// timeouts log a rate-limited warning, and five in a row an error. Only the first
/// dead_letter_body_bytes of an answer's body are kept, and at most 1 MiB of it is
/// read (a larger body ends the connection). Any other status (3xx, 4xx other than 429) is
/// final: the request's alerts go to the dead-letter file with the status and the
/// (truncated) response, and are counted. Never throws from its interface except
/// std::bad_alloc. Destroying the sink while the loop runs is safe.
class WebhookSink final : public QueuedSink {
 public:
  WebhookSink(boost::asio::io_context& io, const std::string& name, WebhookSinkOptions opts);

  /// SinkStats plus the HTTP counters.
  WebhookStats webhook_stats() const;
  /// Its HTTP samples (newshound_webhook_*).
  void report_metrics(MetricsExposition& out, std::string_view output) const override;
};

}  // namespace newshound

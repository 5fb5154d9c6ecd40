// Stage: source. HTTP push: feeds POST articles (NDJSON, a JSON array or object,
// or a NewsML-G2 document) to one path; each request is answered once its
// articles are accepted by every output they route to, with the count and the
// refused ones. Backpressure becomes 503 with Retry-After.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "newshound/source/input.hpp"
#include "newshound/source/line_batch.hpp"
#include "newshound/source/tcp_input.hpp"

namespace newshound {

/// The options of an http input beyond the listener's (TcpInputOptions: host,
/// port, tls, max_connections, idle_timeout, max_line_bytes as the largest article,
/// max_inflight_bytes with max_body_bytes as the room for bodies).
struct HttpInputOptions {
  std::string path = "/v1/articles";      ///< the one path POSTs go to
  std::size_t max_body_bytes = 16 << 20;  ///< larger bodies get 413
  /// How long a request waits for its articles to be accepted before it gets 503.
  std::chrono::milliseconds accept_timeout{30000};
  std::filesystem::path token_file;  ///< as configured (resolved); empty = no token
  std::string token;                 ///< read from token_file by load_config
  bool operator==(const HttpInputOptions&) const = default;
};

/// Counters of one http input, updated on the event-loop thread.
struct HttpInputStats {
  /// The statuses counted in `requests`, in order; any other counts as the last.
  static constexpr std::array<unsigned, 10> kStatuses = {200, 400, 401, 404, 405,
                                                         413, 415, 431, 503, 0};
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> refused{0};  ///< connections over max_connections
  std::atomic<std::uint64_t> active{0};
  std::atomic<std::uint64_t> bytes{0};          ///< body bytes read
  std::atomic<std::uint64_t> idle_timeouts{0};  ///< connections closed for idling
  std::atomic<std::uint64_t> accepted{0};       ///< articles answered as accepted
  std::atomic<std::uint64_t> rejected{0};       ///< articles answered as rejected
  std::array<std::atomic<std::uint64_t>, kStatuses.size()> requests{};  ///< by kStatuses

  void count_status(unsigned status) {
    std::size_t i = 0;
    while (i + 1 < kStatuses.size() && kStatuses[i] != status) ++i;
    ++requests[i];
  }
};

/// A request header's bound, and the read buffer's (a header, and what a client
/// sends ahead of it).
inline constexpr std::uint32_t kHttpHeaderLimit = 16 * 1024;
inline constexpr std::size_t kHttpBufferLimit = 64 * 1024;

/// The most an http input holds with every output stalled: per connection a
/// request header and the read buffer; bodies within the input's room
/// (max(max_inflight_bytes, max_body_bytes)) three times over (being read, split
/// into records, their ordinary alerts); one alert of `max_alert` per request in
/// the pipeline (max_inflight_batches).
/// Inline: the config checks (and the config fuzz target) use it without the input.
inline std::size_t http_input_worst_case(const TcpInputOptions& listen,
                                         const HttpInputOptions& options, std::size_t max_alert) {
  const std::size_t room = std::max(listen.max_inflight_bytes, options.max_body_bytes);
  return listen.max_connections * (kHttpHeaderLimit + kHttpBufferLimit) + 3 * room +
         listen.max_inflight_batches * max_alert;
}

/// One http input. Runs entirely on the io_context it was given. Never throws
/// after construction: socket errors are logged (rate-limited), hostile clients
/// get a status or are closed. With the listener's tls (TcpInputOptions::tls):
/// HTTPS, mutual TLS with verify_certificate (allowed_names), a failed handshake
/// counted under newshound_tls_handshake_failures_total{endpoint="input/<name>"};
/// SIGHUP reloads the certificate files (net::TlsEdge).
class HttpInput final : public Input {
 public:
  /// `listen` carries the address and the limits (name and input index set).
  HttpInput(boost::asio::io_context& io, TcpInputOptions listen, HttpInputOptions options,
            LineConsumer& consumer);
  ~HttpInput() override;
  HttpInput(const HttpInput&) = delete;
  HttpInput& operator=(const HttpInput&) = delete;

  std::string bind() override;
  void start() override;
  /// Stops accepting, closes every connection; requests waiting are not answered.
  void stop() override;
  /// Connections (and handshakes) whose read loop has not ended.
  bool busy() const override;
  void set_index(std::uint32_t input) override;
  std::uint64_t bytes_in() const override { return stats().bytes.load(); }
  void report_metrics(MetricsExposition& out, std::string_view name) const override;
  /// The bound port (after bind): useful with port 0 in tests.
  std::uint16_t local_port() const;
  const HttpInputStats& stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound

// Stage: source. NDJSON over TCP, in two modes: listen (feeds push to us) and
// connect (we dial the feed, reconnecting with capped backoff and jitter).
// Sources (this one, the drop folder, the feed poller), the sinks and the daemon's
// own endpoints are the only code that touches sockets and files.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "newshound/net/tls_options.hpp"
#include "newshound/source/input.hpp"
#include "newshound/source/line_batch.hpp"
#include "newshound/util/backoff.hpp"

namespace newshound {

struct TcpInputOptions {
  std::string name;
  std::string host;
  std::uint16_t port = 0;
  std::uint32_t input = 0;  ///< index of this [[input]]
  std::size_t max_line_bytes = 1 << 20;
  std::size_t max_connections = 256;          ///< listen mode
  std::size_t max_inflight_batches = 4;       ///< per connection; then reading pauses
  std::size_t max_inflight_bytes = 4 << 20;   ///< per connection; then reading pauses
  std::chrono::milliseconds idle_timeout{0};  ///< close a silent connection; 0 = never
  bool ack = false;         ///< acknowledged mode: write the consumer's replies back, in order
  BackoffPolicy reconnect;  ///< connect mode: delay between connect attempts
  /// TLS (tls.enabled). Connect mode: a client handshake after each connect
  /// (the feed's certificate and name verified unless turned off); a failed one
  /// counts as a failed connect (backoff, rate-limited warning with the reason).
  /// Listen mode: a server handshake on each accepted connection, within 10 s;
  /// a failed one closes the connection (rate-limited warning).
  net::TlsOptions tls;
  bool operator==(const TcpInputOptions&) const = default;
};

/// Counters of one input, updated on the event-loop thread.
struct TcpInputStats {
  std::atomic<std::uint64_t> connections{0};  ///< accepted or established
  std::atomic<std::uint64_t> refused{0};      ///< over max_connections
  std::atomic<std::uint64_t> connect_failures{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> lines{0};
  std::atomic<std::uint64_t> oversize{0};
  std::atomic<std::uint64_t> active{0};
  std::atomic<std::uint64_t> idle_timeouts{0};  ///< connections closed for idling
  std::atomic<std::uint64_t> paused{0};         ///< connections not reading now (backpressure)
  std::atomic<std::uint64_t> acks{0};           ///< acknowledgements written

  /// Total seconds connections spent paused, the pauses going on now included.
  double paused_seconds() const;

  // Paused time bookkeeping (event-loop thread): finished pauses, and the sum of
  // the start times of the pauses going on, in steady_clock nanoseconds.
  std::atomic<std::int64_t> paused_ns_done{0};
  std::atomic<std::int64_t> paused_start_sum_ns{0};
};

/// One TCP input. Runs entirely on the io_context it was given. Never throws
/// after construction: socket errors are logged (rate-limited) and retried.
class TcpInput final : public Input {
 public:
  enum class Mode { listen, connect };
  TcpInput(boost::asio::io_context& io, Mode mode, TcpInputOptions options, LineConsumer& consumer);
  ~TcpInput() override;
  TcpInput(const TcpInput&) = delete;
  TcpInput& operator=(const TcpInput&) = delete;

  /// Listen mode: binds and listens now, so callers know the port is open when
  /// this returns. Returns an error message, empty on success. Connect mode: "".
  std::string bind() override;
  /// Starts accepting / connecting.
  void start() override;
  /// Stops accepting and reading; open connections finish the batch they have.
  void stop() override;
  /// Connections (and handshakes) whose read loop has not ended.
  bool busy() const override;
  /// The bound port (listen mode, after bind): useful with port 0 in tests.
  std::uint16_t local_port() const;
  const TcpInputOptions& options() const;
  /// Renumbers this input (a reload moved it in the config); later batches carry it.
  void set_index(std::uint32_t input) override;
  const TcpInputStats& stats() const;
  std::uint64_t bytes_in() const override { return stats().bytes.load(); }
  /// The newshound_input_* families of TcpInputStats (input_metrics.cpp).
  void report_metrics(MetricsExposition& out, std::string_view name) const override;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound

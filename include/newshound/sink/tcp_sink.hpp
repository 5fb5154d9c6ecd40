// Stage: sink. TcpSink: alerts as NDJSON over an outgoing TCP connection, with a
// byte-bounded queue, reconnects and at-least-once delivery.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/sink.hpp"

namespace newshound {

struct TcpSinkOptions {
  std::string host;  ///< name or address, resolved at each connect
  std::uint16_t port = 0;
  QueueOptions queue;  ///< in-memory bound, reconnect backoff
  /// Alerts fully written less than this long before the connection dropped are
  /// sent again after reconnecting: they may have sat unread in a kernel buffer
  /// on either side. 0 = resend only what was not fully written.
  std::chrono::milliseconds resend_window{2000};
  /// Acknowledged delivery: the receiver answers every alert line with a line
  /// `{"ack":"<alert id>"}`. An alert counts as sent (stats().sent, notify_sent)
  /// only when its ack arrives; written-but-unacknowledged alerts are sent again,
  /// in order, after a reconnect (resend_window is not used then).
  bool ack = false;
  /// With ack: at most this many alerts written and awaiting their ack; the
  /// writer waits for acks beyond it (the queue, and submit()'s refusal, follow).
  std::size_t max_unacked = 4096;
  bool operator==(const TcpSinkOptions&) const = default;
};

/// Connects to host:port and streams alerts in submit order. Alerts leave the
/// queue only when all their bytes were written (several queued alerts go out in
/// one gathered write). On any error the connection is dropped, unsent alerts
/// (plus the resend window) stay queued and go out again after a reconnect, so
/// delivery is at-least-once (duplicates carry the same alert id). With
/// `ack = true` an alert instead stays in an unacknowledged window until the
/// receiver's cumulative `{"ack":"<id>"}` line covers it (see
/// docs/operations.md, Acknowledged delivery end to end). Connect and
/// disconnect events are logged, rate-limited. Never throws from its interface
/// except std::bad_alloc. Internal state is shared with its pending operations, so
/// destroying the sink while the loop runs is safe (pending work is cancelled).
class TcpSink final : public Sink {
 public:
  TcpSink(boost::asio::io_context& io, const std::string& name, TcpSinkOptions opts);
  ~TcpSink() override;

  const std::string& name() const override;
  /// Starts the connect/write loop on the io_context. Called once.
  void start() override;
  /// Queues `alert`; false (and counted as rejected) if it would exceed
  /// queue_bytes, or once stop() was called.
  bool submit(std::shared_ptr<const Alert> alert) override;
  /// Stops accepting, keeps writing (and reconnecting) until the queue is empty or
  /// `grace` ran out, then closes and posts `done`.
  void stop(std::chrono::milliseconds grace, std::function<void()> done) override;
  SinkStats stats() const override;
  /// True while a connection is up (for status pages and tests).
  bool connected() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound

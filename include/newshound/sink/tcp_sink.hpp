// Stage: sink. TcpSink: alerts as NDJSON over an outgoing TCP connection, with a
// byte-bounded queue, reconnects and at-least-once delivery.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "newshound/net/tls_options.hpp"
#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/queued_sink.hpp"

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
  /// TLS to the receiver (tls.enabled): a handshake after each connect, the
  /// server's certificate and name verified unless turned off. A failed
  /// handshake is a failed connect: retried with backoff, nothing sent in clear.
  net::TlsOptions tls;
  bool operator==(const TcpSinkOptions&) const = default;
};

/// Connects to host:port and streams alerts in submit order (a QueuedSink: the
/// queue, submit/stop, retries and stats are its). Alerts leave the queue only when
/// all their bytes were written (several queued alerts go out in one gathered
/// write). On any error the connection is dropped, unsent alerts (plus the resend
/// window) stay queued and go out again after a reconnect, so delivery is
/// at-least-once (duplicates carry the same alert id). With `ack = true` an alert
/// instead stays in an unacknowledged window until the receiver's cumulative
/// `{"ack":"<id>"}` line covers it (see docs/operations.md, Acknowledged delivery
/// end to end). Connect and disconnect events are logged, rate-limited. Never
/// throws from its interface except std::bad_alloc; destroying the sink while the
/// loop runs is safe (pending work is cancelled).
class TcpSink final : public QueuedSink {
 public:
  TcpSink(boost::asio::io_context& io, const std::string& name, TcpSinkOptions opts);

  /// True while a connection is up (for status pages and tests).
  bool connected() const;
  /// Ready for more while connected (SpoolingSink spools to disk otherwise).
  bool ready() const override { return connected(); }
};

}  // namespace newshound

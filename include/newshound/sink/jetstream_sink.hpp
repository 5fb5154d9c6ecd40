// Stage: sink. JetStreamSink: alerts published to a NATS JetStream stream, one
// message per alert with the header Nats-Msg-Id = alert id, so the server drops
// a republished alert within the stream's duplicate window.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "newshound/nats/connection.hpp"
#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/queued_sink.hpp"

namespace newshound {

struct JetStreamSinkOptions {
  nats::ConnectOptions connect;  ///< url, credentials, tls
  /// `subject`: where each alert is published; `{list}` is replaced by the name
  /// of the alert's first list (characters other than letters, digits, `-` and
  /// `_` made `_`). A stream must capture the subject.
  std::string subject = "newshound.alerts";
  QueueOptions queue;  ///< in-memory bound, reconnect backoff
  /// At most this many alerts published and awaiting their publish ack.
  std::size_t max_pending = 4096;
  /// A publish without its ack after this long counts as failed, as a failed ack
  /// does: the connection is dropped and every unacknowledged alert published
  /// again after a reconnect (same Msg-Id). Timed by the sink on the event loop
  /// (one timer for the oldest publish), not by nats.c's per-publish MaxWait.
  std::chrono::milliseconds ack_wait{10000};
  bool operator==(const JetStreamSinkOptions&) const = default;
};

/// `subject` with `{list}` filled from the alert's JSON (its first `lists`
/// entry, sanitized for a NATS subject; `_` when it has none).
std::string jetstream_subject(std::string_view subject, std::string_view alert_json);

/// Publishes alerts asynchronously (a QueuedSink: queue, submit/stop, retries and
/// stats are its). An alert counts as sent only when the server's publish ack
/// arrives; nats.c's callbacks (its threads) are posted to the event loop. A lost
/// connection, a failed publish or an ack missing after `ack_wait` drops the
/// connection; every unacknowledged alert goes back to the queue and is published
/// again (same Msg-Id) after a reconnect with backoff. A late ack of an alert
/// already given back settles it only if it is awaiting an ack again (never twice). The blocking
/// connect runs on a helper thread. Never throws from its interface except std::bad_alloc.
class JetStreamSink final : public QueuedSink {
 public:
  JetStreamSink(boost::asio::io_context& io, const std::string& name, JetStreamSinkOptions opts);
  bool connected() const;
  /// Ready while connected (SpoolingSink spools to disk otherwise).
  bool ready() const override { return connected(); }
};

}  // namespace newshound

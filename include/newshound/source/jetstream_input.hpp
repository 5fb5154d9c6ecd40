// Stage: source. JetStreamInput: articles read from a NATS JetStream stream
// through a durable pull consumer that several daemons may share, each message
// acknowledged only once every alert it raised was accepted by every output.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "newshound/nats/connection.hpp"
#include "newshound/source/input.hpp"
#include "newshound/source/line_batch.hpp"
#include "newshound/util/backoff.hpp"

namespace newshound {

struct JetStreamInputOptions {
  std::string name;                   ///< the input's name, for logs and metrics
  std::uint32_t input = 0;            ///< index of this [[input]]
  nats::ConnectOptions connect;       ///< url, credentials, tls
  std::string stream;                 ///< `stream`: the stream the articles are in
  std::string subject;                ///< `subject`: the consumer's filter; empty: the whole stream
  std::string durable = "newshound";  ///< `durable`: the consumer's name, shared by daemons
  std::size_t batch = 64;             ///< `batch`: messages per fetch (one LineBatch)
  std::size_t max_ack_pending = 1024;  ///< `max_ack_pending`: unacknowledged messages at most
  std::chrono::milliseconds ack_wait{30000};  ///< `ack_wait_ms`: redelivery after this
  std::int64_t max_deliver = 5;               ///< `max_deliver`: deliveries of one message at most
  /// `max_line_bytes`: a longer message is terminated, counted as oversize and
  /// dead-lettered (it would not fit a line anywhere else either).
  std::size_t max_line_bytes = 1 << 20;
  /// `dead_letter_subject`: a message the decoder refuses is published here
  /// (then terminated); empty: only terminated and counted.
  std::string dead_letter_subject;
  /// A message left unacknowledged by a transient failure (an output removed, a
  /// matcher failure) is redelivered after this delay.
  std::chrono::milliseconds nak_delay{1000};
  BackoffPolicy backoff;  ///< reconnects (reconnect_initial_ms / reconnect_max_ms)
  bool operator==(const JetStreamInputOptions&) const = default;
};

/// Creates the durable pull consumer if it does not exist and binds to it if it
/// does; a helper thread fetches `batch` messages at a time (nats.c blocks) and
/// posts each fetch to the event loop as one LineBatch (one line per message)
/// with LineAcks: a message is acked when its line settled with an article id,
/// naked with `nak_delay` when it settled without one, terminated (counted, and
/// published to `dead_letter_subject`) when the decoder refused it; `in
/// progress` is sent for messages still held every ack_wait / 3. At most
/// max(1, max_ack_pending / batch) fetches are in flight. A lost server
/// (or a refused login) is retried with backoff, logged rate-limited, and
/// not_ready() says so meanwhile. Never throws after construction.
class JetStreamInput final : public Input {
 public:
  JetStreamInput(boost::asio::io_context& io, JetStreamInputOptions opts, LineConsumer& consumer);
  ~JetStreamInput() override;

  std::string bind() override;
  void start() override;
  void stop() override;
  void set_index(std::uint32_t input) override;
  std::uint64_t bytes_in() const override;
  void report_metrics(MetricsExposition& out, std::string_view name) const override;
  std::string not_ready() const override;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace newshound

// Stage: source. Lines framed from one connection, copied out of the socket
// buffer into one block so they can cross to a worker thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newshound/util/clock.hpp"

namespace newshound {

/// The reply channel of an acknowledged stream (`ack = true`). The consumer calls
/// settled() exactly once per line of every batch of the stream, in line order,
/// when that line is settled (its article processed and every alert of it
/// delivered): `article_id` is the article to acknowledge, nullopt for a line that
/// gets no acknowledgement (blank, undecodable, or its matcher failed). The source owns
/// the reply's wire format. Event-loop thread only; never throws (a closed
/// connection drops the reply).
class LineAcks {
 public:
  virtual ~LineAcks() = default;
  virtual void settled(std::optional<std::string_view> article_id) = 0;
  /// Instead of settled(nullopt) for a line the decoder refused: `reason` is the
  /// decoder's stable name for why ("not_json", "no_text", ...). A source that
  /// tells refused lines (never to be retried) from the other unacknowledged ones
  /// (a matcher failure, an output removed: worth another try) overrides it; the
  /// default is settled(nullopt).
  virtual void refused(std::string_view reason) {
    (void)reason;
    settled(std::nullopt);
  }
};

/// A batch of complete lines from one stream (one TCP connection, or stdin).
/// `stream` and `seq` let the consumer put results back in arrival order.
/// `oversize` counts lines the framer discarded for exceeding the size limit.
struct LineBatch {
  std::string bytes;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> lines;  ///< (offset, length) in bytes
  Clock::time_point received_at{};
  std::uint32_t input = 0;
  std::uint64_t stream = 0;
  std::uint64_t seq = 0;
  std::uint64_t oversize = 0;
  /// Set on every batch of an acknowledged stream, null otherwise. The consumer
  /// must only touch it on the event-loop thread.
  std::shared_ptr<LineAcks> acks;

  void add(std::string_view line) {
    lines.emplace_back(static_cast<std::uint32_t>(bytes.size()),
                       static_cast<std::uint32_t>(line.size()));
    bytes.append(line);
  }
  std::string_view line(std::size_t i) const {
    return std::string_view(bytes).substr(lines[i].first, lines[i].second);
  }
  bool empty() const { return lines.empty() && oversize == 0; }
};

/// A stream id no other stream of the process has, whatever its source: the
/// consumer keys ordering and acknowledgements by it. Thread-safe.
inline std::uint64_t new_stream_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

/// Where sources hand their batches: the daemon's worker pool, or a test.
/// All calls happen on the event-loop thread.
class LineConsumer {
 public:
  virtual ~LineConsumer() = default;
  /// Takes a batch. `done` runs on the event-loop thread once every line has been
  /// processed and its alerts handed to the sinks; sources use it to bound the
  /// batches they have in flight (backpressure).
  virtual void consume(LineBatch batch, std::function<void()> done) = 0;
  /// A stream ended (connection closed): no more batches with that id.
  virtual void end_stream(std::uint64_t stream) = 0;
};

}  // namespace newshound

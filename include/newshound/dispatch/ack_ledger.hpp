// Stage: dispatch. The ack ledger: for each acknowledged stream, its lines in
// order, each waiting until its alert (if any) is delivered by every sink it was
// routed to. Settled lines at the head of a stream go to the stream's LineAcks
// ("line settled, acknowledge article X"); the reply's bytes are the source's.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/container/small_vector.hpp>

#include "newshound/decode/decoder.hpp"
#include "newshound/encode/alert.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/source/line_batch.hpp"

namespace newshound {

/// Event-loop thread only. Never throws except std::bad_alloc.
class AckLedger {
 public:
  /// Batch `seq` of `stream` (LineBatch::seq, from 0) is acknowledged through
  /// `acks` (every batch of a stream carries the same channel). Its first batch
  /// opens the stream; a later one keeps the queue of an open stream and opens
  /// nothing: a stream that ended is never opened again, so the lines of batches
  /// that come after its end (an input's last fetch, the batches after an
  /// abandoned one) are not recorded and never acknowledged (the feed sends them
  /// again), instead of settling against a reply channel whose earlier lines
  /// were dropped (an input that acks in settle order would ack the wrong ones).
  void open(std::uint64_t stream, std::uint64_t seq, std::shared_ptr<LineAcks> acks);
  /// Whether lines of `stream` are recorded: opened and not ended.
  bool is_open(std::uint64_t stream) const { return streams_.count(stream) != 0; }
  /// Appends a line of an open `stream` with nothing to wait for: acknowledged as
  /// `article_id`, or not at all (nullopt: blank, undecodable, matcher failure);
  /// `refused` is the decoder's reason for an undecodable line (LineAcks::refused).
  void add_line(std::uint64_t stream, std::optional<std::string> article_id,
                DecodeError refused = DecodeError::ok);
  /// Appends the line of `alert` to an open `stream`: settled (acknowledged as its
  /// article) once every sink of `owing` reported it sent; at once if none.
  /// Call before handing the alert to the sinks (one may report from submit()).
  void add_alert(std::uint64_t stream, const std::shared_ptr<const Alert>& alert,
                 std::span<Sink* const> owing);
  /// Passes the settled lines at the head of `stream` to its LineAcks, in order.
  void flush(std::uint64_t stream);
  /// `sink` delivered `alert` (or one of its Alert::cuts): settles its line once
  /// no routed sink owes it. Unknown alerts and sinks that owe nothing (or
  /// reported already) are ignored.
  void sent(const Sink* sink, const Alert* alert);
  /// `removed` will never report what they owe: those lines settle unacknowledged
  /// (the feed resends them) and stop holding up the later lines of their streams.
  void forget_sinks(std::span<const Sink* const> removed);
  /// The stream closed: nobody reads its replies; its waiting lines are dropped
  /// and later add_*() calls for it are not recorded.
  void end(std::uint64_t stream);
  /// Lines waiting, over all streams.
  std::size_t pending() const;

 private:
  struct Line {
    std::string article_id;
    bool acknowledged = false;              // false: settles without a reply
    DecodeError refused = DecodeError::ok;  // why the decoder refused it, if it did
    std::uint32_t outstanding = 0;          // sinks that have not reported the alert sent
  };
  struct Stream {
    std::shared_ptr<LineAcks> acks;
    std::deque<Line> lines;  // in line order; references stay valid
  };
  struct Waiting {
    std::shared_ptr<const Alert> alert;  // keeps the address from being reused
    std::uint64_t stream;
    Line* line;
    boost::container::small_vector<const Sink*, 4> owing;  // routed sinks that did not report
  };

  std::unordered_map<std::uint64_t, Stream> streams_;
  std::unordered_map<const Alert*, Waiting> waiting_;
  // A waiting alert's cuts -> the alert (kept alive by it, so no address is reused).
  std::unordered_map<const Alert*, const Alert*> cut_of_;
  void erase_waiting(std::unordered_map<const Alert*, Waiting>::iterator it);
};

}  // namespace newshound

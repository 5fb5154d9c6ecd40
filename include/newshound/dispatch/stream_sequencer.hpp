// Stage: dispatch. Putting work that finishes out of order back in order: InOrder
// for one numbered sequence (`scan`'s batches), StreamSequencer for many streams
// (the daemon's connections), so each stream's alerts leave in the order its
// lines came.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>

namespace newshound {

/// Items numbered 0, 1, 2, ... put() in any order and pop()ped in number order.
/// Not thread-safe (callers lock, or stay on one thread). Never throws except
/// std::bad_alloc.
template <class T>
class InOrder {
 public:
  /// Item `seq`, which must not have been put before.
  void put(std::uint64_t seq, T item) { waiting_.emplace(seq, std::move(item)); }
  /// Moves the next item in order into `out`; false while it is not there yet.
  bool pop(T& out) {
    auto it = waiting_.find(next_);
    if (it == waiting_.end()) return false;
    out = std::move(it->second);
    waiting_.erase(it);
    ++next_;
    return true;
  }
  /// The number of the next item pop() returns.
  std::uint64_t next() const { return next_; }

 private:
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, T> waiting_;
};

/// Per-stream in-order completion of batches: a stream's batches are numbered from
/// 0 (LineBatch::seq); complete() hands each to `emit` in that order. Forgets a
/// stream once it ended and its last batch was emitted. Event-loop thread only;
/// `emit` may call begin() and end() (not complete()).
template <class T>
class StreamSequencer {
 public:
  /// A batch of `stream` was taken: the stream is kept until it completes.
  void begin(std::uint64_t stream) { ++streams_[stream].outstanding; }

  /// Batch `seq` of `stream` is done: calls `emit(stream, T&&)` for it and for every
  /// later batch already done, in order; holds it back while an earlier one runs.
  template <class Emit>
  void complete(std::uint64_t stream, std::uint64_t seq, T item, Emit&& emit) {
    Stream& s = streams_[stream];
    s.order.put(seq, std::move(item));
    emitting_ = &s;  // end() must not erase it meanwhile
    for (T next; s.order.pop(next);) {
      --s.outstanding;
      emit(stream, std::move(next));
    }
    emitting_ = nullptr;
    erase_if_finished(stream);
  }

  /// No more batches of `stream` (its connection closed): it is forgotten once the
  /// ones taken are emitted. Unknown streams are ignored.
  void end(std::uint64_t stream) {
    auto it = streams_.find(stream);
    if (it == streams_.end()) return;
    it->second.ended = true;
    erase_if_finished(stream);
  }

  /// Streams known (open, or ended with batches still running).
  std::size_t streams() const { return streams_.size(); }

 private:
  struct Stream {
    InOrder<T> order;
    std::uint64_t outstanding = 0;  // batches begun, not yet emitted
    bool ended = false;
  };
  void erase_if_finished(std::uint64_t stream) {
    auto it = streams_.find(stream);
    if (it != streams_.end() && &it->second != emitting_ && it->second.ended &&
        it->second.outstanding == 0)
      streams_.erase(it);
  }

  std::unordered_map<std::uint64_t, Stream> streams_;
  const Stream* emitting_ = nullptr;
};

}  // namespace newshound

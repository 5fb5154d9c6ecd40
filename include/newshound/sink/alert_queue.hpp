// Stage: sink. AlertQueue: the one byte-bounded FIFO of alerts in front of every
// output, with the one admission rule, and a writev() drain for file descriptors
// (StdoutSink).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "newshound/encode/alert.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

/// Alerts waiting for one output, in submit order, plus the ones taken out for
/// delivery and not yet settled (a batch being written, a window awaiting acks):
/// size() and bytes() count both, so the bound covers everything the output holds.
/// Admission (offer): an alert is refused when it would put more than max_bytes
/// held, except that an empty queue takes any one alert, however large (logged,
/// rate-limited, so an operator sees why memory went above queue_bytes). Not
/// thread-safe (the event loop's); never throws except std::bad_alloc.
class AlertQueue {
 public:
  using AlertPtr = std::shared_ptr<const Alert>;
  struct Entry {
    AlertPtr alert;
    bool counted = false;  ///< already counted sent (a resend after a reconnect)
  };

  /// `sink` names the output in the oversize log line.
  AlertQueue(std::string sink, std::size_t max_bytes)
      : sink_(std::move(sink)), max_bytes_(max_bytes) {}

  /// The admission rule: appends `alert` and counts it in `st.accepted`, or (when
  /// `accepting` is false or the rule refuses) counts `st.rejected` and returns false.
  bool offer(AlertPtr alert, bool accepting, SinkStats& st);

  /// Alerts waiting and taken out; their bytes.
  std::size_t size() const { return q_.size() + out_count_; }
  std::size_t bytes() const { return bytes_ + out_bytes_; }
  /// Alerts waiting (not taken out).
  std::size_t waiting() const { return q_.size(); }
  bool empty() const { return size() == 0; }
  const Entry& operator[](std::size_t i) const { return q_[i]; }

  /// Takes the front entry out for delivery (it still counts in size and bytes
  /// until settle() or put_back()). The queue must have one waiting.
  Entry take_front();
  /// An alert taken out is done with (delivered, acknowledged or refused for good).
  void settle(const Alert& alert);
  /// Puts an alert back at the front (first to go next): one taken out
  /// (`taken`), or one already delivered that must be sent again.
  void put_back(AlertPtr alert, bool counted, bool taken);

  /// Writes waiting alerts to `fd` until none wait or write() fails. An alert
  /// leaves the queue once its last byte is written (a partial write resumes at
  /// the next byte). Adds the alerts completed to `*sent` and, when `done` is not
  /// null, appends them to `*done` (for Sink::notify_sent). Returns 0 or errno.
  int write_to(int fd, std::uint64_t* sent, std::vector<AlertPtr>* done = nullptr);

 private:
  void pop_written(std::uint64_t* sent, std::vector<AlertPtr>* done);

  std::string sink_;
  std::size_t max_bytes_;
  std::deque<Entry> q_;
  std::size_t bytes_ = 0;   ///< unwritten bytes waiting
  std::size_t offset_ = 0;  ///< bytes of the front alert already written (write_to)
  std::size_t out_count_ = 0, out_bytes_ = 0;
  RateLimiter oversize_log_{std::chrono::seconds(60)};
};

}  // namespace newshound

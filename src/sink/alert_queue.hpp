// Stage: sink (private). A byte-bounded FIFO of alerts and a writev() loop that
// drains it into a blocking file descriptor; shared by StdoutSink and FileSink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "newshound/encode/alert.hpp"

namespace newshound::detail {

class AlertQueue {
 public:
  explicit AlertQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// Appends `alert` unless that would put more than max_bytes queued (an empty
  /// queue always takes one alert, however large). Returns false if refused.
  bool push(std::shared_ptr<const Alert> alert);

  /// Writes queued alerts to `fd` until the queue is empty or write() fails. An
  /// alert leaves the queue once its last byte is written (a partial write resumes
  /// at the next byte). Adds the alerts completed to `*sent` and, when `done` is
  /// not null, appends them to `*done` (for Sink::notify_sent). Returns 0 or errno.
  int write_to(int fd, std::uint64_t* sent,
               std::vector<std::shared_ptr<const Alert>>* done = nullptr);

  std::size_t size() const { return q_.size(); }
  std::size_t bytes() const { return bytes_; }
  bool empty() const { return q_.empty(); }

 private:
  std::size_t max_bytes_;
  std::deque<std::shared_ptr<const Alert>> q_;
  std::size_t bytes_ = 0;   ///< unwritten bytes queued
  std::size_t offset_ = 0;  ///< bytes of the front alert already written
};

}  // namespace newshound::detail

// Stage: sink. AlertQueue: admission, take/settle/put-back bookkeeping, and the
// writev() drain (see alert_queue.hpp).
#include "newshound/sink/alert_queue.hpp"

#include <spdlog/spdlog.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>

namespace newshound {

bool AlertQueue::offer(AlertPtr alert, bool accepting, SinkStats& st) {
  const std::size_t n = alert->json.size();
  const bool alone = empty();
  if (!accepting || (!alone && bytes() + n > max_bytes_)) {
    ++st.rejected;
    return false;
  }
  if (alone && n > max_bytes_) {
    std::uint64_t quiet = 0;
    if (oversize_log_.allow(&quiet))
      spdlog::warn(
          "sink {}: alert {} is {} bytes, more than queue_bytes ({}); taken alone into the "
          "empty queue, so memory goes above the bound until it is delivered ({} similar "
          "suppressed)",
          sink_, alert->id, n, max_bytes_, quiet);
  }
  bytes_ += n;
  q_.push_back({std::move(alert), false});
  ++st.accepted;
  return true;
}

AlertQueue::Entry AlertQueue::take_front() {
  Entry e = std::move(q_.front());
  q_.pop_front();
  const std::size_t n = e.alert->json.size();
  bytes_ -= n;
  ++out_count_;
  out_bytes_ += n;
  return e;
}

void AlertQueue::settle(const Alert& alert) {
  --out_count_;
  out_bytes_ -= alert.json.size();
}

void AlertQueue::put_back(AlertPtr alert, bool counted, bool taken) {
  if (taken) settle(*alert);
  bytes_ += alert->json.size();
  q_.push_front({std::move(alert), counted});
}

void AlertQueue::pop_written(std::uint64_t* sent, std::vector<AlertPtr>* done) {
  offset_ = 0;
  if (done != nullptr) done->push_back(std::move(q_.front().alert));
  q_.pop_front();
  ++*sent;
}

int AlertQueue::write_to(int fd, std::uint64_t* sent, std::vector<AlertPtr>* done) {
  constexpr std::size_t kMaxIov = 64;
  iovec iov[kMaxIov];
  while (!q_.empty()) {
    const std::size_t count = std::min(kMaxIov, q_.size());
    for (std::size_t i = 0; i < count; ++i) {
      const std::string& s = q_[i].alert->json;
      const std::size_t skip = i == 0 ? offset_ : 0;
      iov[i].iov_base = const_cast<char*>(s.data() + skip);
      iov[i].iov_len = s.size() - skip;
    }
    const ssize_t w = ::writev(fd, iov, static_cast<int>(count));
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    auto left = static_cast<std::size_t>(w);
    bytes_ -= left;
    while (left > 0) {
      const std::size_t rest = q_.front().alert->json.size() - offset_;
      if (left < rest) {
        offset_ += left;
        break;
      }
      left -= rest;
      pop_written(sent, done);
    }
    // Empty alerts (never produced by the encoder) would otherwise stay forever.
    while (!q_.empty() && q_.front().alert->json.size() == offset_) pop_written(sent, done);
  }
  return 0;
}

}  // namespace newshound

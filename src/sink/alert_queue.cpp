// Stage: sink (private). Byte-bounded alert FIFO drained with writev() (see
// alert_queue.hpp).
#include "alert_queue.hpp"

#include <sys/uio.h>

#include <algorithm>
#include <cerrno>

namespace newshound::detail {

bool AlertQueue::push(std::shared_ptr<const Alert> alert) {
  const std::size_t n = alert->json.size();
  if (!q_.empty() && bytes_ + n > max_bytes_) return false;
  bytes_ += n;
  q_.push_back(std::move(alert));
  return true;
}

int AlertQueue::write_to(int fd, std::uint64_t* sent,
                         std::vector<std::shared_ptr<const Alert>>* done) {
  constexpr std::size_t kMaxIov = 64;
  iovec iov[kMaxIov];
  while (!q_.empty()) {
    const std::size_t count = std::min(kMaxIov, q_.size());
    for (std::size_t i = 0; i < count; ++i) {
      const std::string& s = q_[i]->json;
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
      const std::size_t rest = q_.front()->json.size() - offset_;
      if (left < rest) {
        offset_ += left;
        break;
      }
      left -= rest;
      offset_ = 0;
      if (done != nullptr) done->push_back(std::move(q_.front()));
      q_.pop_front();
      ++*sent;
    }
    // Empty alerts (never produced by the encoder) would otherwise stay forever.
    while (!q_.empty() && q_.front()->json.size() == offset_) {
      offset_ = 0;
      if (done != nullptr) done->push_back(std::move(q_.front()));
      q_.pop_front();
      ++*sent;
    }
  }
  return 0;
}

}  // namespace newshound::detail

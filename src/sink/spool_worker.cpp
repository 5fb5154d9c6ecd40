// Stage: sink. SpoolWorker (see spool_worker.hpp): the spool's disk thread.
#include "newshound/sink/spool_worker.hpp"

namespace newshound {

SpoolWorker::~SpoolWorker() {
  stop();
}

void SpoolWorker::run(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      jobs_.push_back(std::move(job));
      if (!thread_.joinable()) thread_ = std::thread([this] { main(); });
      cv_.notify_one();
      return;
    }
  }
  job();
}

void SpoolWorker::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopping_ = true;
    stopped_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::size_t SpoolWorker::pending() const {
  std::lock_guard lock(mu_);
  return jobs_.size() + running_;
}

void SpoolWorker::main() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and everything queued ran
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    job();
    job = nullptr;  // destroyed off the lock
    lock.lock();
    --running_;
  }
}

}  // namespace newshound

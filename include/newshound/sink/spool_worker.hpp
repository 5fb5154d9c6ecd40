// Stage: sink. SpoolWorker: one background thread that runs a spool's blocking
// disk work (fdatasync, cursor writes) in submission order, so that the event
// loop never waits for the disk.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace newshound {

/// Runs jobs on one thread, first in, first out. The thread starts with the first
/// job. Jobs must not throw (a job that does ends the process) and report back by
/// posting to the event loop themselves. Owned and driven by one thread (the
/// event loop); never throws from its interface except std::bad_alloc and
/// std::system_error when no thread can be started.
class SpoolWorker {
 public:
  SpoolWorker() = default;
  /// stop().
  ~SpoolWorker();
  SpoolWorker(const SpoolWorker&) = delete;
  SpoolWorker& operator=(const SpoolWorker&) = delete;

  /// Queues `job`. After stop(), runs it on the calling thread instead.
  void run(std::function<void()> job);
  /// Lets the queued jobs finish, then joins the thread. Idempotent.
  void stop();
  /// Jobs queued or running now.
  std::size_t pending() const;

 private:
  void main();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::size_t running_ = 0;
  bool stopping_ = false, stopped_ = false;
  std::thread thread_;
};

}  // namespace newshound

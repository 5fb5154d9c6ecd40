// Stage: dispatch. The worker pool: threads that each own a PipelineWorker (so one
// Hyperscan scratch per thread) and run the jobs queued to them, switching rules
// and field maps between jobs. The daemon's Dispatcher and `scan` both use it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "newshound/dispatch/pipeline_worker.hpp"

namespace newshound {

/// What one job runs with, on a pool thread.
struct WorkerContext {
  /// The thread's worker, switched to `rules`; null when its matcher could not be
  /// prepared (scratch allocation failed, logged): nothing of the job can be matched.
  PipelineWorker* worker = nullptr;
  /// The rules the whole job runs on (taken when the job started).
  const std::shared_ptr<const Rules>& rules;
  unsigned thread = 0;  ///< index of the pool thread
  /// Set once the pool's jobs are given up (WorkerPool::abandon()): a job reads it
  /// between articles and returns early, leaving the rest of its work undone.
  const std::atomic<bool>& abandoned;
};

/// Owns the threads and their queue of jobs. Every public call is thread-safe;
/// jobs run in queue order, several at once (one per thread). Never throws after
/// construction; a job must not throw.
class WorkerPool {
 public:
  using Job = std::function<void(const WorkerContext&)>;

  /// Starts `threads` threads (at least one). Workers are built on their thread when
  /// it takes its first job: `field_maps[i]` decodes input i; `reference` selects the
  /// reference matcher (`scan --reference`).
  WorkerPool(unsigned threads, std::vector<FieldMap> field_maps, std::shared_ptr<const Rules> rules,
             bool reference = false);
  /// Runs the queued jobs (quickly, once abandon()ed), then stops the threads (join()).
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job` for the next free thread.
  void submit(Job job);
  /// Jobs started from now on run on `rules`; running ones finish on theirs.
  void set_rules(std::shared_ptr<const Rules> rules);
  /// Jobs started from now on decode input i with `field_maps[i]`.
  void set_field_maps(std::vector<FieldMap> field_maps);
  std::shared_ptr<const Rules> rules() const;
  /// Jobs started from now on bound their alerts by `bounds` (AlertLimits{} and no
  /// cut classes until set).
  void set_limits(const AlertBounds& bounds);
  /// Jobs started from now on sign every alert's article for the story stage
  /// (PipelineWorker::set_signing()). Off until called.
  void set_signing(bool on) { signing_.store(on, std::memory_order_relaxed); }
  /// Gives up the jobs queued and running (a shutdown past its grace): from now on
  /// every job sees WorkerContext::abandoned set, so a running one returns at its
  /// next article and a queued one at its first; join() then waits for at most one
  /// article per thread. Any thread; irreversible.
  void abandon() { abandoned_.store(true, std::memory_order_relaxed); }
  /// Stops the threads once the queue is empty. Idempotent.
  void join();
  unsigned size() const { return static_cast<unsigned>(threads_.size()); }

 private:
  void thread_main(unsigned index);

  const bool reference_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;                                    // guarded by mu_
  std::shared_ptr<const Rules> rules_;                       // guarded by mu_
  std::shared_ptr<const std::vector<FieldMap>> field_maps_;  // guarded by mu_
  std::shared_ptr<const AlertBounds> bounds_ =
      std::make_shared<const AlertBounds>();  // guarded by mu_
  bool closing_ = false;                      // guarded by mu_
  std::atomic<bool> abandoned_{false};
  std::atomic<bool> signing_{false};
  std::vector<std::thread> threads_;
};

}  // namespace newshound

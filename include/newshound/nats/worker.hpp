// Stage: nats. Worker: the one thread on which a jetstream input's or output's
// nats.c calls that may block run (connect, publish, ack, close), fed in order
// from the event loop, and the gate through which that thread (and nats.c's
// callbacks) post results back to the loop. A retired worker is not joined by
// its owner (the loop never waits for nats.c): it finishes its queue by itself,
// and close_library() joins every worker's thread before nats.c is released.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace newshound::nats {

/// One thread running jobs one at a time, in the order they were queued.
/// Thread-safe. Create with Worker::start; the owner calls retire() on its loop
/// (while the io_context lives) when it is done with it.
class Worker : public std::enable_shared_from_this<Worker> {
 public:
  /// Starts the thread; `loop` is where to_loop() posts (empty: a worker that
  /// never posts, e.g. one that only closes something). `name` is for the log.
  static std::shared_ptr<Worker> start(boost::asio::any_io_executor loop, std::string name);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Queues `job` for the thread. Jobs queued before retire() and after it all
  /// run (a close queued last runs last), unless the thread has ended already
  /// (retired, its queue done): then `job` is not queued and run() returns
  /// false. Never blocks on the thread.
  bool run(std::function<void()> job);
  /// Posts `fn` to the loop, unless the worker was retired: then `fn` is
  /// destroyed here, on the caller's thread (so it must not own anything whose
  /// destruction needs the loop). Any thread.
  void to_loop(std::function<void()> fn);
  /// On the loop, while its io_context lives: nothing more reaches the loop
  /// through to_loop() from now on, and the thread ends once its queue is empty.
  /// Never waits for the thread. Idempotent.
  void retire();
  /// True on the worker's own thread.
  bool on_thread() const;

  struct State;  ///< the queue and the gate, shared with the thread (worker.cpp)

 private:
  explicit Worker(std::shared_ptr<State> s) : s_(std::move(s)) {}
  std::shared_ptr<State> s_;
};

/// Threads of workers that have not ended yet (retired or not), for tests.
std::size_t live_workers();

/// Joins every worker's thread, waiting at most `wait_ms` for them to end
/// (each is retired by then: no owner is left). False when some did not end in
/// time (they are detached). Called by close_library().
bool join_workers(std::int64_t wait_ms);

}  // namespace newshound::nats

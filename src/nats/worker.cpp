// Stage: nats. Worker: a thread with a queue of jobs, a gate to the loop closed
// by retire(), and the registry of workers' threads that join_workers() (from
// close_library()) joins at exit, so a retired worker's last nats.c call (a
// connect to a hung server, a close) ends before nats.c is released.
#include "newshound/nats/worker.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

namespace newshound::nats {

struct Worker::State {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> jobs;
  bool retired = false;  ///< the gate is closed; the thread ends when jobs is empty
  bool ended = false;    ///< the thread ended: run() queues nothing more
  boost::asio::any_io_executor loop;
  std::string name;
  std::thread::id id;
};

namespace {

/// Every worker's thread until it is joined.
struct Threads {
  std::mutex mu;
  std::condition_variable cv;
  struct Entry {
    std::thread thread;
    std::shared_ptr<bool> done = std::make_shared<bool>(false);  ///< under mu; a
                                                                 ///< detached thread's too
  };
  std::list<Entry> all;

  /// Joins the threads that have ended (instant); with mu held.
  void reap() {
    for (auto it = all.begin(); it != all.end();) {
      if (!*it->done) {
        ++it;
        continue;
      }
      it->thread.join();
      it = all.erase(it);
    }
  }
};

/// Never destroyed: a detached thread (join_workers timed out) may still end
/// while static destructors run.
Threads& threads() {
  static Threads* t = new Threads;
  return *t;
}

void run_jobs(const std::shared_ptr<Worker::State>& s) {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(s->mu);
      s->cv.wait(lock, [&] { return !s->jobs.empty() || s->retired; });
      if (s->jobs.empty()) {  // retired and done
        s->ended = true;
        return;
      }
      job = std::move(s->jobs.front());
      s->jobs.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {  // std::bad_alloc: the job is lost, not the thread
      spdlog::error("{}: a NATS job failed: {}", s->name, e.what());
    }
    job = nullptr;  // its captures go here, on this thread
  }
}

}  // namespace

std::shared_ptr<Worker> Worker::start(boost::asio::any_io_executor loop, std::string name) {
  auto s = std::make_shared<State>();
  s->loop = std::move(loop);
  s->name = std::move(name);
  std::shared_ptr<Worker> w(new Worker(s));
  Threads& t = threads();
  std::lock_guard lock(t.mu);
  t.reap();
  auto& entry = t.all.emplace_back();
  std::lock_guard started(s->mu);  // id set before anyone can ask on_thread()
  entry.thread = std::thread([s, done = entry.done] {
    run_jobs(s);
    Threads& ts = threads();
    {
      std::lock_guard l(ts.mu);
      *done = true;
    }
    ts.cv.notify_all();
  });
  s->id = entry.thread.get_id();
  return w;
}

Worker::~Worker() {
  retire();
}

bool Worker::run(std::function<void()> job) {
  {
    std::lock_guard lock(s_->mu);
    if (s_->ended) return false;
    s_->jobs.push_back(std::move(job));
  }
  s_->cv.notify_one();
  return true;
}

void Worker::to_loop(std::function<void()> fn) {
  {
    std::lock_guard lock(s_->mu);
    // Under the lock: retire() cannot close the gate (and its caller go on to
    // destroy the io_context) between this check and the post.
    if (!s_->retired && s_->loop) {
      boost::asio::post(s_->loop, std::move(fn));
      return;
    }
  }
  fn = nullptr;
}

void Worker::retire() {
  {
    std::lock_guard lock(s_->mu);
    s_->retired = true;
  }
  s_->cv.notify_one();
}

bool Worker::on_thread() const {
  std::lock_guard lock(s_->mu);
  return std::this_thread::get_id() == s_->id;
}

std::size_t live_workers() {
  Threads& t = threads();
  std::lock_guard lock(t.mu);
  std::size_t n = 0;
  for (const auto& e : t.all) n += *e.done ? 0 : 1;
  return n;
}

bool join_workers(std::int64_t wait_ms) {
  Threads& t = threads();
  std::unique_lock lock(t.mu);
  const bool all_done = t.cv.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] {
    for (const auto& e : t.all)
      if (!*e.done) return false;
    return true;
  });
  t.reap();
  if (all_done) return true;
  for (auto& e : t.all) e.thread.detach();
  t.all.clear();
  return false;
}

}  // namespace newshound::nats

// Stage: sink tests (nats::Worker, the thread the jetstream output and input
// make their blocking nats.c calls on): jobs run in order off the loop; results
// reach the loop through the gate until the worker is retired, and are dropped
// after; retire() does not wait for a job under way; the thread ends once its
// queue is done, and join_workers() joins it.
#include <catch2/catch.hpp>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "newshound/nats/worker.hpp"

using namespace newshound;

TEST_CASE("nats worker: jobs run in order on its thread, results reach the loop") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);  // run_for() waits for the posts
  auto w = nats::Worker::start(io.get_executor(), "test");
  std::vector<int> order;  // written by the worker's jobs only, read after the loop saw them
  std::vector<int> seen;   // loop only
  std::atomic<bool> all_on_worker{true};
  for (int i = 0; i < 100; ++i)
    w->run([&, i, wp = std::weak_ptr<nats::Worker>(w)] {
      if (!wp.lock()->on_thread()) all_on_worker = false;
      order.push_back(i);
      wp.lock()->to_loop([&seen, i] { seen.push_back(i); });
    });
  CHECK_FALSE(w->on_thread());
  for (int i = 0; i < 500 && seen.size() < 100; ++i) io.run_for(std::chrono::milliseconds(10));
  REQUIRE(seen.size() == 100);
  for (int i = 0; i < 100; ++i) {
    CHECK(order[std::size_t(i)] == i);
    CHECK(seen[std::size_t(i)] == i);
  }
  CHECK(all_on_worker);
  w->retire();
  CHECK(nats::join_workers(5000));
}

TEST_CASE(
    "nats worker: retire() does not wait for a job under way; after it nothing reaches the loop, "
    "queued jobs still run, and the thread ends") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  auto w = nats::Worker::start(io.get_executor(), "test");
  std::promise<void> go;
  auto released = go.get_future().share();
  std::atomic<int> ran{0};
  std::atomic<bool> posted{false};
  w->run([released, &ran] {  // a job stuck in a blocking call (a connect to a hung server)
    released.wait();
    ++ran;
  });
  w->run([&ran, &posted, wp = std::weak_ptr<nats::Worker>(w)] {
    ++ran;
    if (auto s = wp.lock()) s->to_loop([&posted] { posted = true; });
  });
  w->retire();  // returns with the first job still blocked (waiting would hang here)
  CHECK(nats::live_workers() >= 1);
  CHECK(ran == 0);
  go.set_value();
  CHECK(nats::join_workers(5000));
  CHECK(ran == 2);  // queued before retire(): both ran
  io.run_for(std::chrono::milliseconds(50));
  CHECK_FALSE(posted);         // retired: the gate was closed
  CHECK_FALSE(w->run([] {}));  // the thread has ended: nothing more is queued
}

// Tests (pipeline): the worker pool and the worker's Outcome on their own: jobs run
// on a thread's own worker with the rules current when they start, an outcome
// carries the article id and per-list match counts, and abandoned jobs stop at the
// next article.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "newshound/dispatch/batch_result.hpp"
#include "newshound/dispatch/worker_pool.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;

TEST_CASE("dispatcher: a worker's outcome carries the article id and per-list match counts") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\nSergei Lavrov\n"},
                                          {"orgs", "North Atlantic Treaty Organization|NATO\n"}});
  PipelineWorker worker({FieldMap{}}, rules);
  Outcome o = worker.process(article("x1", "Blinken met Sergei Lavrov at NATO."), Clock::now());
  REQUIRE(o.kind == Outcome::Kind::alert);
  CHECK(o.article_id == "x1");
  REQUIRE(o.lists.size() == 2);
  CHECK(o.lists[0].list == 0);
  CHECK(o.lists[0].matches == 2);
  CHECK(o.lists[1].list == 1);
  CHECK(o.lists[1].matches == 1);
  CHECK(o.matches == 3);
  o = worker.process(article("x2", "Nothing here."), Clock::now());
  CHECK(o.kind == Outcome::Kind::no_match);
  CHECK(o.article_id == "x2");
  CHECK(o.lists.empty());
}

TEST_CASE("dispatcher: worker pool runs every job on a worker, new rules on later jobs") {
  auto v1 = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  auto v2 = pipeline_test::rules_from({{"people", "Sergei Lavrov|Lavrov\n"}});
  std::mutex mu;
  std::vector<std::string> versions;
  std::set<unsigned> threads;
  std::atomic<int> alerts{0};
  std::atomic<int> no_worker{0};  // Catch's macros are not thread-safe: checked after join()
  {
    WorkerPool pool(2, {FieldMap{}}, v1);
    CHECK(pool.size() == 2);
    auto job = [&](const WorkerContext& ctx) {
      if (ctx.worker == nullptr) {
        ++no_worker;
        return;
      }
      Outcome o = ctx.worker->process(article("y", "Blinken and Lavrov."), Clock::now());
      if (o.kind == Outcome::Kind::alert) ++alerts;
      std::lock_guard lock(mu);
      versions.push_back(ctx.rules->version());
      threads.insert(ctx.thread);
    };
    for (int i = 0; i < 20; ++i) pool.submit(job);
    pool.join();  // runs the queue to its end
    CHECK(no_worker == 0);
    CHECK(versions.size() == 20);
    CHECK(pool.rules() == v1);
  }
  WorkerPool pool(1, {FieldMap{}}, v1);
  pool.set_rules(v2);
  std::string version, alerted;
  pool.submit([&](const WorkerContext& ctx) {
    version = ctx.rules->version();
    Outcome o = ctx.worker->process(article("z", "Lavrov spoke."), Clock::now());
    if (o.kind == Outcome::Kind::alert) alerted = o.alert->rules_version;
  });
  pool.join();
  CHECK(alerts == 20);
  CHECK(version == v2->version());
  CHECK(alerted == v2->version());
  for (const auto& v : versions) CHECK(v == v1->version());
  CHECK(threads.size() >= 1);
}

TEST_CASE("dispatcher: an abandoned pool stops its batches at the next article, unacknowledged") {
  auto rules = pipeline_test::rules_from({{"people", "Sergei Lavrov|Lavrov\n"}});
  const std::vector<std::string> lines = {article("a1", "Lavrov spoke."), article("a2", "Nothing."),
                                          article("a3", "Lavrov.")};
  PipelineStats stats;
  {
    // Not abandoned: every line runs and is recorded for acknowledgement.
    std::atomic<bool> abandoned{false};
    PipelineWorker worker({FieldMap{}}, rules);
    BatchResult r;
    run_batch(&worker, rules, batch(1, 0, lines), true, abandoned, stats, r);
    CHECK(r.abandoned == 0);
    CHECK(r.acks.size() == 3);
    CHECK(r.alerts.size() == 2);
  }
  // A busy thread (the first job waits for the test), a batch queued behind it;
  // abandon() while the first job runs: the queued batch runs none of its lines.
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, release = false;
  BatchResult queued;
  {
    WorkerPool pool(1, {FieldMap{}}, rules);
    pool.submit([&](const WorkerContext&) {
      std::unique_lock lock(mu);
      started = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    });
    pool.submit([&](const WorkerContext& ctx) {
      run_batch(ctx.worker, ctx.rules, batch(1, 1, lines), true, ctx.abandoned, stats, queued);
    });
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return started; });
    }
    pool.abandon();
    {
      std::lock_guard lock(mu);
      release = true;
    }
    cv.notify_all();
    pool.join();
  }
  CHECK(queued.abandoned == 3);
  CHECK(queued.acks.empty());  // nothing of it is acknowledged
  CHECK(queued.alerts.empty());
  CHECK(stats.lines_abandoned == 3);
  CHECK(stats.lines == 3);  // the first batch only
}

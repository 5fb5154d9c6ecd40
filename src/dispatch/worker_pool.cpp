// Stage: dispatch. The worker pool (see worker_pool.hpp).
#include "newshound/dispatch/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace newshound {

WorkerPool::WorkerPool(unsigned threads, std::vector<FieldMap> field_maps,
                       std::shared_ptr<const Rules> rules, bool reference)
    : reference_(reference),
      rules_(std::move(rules)),
      field_maps_(std::make_shared<const std::vector<FieldMap>>(std::move(field_maps))) {
  threads = std::max(1u, threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this, i] { thread_main(i); });
}

WorkerPool::~WorkerPool() {
  join();
}

void WorkerPool::join() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void WorkerPool::submit(Job job) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void WorkerPool::set_rules(std::shared_ptr<const Rules> rules) {
  std::lock_guard lock(mu_);
  rules_ = std::move(rules);
}

void WorkerPool::set_field_maps(std::vector<FieldMap> field_maps) {
  auto maps = std::make_shared<const std::vector<FieldMap>>(std::move(field_maps));
  std::lock_guard lock(mu_);
  field_maps_ = std::move(maps);
}

void WorkerPool::set_limits(const AlertBounds& bounds) {
  auto b = std::make_shared<const AlertBounds>(bounds);
  std::lock_guard lock(mu_);
  bounds_ = std::move(b);
}

std::shared_ptr<const Rules> WorkerPool::rules() const {
  std::lock_guard lock(mu_);
  return rules_;
}

void WorkerPool::thread_main(unsigned index) {
  std::unique_ptr<PipelineWorker> worker;
  std::shared_ptr<const std::vector<FieldMap>> worker_maps;
  std::shared_ptr<const AlertBounds> worker_bounds;
  for (;;) {
    Job job;
    std::shared_ptr<const Rules> rules;
    std::shared_ptr<const std::vector<FieldMap>> maps;
    std::shared_ptr<const AlertBounds> bounds;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and drained
      job = std::move(queue_.front());
      queue_.pop_front();
      rules = rules_;  // the whole job runs on one rules version
      maps = field_maps_;
      bounds = bounds_;
    }
    try {
      if (!worker) {
        worker = std::make_unique<PipelineWorker>(*maps, rules, reference_);
        worker_maps = maps;
      }
      if (worker_maps != maps) {
        worker->set_field_maps(*maps);
        worker_maps = maps;
      }
      worker->set_rules(rules);
      worker->set_signing(signing_.load(std::memory_order_relaxed));
      if (worker_bounds != bounds) {
        worker->set_limits(*bounds);
        worker_bounds = bounds;
      }
    } catch (const std::exception& e) {
      // Scratch allocation failed: nothing in this job can be matched.
      spdlog::error("worker {}: cannot prepare matcher: {}", index, e.what());
      worker.reset();
    }
    job(WorkerContext{worker.get(), rules, index, abandoned_});
  }
}

}  // namespace newshound

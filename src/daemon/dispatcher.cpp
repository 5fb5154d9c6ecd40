// Daemon: the worker pool between sources and sinks (see dispatcher.hpp).
#include "newshound/daemon/dispatcher.hpp"

#include "newshound/util/rate_limit.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>

namespace newshound {

std::uint64_t PipelineStats::bad_lines_total() const {
  std::uint64_t n = 0;
  for (auto& c : bad_lines) n += c.load();
  return n;
}

/// What a worker produced for one batch.
struct Dispatcher::Result {
  std::vector<std::shared_ptr<const Alert>> alerts;
  struct Bad {
    std::uint32_t index;  // line within the batch
    DecodeError error;
  };
  std::vector<Bad> bad;
  std::uint64_t oversize = 0;
  std::uint32_t input = 0;
  std::shared_ptr<const Rules> rules;  // what the batch was matched with
  std::vector<ListCounts> lists;       // indexed like rules->lists()
};

Dispatcher::Dispatcher(boost::asio::io_context& io, unsigned workers,
                       std::vector<FieldMap> field_maps, std::shared_ptr<const Rules> rules,
                       std::vector<Sink*> sinks)
    : io_(io),
      field_maps_(std::make_shared<const std::vector<FieldMap>>(std::move(field_maps))),
      sinks_(std::move(sinks)),
      rules_(std::move(rules)) {
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this, i] { worker_main(i); });
}

Dispatcher::~Dispatcher() {
  join();
}

void Dispatcher::join() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void Dispatcher::set_rules(std::shared_ptr<const Rules> rules) {
  std::lock_guard lock(mu_);
  rules_ = std::move(rules);
}

void Dispatcher::set_field_maps(std::vector<FieldMap> field_maps) {
  auto maps = std::make_shared<const std::vector<FieldMap>>(std::move(field_maps));
  std::lock_guard lock(mu_);
  field_maps_ = std::move(maps);
}

std::shared_ptr<const Rules> Dispatcher::rules() const {
  std::lock_guard lock(mu_);
  return rules_;
}

void Dispatcher::consume(LineBatch batch, std::function<void()> done) {
  ++in_flight_;
  ++streams_[batch.stream].outstanding;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Job{std::move(batch), std::move(done)});
  }
  cv_.notify_one();
}

void Dispatcher::end_stream(std::uint64_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  it->second.ended = true;
  if (it->second.outstanding == 0) streams_.erase(it);
}

void Dispatcher::worker_main(unsigned index) {
  std::unique_ptr<PipelineWorker> worker;
  std::shared_ptr<const std::vector<FieldMap>> worker_maps;
  for (;;) {
    Job job;
    std::shared_ptr<const Rules> rules;
    std::shared_ptr<const std::vector<FieldMap>> maps;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and drained
      job = std::move(queue_.front());
      queue_.pop_front();
      rules = rules_;  // the whole batch runs on one rules version
      maps = field_maps_;
    }
    try {
      if (!worker) {
        worker = std::make_unique<PipelineWorker>(*maps, rules);
        worker_maps = maps;
      }
      if (worker_maps != maps) {
        worker->set_field_maps(*maps);
        worker_maps = maps;
      }
      worker->set_rules(rules);
    } catch (const std::exception& e) {
      // Scratch allocation failed: nothing in this batch can be matched.
      spdlog::error("worker {}: cannot prepare matcher: {}", index, e.what());
      worker.reset();
    }
    auto result = std::make_shared<Result>();
    const LineBatch& b = job.batch;
    result->oversize = b.oversize;
    result->input = b.input;
    result->rules = rules;
    result->lists.resize(rules ? rules->lists().size() : 0);
    if (b.oversize)
      stats_.bad_lines[static_cast<std::size_t>(DecodeError::too_large)] += b.oversize;
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
      if (!worker) {
        ++stats_.engine_errors;
        continue;
      }
      Outcome o = worker->process(b.line(i), b.received_at, b.input);
      switch (o.kind) {
        case Outcome::Kind::skipped:
          continue;
        case Outcome::Kind::bad_line:
          ++stats_.lines;
          ++stats_.bad_lines[static_cast<std::size_t>(o.error)];
          result->bad.push_back({static_cast<std::uint32_t>(i), o.error});
          continue;
        case Outcome::Kind::engine_error:
          ++stats_.lines;
          ++stats_.articles;
          ++stats_.engine_errors;
          continue;
        case Outcome::Kind::no_match:
          ++stats_.lines;
          ++stats_.articles;
          continue;
        case Outcome::Kind::alert:
          ++stats_.lines;
          ++stats_.articles;
          ++stats_.alerts;
          stats_.matches += o.matches;
          for (auto l : o.alert->lists) ++result->lists[l].alerts;
          for (const auto& m : worker->last_matches().matches)
            ++result->lists[worker->rules().entities()[m.entity].list].matches;
          result->alerts.push_back(std::move(o.alert));
          continue;
      }
    }
    boost::asio::post(
        io_, [this, stream = b.stream, seq = b.seq, result, done = std::move(job.done)]() mutable {
          complete(stream, seq, std::move(result), std::move(done));
        });
  }
}

void Dispatcher::complete(std::uint64_t stream, std::uint64_t seq, std::shared_ptr<Result> r,
                          std::function<void()> done) {
  Stream& s = streams_[stream];
  s.pending.emplace(seq, Pending{std::move(r), std::move(done)});
  // Emit in arrival order: a stream's alerts leave in the order its lines came.
  for (auto it = s.pending.find(s.next); it != s.pending.end(); it = s.pending.find(s.next)) {
    Pending p = std::move(it->second);
    s.pending.erase(it);
    ++s.next;
    --s.outstanding;
    --in_flight_;
    emit(*p.result);
    if (p.done) p.done();
  }
  if (s.ended && s.outstanding == 0) streams_.erase(stream);
}

void Dispatcher::emit(Result& r) {
  std::uint64_t suppressed = 0;
  for (const auto& bad : r.bad)
    if (bad_line_log_[static_cast<std::size_t>(bad.error)].allow(&suppressed))
      spdlog::warn(
          "input #{}: skipped a bad line ({}): fix the feed's JSON or its field mapping ({} "
          "similar messages suppressed)",
          r.input, to_string(bad.error), suppressed);
  if (r.oversize &&
      bad_line_log_[static_cast<std::size_t>(DecodeError::too_large)].allow(&suppressed))
    spdlog::warn(
        "input #{}: skipped {} line(s) over max_line_bytes: raise max_line_bytes if "
        "such articles are legitimate ({} similar messages suppressed)",
        r.input, r.oversize, suppressed);
  for (std::size_t l = 0; l < r.lists.size(); ++l)
    if (r.lists[l].alerts || r.lists[l].matches) {
      auto& c = list_counts_[r.rules->lists()[l].name];
      c.alerts += r.lists[l].alerts;
      c.matches += r.lists[l].matches;
    }
  const auto now = Clock::now();
  for (auto& alert : r.alerts) stats_.alert_latency.observe(now - alert->received_at);
  for (auto& alert : r.alerts)
    for (Sink* sink : sinks_)
      if (!sink->submit(alert)) {
        ++stats_.alerts_rejected;
        if (rejected_log_.allow(&suppressed))
          spdlog::error("output {}: queue full, alert {} not accepted ({} more suppressed)",
                        sink->name(), alert->id, suppressed);
      }
}

}  // namespace newshound

// Daemon: the worker pool between sources and sinks (see dispatcher.hpp).
#include "newshound/daemon/dispatcher.hpp"

#include "newshound/util/rate_limit.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
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
  struct AckLine {
    std::string reply;   // {"ack":"<id>"}\n, or "" for a line without one
    bool alert = false;  // settles once the next alert of `alerts` is delivered
  };
  std::vector<AckLine> acks;  // one per line, acknowledged streams only
};

namespace {
constexpr auto kRetryInterval = std::chrono::milliseconds(20);

std::string ack_reply(std::string_view article_id) {
  std::string s = "{\"ack\":";
  s += boost::json::serialize(boost::json::string_view(article_id.data(), article_id.size()));
  s += "}\n";
  return s;
}

bool contains(const std::optional<std::vector<std::string>>& names, const std::string& name) {
  return names && std::find(names->begin(), names->end(), name) != names->end();
}
}  // namespace

bool Route::accepts(const ListInfo& list) const {
  if (!lists && !tags) return true;
  if (contains(lists, list.name)) return true;
  for (const auto& t : list.tags)
    if (contains(tags, t)) return true;
  return false;
}

Dispatcher::Dispatcher(boost::asio::io_context& io, unsigned workers,
                       std::vector<FieldMap> field_maps, std::shared_ptr<const Rules> rules,
                       std::vector<Route> routes)
    : io_(io),
      field_maps_(std::make_shared<const std::vector<FieldMap>>(std::move(field_maps))),
      routes_(std::move(routes)),
      retry_(io),
      rules_(std::move(rules)) {
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this, i] { worker_main(i); });
}

Dispatcher::~Dispatcher() {
  *alive_ = false;
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
  Stream& s = streams_[batch.stream];
  ++s.outstanding;
  const bool ack = batch.acks != nullptr;
  if (ack) s.acks = std::move(batch.acks);  // workers never touch it
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Job{std::move(batch), std::move(done), ack});
  }
  cv_.notify_one();
}

void Dispatcher::end_stream(std::uint64_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  s.ended = true;
  if (s.acks) {
    // Nobody reads the replies any more; batches still running emit without acks.
    s.acks.reset();
    if (!s.ack_queue.empty()) {
      for (auto r = ack_refs_.begin(); r != ack_refs_.end();)
        r = r->second.stream == stream ? ack_refs_.erase(r) : std::next(r);
      s.ack_queue.clear();
    }
  }
  erase_if_finished(stream);
}

std::size_t Dispatcher::pending_acks() const {
  std::size_t n = 0;
  for (const auto& [id, s] : streams_) n += s.ack_queue.size();
  return n;
}

void Dispatcher::erase_if_finished(std::uint64_t stream) {
  auto it = streams_.find(stream);
  if (it != streams_.end() && it->second.ended && it->second.outstanding == 0 &&
      it->second.ack_queue.empty())
    streams_.erase(it);
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
    if (job.ack) result->acks.reserve(b.lines.size());
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
      if (!worker) {
        ++stats_.engine_errors;
        if (job.ack) result->acks.emplace_back();
        continue;
      }
      Outcome o = worker->process(b.line(i), b.received_at, b.input);
      if (job.ack) {
        // Undecodable lines and engine errors get no acknowledgement: the feed resends them.
        auto& a = result->acks.emplace_back();
        if (o.kind == Outcome::Kind::no_match) a.reply = ack_reply(worker->last_article().id);
        if (o.kind == Outcome::Kind::alert) {
          a.reply = ack_reply(o.alert->article);
          a.alert = true;
        }
      }
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
  // No stream is erased meanwhile (a sink may report `sent` from inside submit()).
  in_complete_ = true;
  for (auto it = s.pending.find(s.next); it != s.pending.end(); it = s.pending.find(s.next)) {
    Pending p = std::move(it->second);
    s.pending.erase(it);
    ++s.next;
    --s.outstanding;
    emit(stream, *p.result, std::move(p.done));
  }
  in_complete_ = false;
  erase_if_finished(stream);
  for (auto other : settled_streams_) erase_if_finished(other);
  settled_streams_.clear();
}

void Dispatcher::set_sinks(std::vector<Route> routes) {
  std::vector<const Sink*> removed;
  for (const Route& old : routes_)
    if (std::none_of(routes.begin(), routes.end(),
                     [&](const Route& r) { return r.sink == old.sink; }))
      removed.push_back(old.sink);
  routes_ = std::move(routes);
  // A removed sink will never report what it still owes: those articles are not
  // acknowledged (the feed resends them), and they stop holding up later ones.
  if (!removed.empty() && !ack_refs_.empty()) {
    std::vector<std::uint64_t> touched;
    for (auto it = ack_refs_.begin(); it != ack_refs_.end();) {
      const auto& owing = it->second.owing;
      const bool lost = std::any_of(owing.begin(), owing.end(), [&](const Sink* k) {
        return std::find(removed.begin(), removed.end(), k) != removed.end();
      });
      if (!lost) {
        ++it;
        continue;
      }
      it->second.item->reply.clear();
      it->second.item->outstanding = 0;
      touched.push_back(it->second.stream);
      it = ack_refs_.erase(it);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (auto stream : touched) flush_acks(stream);
  }
  routed_rules_.reset();  // resolve the filters again
  for (auto it = backlog_.begin(); it != backlog_.end();) {
    const bool kept = std::any_of(routes_.begin(), routes_.end(),
                                  [&](const Route& r) { return r.sink == it->first; });
    if (kept) {
      ++it;
      continue;
    }
    auto held = std::move(it->second);
    it = backlog_.erase(it);
    if (!held.empty())
      spdlog::warn("reload: {} alert(s) held for a removed output are not delivered", held.size());
    stats_.alerts_rejected += held.size();
    held_ -= held.size();
    for (auto& h : held) release(h.hold);
  }
}

const std::vector<std::vector<bool>>& Dispatcher::routing(
    const std::shared_ptr<const Rules>& rules) {
  if (routed_rules_ == rules) return route_table_;
  // Once per rules version (or sink change), never per alert.
  routed_rules_ = rules;
  route_table_.assign(routes_.size(), {});
  for (std::size_t k = 0; k < routes_.size(); ++k)
    for (const ListInfo& list : rules->lists()) route_table_[k].push_back(routes_[k].accepts(list));
  return route_table_;
}

void Dispatcher::emit(std::uint64_t stream, Result& r, std::function<void()> done) {
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

  Stream* s = nullptr;
  if (!r.acks.empty()) {
    auto it = streams_.find(stream);
    if (it != streams_.end() && it->second.acks) s = &it->second;
  }
  std::size_t next_ack = 0;
  std::shared_ptr<Hold> hold;
  const auto& table = r.rules ? routing(r.rules) : route_table_;
  for (auto& alert : r.alerts) {
    targets_.clear();
    for (std::size_t k = 0; k < routes_.size(); ++k) {
      bool routed = !r.rules;
      for (auto l : alert->lists)
        if (k < table.size() && l < table[k].size() && table[k][l]) routed = true;
      if (routed) targets_.push_back(k);
    }
    if (s) {
      // Lines up to this alert's article; it settles once every routed sink sent it.
      // Registered before submitting: a sink may report `sent` from inside submit().
      while (next_ack < r.acks.size() && !r.acks[next_ack].alert)
        s->ack_queue.push_back({std::move(r.acks[next_ack++].reply), 0});
      if (next_ack < r.acks.size()) {
        AckItem& item = s->ack_queue.emplace_back();
        item.reply = std::move(r.acks[next_ack++].reply);
        item.outstanding = static_cast<std::uint32_t>(targets_.size());
        if (item.outstanding) {
          AckRef& ref = ack_refs_[alert.get()];
          ref = AckRef{alert, stream, &item, {}};
          for (std::size_t k : targets_) ref.owing.push_back(routes_[k].sink);
        }
      }
    }
    for (std::size_t k : targets_) deliver(routes_[k].sink, alert, hold);
  }
  if (s) {
    while (next_ack < r.acks.size())
      s->ack_queue.push_back({std::move(r.acks[next_ack++].reply), 0});
    flush_acks(stream);
  }
  auto finish = [this, done = std::move(done)] {
    --in_flight_;
    if (done) done();
  };
  if (hold) {
    hold->done = std::move(finish);
  } else {
    finish();
  }
}

void Dispatcher::deliver(Sink* sink, const std::shared_ptr<const Alert>& alert,
                         std::shared_ptr<Hold>& hold) {
  std::deque<Held>* q = nullptr;
  if (held_ != 0) {
    auto it = backlog_.find(sink);
    if (it != backlog_.end() && !it->second.empty()) q = &it->second;
  }
  // Nothing older waits for this sink: offer it directly.
  if (q == nullptr && sink->submit(alert)) return;
  if (q == nullptr) {
    q = &backlog_[sink];
    std::uint64_t suppressed = 0;
    if (rejected_log_.allow(&suppressed))
      spdlog::info("output {}: queue full; holding alerts and pausing the inputs ({} more)",
                   sink->name(), suppressed);
  }
  if (!hold) hold = std::make_shared<Hold>();
  ++hold->left;
  q->push_back(Held{alert, hold});
  ++held_;
  arm_retry();
}

void Dispatcher::release(const std::shared_ptr<Hold>& hold) {
  if (--hold->left == 0 && hold->done) {
    auto done = std::move(hold->done);
    hold->done = nullptr;
    done();
  }
}

void Dispatcher::drain() {
  for (auto& [sink, q] : backlog_) {
    while (!q.empty() && sink->submit(q.front().alert)) {
      auto hold = std::move(q.front().hold);
      q.pop_front();
      --held_;
      release(hold);
    }
  }
  if (held_ != 0) arm_retry();
}

void Dispatcher::arm_retry() {
  if (retry_armed_) return;
  retry_armed_ = true;
  retry_.expires_after(kRetryInterval);
  retry_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    auto a = alive.lock();
    if (!a || !*a) return;
    retry_armed_ = false;
    if (!ec) drain();
  });
}

void Dispatcher::on_sent(const Sink* sink, const std::shared_ptr<const Alert>& alert) {
  if (auto it = ack_refs_.find(alert.get()); it != ack_refs_.end()) {
    auto& owing = it->second.owing;
    if (auto k = std::find(owing.begin(), owing.end(), sink); k != owing.end()) {
      owing.erase(k);
      AckItem* item = it->second.item;
      const std::uint64_t stream = it->second.stream;
      if (--item->outstanding == 0) {
        ack_refs_.erase(it);
        flush_acks(stream);
      }
    }
  }
  // A sink that just sent has room again: offer what it holds soon (not from
  // inside the sink's callback).
  if (held_ != 0 && !drain_posted_) {
    drain_posted_ = true;
    boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
      auto a = alive.lock();
      if (!a || !*a) return;
      drain_posted_ = false;
      drain();
    });
  }
}

void Dispatcher::flush_acks(std::uint64_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  while (!s.ack_queue.empty() && s.ack_queue.front().outstanding == 0) {
    if (s.acks) s.acks->settled(s.ack_queue.front().reply);
    s.ack_queue.pop_front();
  }
  if (in_complete_) {
    settled_streams_.push_back(stream);
  } else {
    erase_if_finished(stream);
  }
}

}  // namespace newshound

// Stage: dispatch. The sink router: route table, delivery, backlog (see
// sink_router.hpp).
#include "newshound/dispatch/sink_router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

namespace newshound {

namespace {
constexpr auto kRetryInterval = std::chrono::milliseconds(20);

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

SinkRouter::SinkRouter(boost::asio::io_context& io, std::vector<Route> routes,
                       std::atomic<std::uint64_t>& rejected)
    : io_(io), routes_(std::move(routes)), rejected_(rejected), retry_(io) {}

SinkRouter::~SinkRouter() {
  *alive_ = false;
}

const std::vector<std::vector<bool>>& SinkRouter::table(const std::shared_ptr<const Rules>& rules) {
  if (routed_rules_ == rules) return route_table_;
  // Once per rules version (or sink change), never per alert.
  routed_rules_ = rules;
  route_table_.assign(routes_.size(), {});
  for (std::size_t k = 0; k < routes_.size(); ++k)
    for (const ListInfo& list : rules->lists()) route_table_[k].push_back(routes_[k].accepts(list));
  return route_table_;
}

void SinkRouter::route(const Alert& alert, const std::shared_ptr<const Rules>& rules,
                       std::vector<Sink*>& out, std::vector<std::uint32_t>* classes,
                       std::vector<const Route*>* which) {
  out.clear();
  if (classes) classes->clear();
  if (which) which->clear();
  const auto& t = rules ? table(rules) : route_table_;
  for (std::size_t k = 0; k < routes_.size(); ++k) {
    bool routed = !rules;
    for (auto l : alert.lists)
      if (k < t.size() && l < t[k].size() && t[k][l]) routed = true;
    if (!routed) continue;
    if (alert.duplicate && routes_[k].first_copies) {
      ++skipped_[routes_[k].sink];  // settled like an alert routed nowhere
      continue;
    }
    out.push_back(routes_[k].sink);
    if (classes) classes->push_back(routes_[k].bound_class);
    if (which) which->push_back(&routes_[k]);
  }
}

void SinkRouter::deliver(Sink* sink, const std::shared_ptr<const Alert>& alert,
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
    if (full_log_.allow(&suppressed))
      spdlog::info("output {}: queue full; holding alerts and pausing the inputs ({} more)",
                   sink->name(), suppressed);
  }
  if (!hold) hold = std::make_shared<Hold>();
  ++hold->left;
  q->push_back(Held{alert, hold});
  ++held_;
  arm_retry();
}

void SinkRouter::when_released(const std::shared_ptr<Hold>& hold, std::function<void()> done) {
  if (hold) {
    hold->done = std::move(done);
  } else if (done) {
    done();
  }
}

void SinkRouter::release(const std::shared_ptr<Hold>& hold) {
  if (--hold->left == 0 && hold->done) {
    auto done = std::move(hold->done);
    hold->done = nullptr;
    done();
  }
}

void SinkRouter::drain() {
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

void SinkRouter::arm_retry() {
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

void SinkRouter::sent() {
  if (held_ == 0 || drain_posted_) return;
  drain_posted_ = true;
  boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    auto a = alive.lock();
    if (!a || !*a) return;
    drain_posted_ = false;
    drain();
  });
}

std::vector<const Sink*> SinkRouter::set_routes(std::vector<Route> routes) {
  std::vector<const Sink*> removed;
  for (const Route& old : routes_)
    if (std::none_of(routes.begin(), routes.end(),
                     [&](const Route& r) { return r.sink == old.sink; }))
      removed.push_back(old.sink);
  for (const Sink* gone : removed) skipped_.erase(gone);  // its address may come back
  routes_ = std::move(routes);
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
    rejected_ += held.size();
    held_ -= held.size();
    for (auto& h : held) release(h.hold);
  }
  return removed;
}

}  // namespace newshound

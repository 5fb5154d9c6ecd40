// Stage: dispatch. The sink router: which outputs an alert goes to (the route
// table, resolved once per rules version), handing it to them, and the backlog of
// alerts a full sink refused, offered again on a retry timer or as soon as a sink
// reports a delivery (backpressure). Reload replaces the routes (set_routes()).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newshound/encode/alert.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

/// One output as the router sees it: its sink and its routing filter. An alert
/// goes to the sink when one of its lists is named in `lists` or carries a tag in
/// `tags`; with neither set, every alert does. The sink is not owned.
/// `bound_class` says which cut of an alert it gets (dispatch/alert_bounds.hpp).
struct Route {
  Route(Sink* s) : sink(s) {}  // NOLINT(google-explicit-constructor): every alert
  Route(Sink* s, std::optional<std::vector<std::string>> l,
        std::optional<std::vector<std::string>> t, std::uint32_t c = 0, bool first = false)
      : sink(s), lists(std::move(l)), tags(std::move(t)), bound_class(c), first_copies(first) {}
  Sink* sink = nullptr;
  std::optional<std::vector<std::string>> lists;
  std::optional<std::vector<std::string>> tags;
  std::uint32_t bound_class = 0;
  /// `stories = "first"`: alerts of a copy of a story seen before
  /// (Alert::duplicate) do not go to this sink (counted, duplicates_skipped()).
  bool first_copies = false;
  /// Digests and throttle (dispatch/digest_desk.hpp): `stories = "digest"`,
  /// `digest_interval_ms`, `max_alerts_per_minute`; the output's name and
  /// `max_alert_bytes` for its digests.
  struct Digests {
    bool stories = false;
    std::chrono::milliseconds interval{10 * 60 * 1000};
    std::uint32_t max_per_minute = 0;
    std::string output;
    std::size_t max_bytes = std::size_t{1} << 20;
  };
  Digests digests;
  /// Whether alerts raised by `list` go to this sink.
  bool accepts(const ListInfo& list) const;
};

/// Event-loop thread only. The sinks must outlive the router (or be removed by
/// set_routes() first). Never throws except std::bad_alloc.
class SinkRouter {
 public:
  /// What waits for a set of held alerts (one batch's `done`): runs once the
  /// last of them was taken by its sink, or given up.
  struct Hold {
    std::size_t left = 0;
    std::function<void()> done;
  };

  /// `rejected` counts alerts given up (held for an output a reload removed).
  SinkRouter(boost::asio::io_context& io, std::vector<Route> routes,
             std::atomic<std::uint64_t>& rejected);
  ~SinkRouter();
  SinkRouter(const SinkRouter&) = delete;
  SinkRouter& operator=(const SinkRouter&) = delete;

  /// The sinks `alert` goes to, into `out` (cleared first), and with `classes`
  /// each one's bound class, same order. `rules` is what the alert was matched
  /// with (its lists index rules->lists()); null: every sink. A duplicate is left
  /// out for sinks taking first copies only, and counted for them.
  /// With `which`, each one's Route too (valid until the next set_routes()).
  void route(const Alert& alert, const std::shared_ptr<const Rules>& rules, std::vector<Sink*>& out,
             std::vector<std::uint32_t>* classes = nullptr,
             std::vector<const Route*>* which = nullptr);
  /// Offers `alert` to `sink`, unless older alerts wait for it. A refused alert is
  /// held, in order, and counted in `hold` (created on first need).
  void deliver(Sink* sink, const std::shared_ptr<const Alert>& alert, std::shared_ptr<Hold>& hold);
  /// Runs `done` now without a hold, else once the hold's alerts are all taken.
  static void when_released(const std::shared_ptr<Hold>& hold, std::function<void()> done);
  /// A sink delivered something, so it has room again: offers the held alerts soon
  /// (posted, not from inside the sink's callback).
  void sent();
  /// Alerts from now on follow `routes`. Alerts held for a sink no longer routed
  /// are given up (logged, counted) and their holds released. Returns those sinks.
  std::vector<const Sink*> set_routes(std::vector<Route> routes);
  /// The route of the output named `output` (Route::digests.output), or null.
  /// Valid until the next set_routes().
  const Route* find(std::string_view output) const {
    for (const Route& r : routes_)
      if (r.digests.output == output) return &r;
    return nullptr;
  }
  /// Alerts held now, over all sinks.
  std::size_t held() const { return held_; }
  /// Duplicates `sink` would have got but takes first copies only (route()).
  std::uint64_t duplicates_skipped(const Sink& sink) const {
    auto it = skipped_.find(&sink);
    return it == skipped_.end() ? 0 : it->second;
  }

 private:
  struct Held {
    std::shared_ptr<const Alert> alert;
    std::shared_ptr<Hold> hold;
  };
  const std::vector<std::vector<bool>>& table(const std::shared_ptr<const Rules>& rules);
  static void release(const std::shared_ptr<Hold>& hold);
  void drain();
  void arm_retry();

  boost::asio::io_context& io_;
  std::vector<Route> routes_;
  // Routing resolved against one Rules: [route][list] = alerts of that list go there.
  std::shared_ptr<const Rules> routed_rules_;
  std::vector<std::vector<bool>> route_table_;
  std::unordered_map<Sink*, std::deque<Held>> backlog_;
  std::size_t held_ = 0;
  std::unordered_map<const Sink*, std::uint64_t> skipped_;  // duplicates_skipped()
  std::atomic<std::uint64_t>& rejected_;
  boost::asio::steady_timer retry_;
  bool retry_armed_ = false;
  bool drain_posted_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted handlers
  RateLimiter full_log_{std::chrono::seconds(1)};
};

}  // namespace newshound

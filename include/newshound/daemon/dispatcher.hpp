// Daemon: the worker pool between sources and sinks. Takes line batches on the
// event loop, runs the synchronous pipeline on worker threads (one
// PipelineWorker, hence one Hyperscan scratch, per thread), and hands alerts to
// the sinks back on the event loop, in the order each stream's lines arrived.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/container/small_vector.hpp>

#include "newshound/daemon/pipeline.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/source/line_batch.hpp"
#include "newshound/util/histogram.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

inline constexpr std::size_t decode_error_count = 8;

/// Pipeline counters; written by workers and the event loop, read anywhere.
struct PipelineStats {
  std::atomic<std::uint64_t> lines{0};     ///< non-blank lines seen
  std::atomic<std::uint64_t> articles{0};  ///< decoded articles
  std::atomic<std::uint64_t> alerts{0};
  std::atomic<std::uint64_t> matches{0};
  std::atomic<std::uint64_t> engine_errors{0};
  std::atomic<std::uint64_t> alerts_rejected{0};  ///< a sink's queue was full
  std::array<std::atomic<std::uint64_t>, decode_error_count> bad_lines{};  ///< by DecodeError
  LatencyHistogram alert_latency;  ///< line read -> alert handed to the sinks
  std::uint64_t bad_lines_total() const;
};

/// Alerts and matches of one watch-list (by list name, so they survive reloads).
struct ListCounts {
  std::uint64_t alerts = 0;
  std::uint64_t matches = 0;
};

/// One output as the dispatcher sees it: its sink and its routing filter. An
/// alert goes to the sink when one of its lists is named in `lists` or carries a
/// tag in `tags`; with neither set, every alert does.
struct Route {
  Route(Sink* s) : sink(s) {}  // NOLINT(google-explicit-constructor): every alert
  Route(Sink* s, std::optional<std::vector<std::string>> l,
        std::optional<std::vector<std::string>> t)
      : sink(s), lists(std::move(l)), tags(std::move(t)) {}
  Sink* sink = nullptr;
  std::optional<std::vector<std::string>> lists;
  std::optional<std::vector<std::string>> tags;
  /// Whether alerts raised by `list` go to this sink.
  bool accepts(const ListInfo& list) const;
};

/// Owns the worker threads. Construct on the event-loop thread; every public
/// call except stats() happens there. Never throws after construction.
class Dispatcher final : public LineConsumer {
 public:
  /// `workers` = 0 means one per core. The sinks must outlive the dispatcher.
  Dispatcher(boost::asio::io_context& io, unsigned workers, std::vector<FieldMap> field_maps,
             std::shared_ptr<const Rules> rules, std::vector<Route> routes);
  ~Dispatcher() override;

  void consume(LineBatch batch, std::function<void()> done) override;
  /// The stream's connection closed: its batches still run, but no more
  /// acknowledgements are written for it, and its pending ones are dropped (a feed
  /// resends what was not acknowledged after it reconnects).
  void end_stream(std::uint64_t stream) override;

  /// Batches taken whose alerts are not yet all accepted by their sinks (their
  /// `done` has not run yet).
  std::size_t in_flight() const { return in_flight_; }
  /// Alerts a sink refused for now (queue full), held here in order and offered
  /// again until it takes them (backpressure: their batches' `done` waits).
  std::size_t held_alerts() const { return held_; }
  /// New batches use `rules`; batches already running finish on their rules.
  void set_rules(std::shared_ptr<const Rules> rules);
  /// New batches decode input i with `field_maps[i]` (after a reload).
  void set_field_maps(std::vector<FieldMap> field_maps);
  /// Alerts emitted from now on go to `routes` (event-loop thread; after a reload).
  /// Alerts held for a sink that is no longer routed are given up (logged) and
  /// their batches released. Alerts that such a sink accepted but has not reported
  /// sent no longer hold up acknowledgements: their articles are never acknowledged
  /// (the feed resends them), and the later ones of their streams can be.
  void set_sinks(std::vector<Route> routes);
  /// `sink` delivered `alert` (its sent callback; event-loop thread): settles
  /// acknowledgements and offers held alerts again. Unknown alerts, and a report
  /// from a sink the alert was not routed to (or already reported), are ignored.
  void on_sent(const Sink* sink, const std::shared_ptr<const Alert>& alert);
  /// Acknowledgement entries waiting for deliveries, over all streams (tests, metrics).
  std::size_t pending_acks() const;
  std::shared_ptr<const Rules> rules() const;
  /// Stops the threads once the queue is empty. Called by the destructor too.
  void join();
  const PipelineStats& stats() const { return stats_; }
  /// Per-list counts; event-loop thread only.
  const std::map<std::string, ListCounts>& list_counts() const { return list_counts_; }
  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  struct Result;
  struct Job {
    LineBatch batch;
    std::function<void()> done;
    bool ack = false;  // the stream is acknowledged
  };
  struct Pending {
    std::shared_ptr<Result> result;
    std::function<void()> done;
  };
  /// One line of an acknowledged stream, waiting for its alert's deliveries.
  struct AckItem {
    std::string reply;  // "" = settles without a reply
    std::uint32_t outstanding = 0;
  };
  struct Stream {
    std::uint64_t next = 0;
    std::uint64_t outstanding = 0;
    bool ended = false;
    std::map<std::uint64_t, Pending> pending;
    std::shared_ptr<LineAcks> acks;
    std::deque<AckItem> ack_queue;  // in line order; references stay valid
  };
  /// A batch whose `done` waits for held alerts.
  struct Hold {
    std::size_t left = 0;
    std::function<void()> done;
  };
  struct Held {
    std::shared_ptr<const Alert> alert;
    std::shared_ptr<Hold> hold;
  };
  struct AckRef {
    std::shared_ptr<const Alert> alert;  // keeps the address from being reused
    std::uint64_t stream;
    AckItem* item;
    boost::container::small_vector<const Sink*, 4> owing;  // routed sinks that did not report
  };

  void worker_main(unsigned index);
  void complete(std::uint64_t stream, std::uint64_t seq, std::shared_ptr<Result> r,
                std::function<void()> done);
  void emit(std::uint64_t stream, Result& r, std::function<void()> done);
  void deliver(Sink* sink, const std::shared_ptr<const Alert>& alert, std::shared_ptr<Hold>& hold);
  void release(const std::shared_ptr<Hold>& hold);
  void drain();
  void arm_retry();
  void flush_acks(std::uint64_t stream);
  void erase_if_finished(std::uint64_t stream);
  const std::vector<std::vector<bool>>& routing(const std::shared_ptr<const Rules>& rules);

  boost::asio::io_context& io_;
  std::shared_ptr<const std::vector<FieldMap>> field_maps_;  // guarded by mu_
  std::vector<Route> routes_;                                // event-loop thread only
  // Routing resolved against one Rules: [route][list] = alerts of that list go there.
  std::shared_ptr<const Rules> routed_rules_;
  std::vector<std::vector<bool>> route_table_;
  std::vector<std::size_t> targets_;  // scratch: routes of one alert
  // Backpressure (event-loop thread only).
  std::unordered_map<Sink*, std::deque<Held>> backlog_;
  std::size_t held_ = 0;
  boost::asio::steady_timer retry_;
  bool retry_armed_ = false;
  bool drain_posted_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted handlers
  std::unordered_map<const Alert*, AckRef> ack_refs_;
  bool in_complete_ = false;                    // streams are not erased meanwhile
  std::vector<std::uint64_t> settled_streams_;  // to check once complete() ends
  std::shared_ptr<const Rules> rules_;          // guarded by mu_
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool closing_ = false;
  std::vector<std::thread> threads_;
  std::unordered_map<std::uint64_t, Stream> streams_;  // event-loop thread only
  std::size_t in_flight_ = 0;                          // event-loop thread only
  PipelineStats stats_;
  std::map<std::string, ListCounts> list_counts_;  // event-loop thread only
  // Event-loop thread only: one limiter per reason, so one noisy reason cannot hide another.
  std::array<RateLimiter, decode_error_count> bad_line_log_;
  RateLimiter rejected_log_{std::chrono::seconds(1)};
};

}  // namespace newshound

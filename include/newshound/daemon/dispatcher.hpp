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
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

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

/// Owns the worker threads. Construct on the event-loop thread; every public
/// call except stats() happens there. Never throws after construction.
class Dispatcher final : public LineConsumer {
 public:
  /// `workers` = 0 means one per core. `sinks` must outlive the dispatcher.
  Dispatcher(boost::asio::io_context& io, unsigned workers, std::vector<FieldMap> field_maps,
             std::shared_ptr<const Rules> rules, std::vector<Sink*> sinks);
  ~Dispatcher() override;

  void consume(LineBatch batch, std::function<void()> done) override;
  void end_stream(std::uint64_t stream) override;

  /// Batches taken but not yet emitted to the sinks.
  std::size_t in_flight() const { return in_flight_; }
  /// New batches use `rules`; batches already running finish on their rules.
  void set_rules(std::shared_ptr<const Rules> rules);
  /// New batches decode input i with `field_maps[i]` (after a reload).
  void set_field_maps(std::vector<FieldMap> field_maps);
  /// Alerts emitted from now on go to `sinks` (event-loop thread; after a reload).
  void set_sinks(std::vector<Sink*> sinks) { sinks_ = std::move(sinks); }
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
  };
  struct Pending {
    std::shared_ptr<Result> result;
    std::function<void()> done;
  };
  struct Stream {
    std::uint64_t next = 0;
    std::uint64_t outstanding = 0;
    bool ended = false;
    std::map<std::uint64_t, Pending> pending;
  };

  void worker_main(unsigned index);
  void complete(std::uint64_t stream, std::uint64_t seq, std::shared_ptr<Result> r,
                std::function<void()> done);
  void emit(Result& r);

  boost::asio::io_context& io_;
  std::shared_ptr<const std::vector<FieldMap>> field_maps_;  // guarded by mu_
  std::vector<Sink*> sinks_;
  std::shared_ptr<const Rules> rules_;  // guarded by mu_
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

// Daemon: the dispatcher between sources and sinks, a thin coordinator of the
// dispatch parts. Takes line batches on the event loop (LineConsumer), runs them
// on the WorkerPool (run_batch()), puts each stream's results back in arrival
// order (StreamSequencer), counts them (StatsAggregator), files their articles in
// the story stage in that order and acts on the version lifecycle's decisions
// (StoryFiler: updates, retractions, embargoes held and released on a timer),
// hands their alerts to the sinks (SinkRouter), or folds them into digests
// (DigestDesk, on a timer), and settles acknowledgements as the sinks deliver
// (AckLedger).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>

#include "newshound/dispatch/ack_ledger.hpp"
#include "newshound/dispatch/batch_result.hpp"
#include "newshound/dispatch/digest_desk.hpp"
#include "newshound/dispatch/pipeline_stats.hpp"
#include "newshound/dispatch/sink_router.hpp"
#include "newshound/dispatch/story_filer.hpp"
#include "newshound/dispatch/stream_sequencer.hpp"
#include "newshound/dispatch/worker_pool.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/source/line_batch.hpp"

namespace newshound {

/// Owns the worker pool and the event-loop state. Construct on the event-loop
/// thread; every public call except stats() happens there. Never throws after
/// construction.
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
  /// Alerts a sink refused for now (queue full), held in order and offered again
  /// until it takes them (backpressure: their batches' `done` waits).
  std::size_t held_alerts() const { return router_.held(); }
  /// New batches use `rules`; batches already running finish on their rules.
  void set_rules(std::shared_ptr<const Rules> rules) { pool_.set_rules(std::move(rules)); }
  /// New batches decode input i with `field_maps[i]` (after a reload).
  void set_field_maps(std::vector<FieldMap> field_maps) {
    pool_.set_field_maps(std::move(field_maps));
  }
  /// New batches bound their alerts by `bounds` (after start and a reload); each
  /// route's bound_class picks its cut (set_sinks()).
  void set_limits(const AlertBounds& bounds) { pool_.set_limits(bounds); }
  /// Alerts emitted from now on are filed in `stories` in each stream's order
  /// (their story members written, duplicates marked for the outputs that take
  /// first copies only); null: no story stage, the members stay null.
  void set_stories(std::shared_ptr<StoryStage> stories);
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
  /// Alerts `sink` got cut at its own smaller bounds (alert_for_class()).
  std::uint64_t alerts_cut(const Sink& sink) const {
    auto it = cuts_.find(&sink);
    return it == cuts_.end() ? 0 : it->second;
  }
  /// Duplicates not sent to `sink` because it takes first copies only.
  std::uint64_t duplicates_skipped(const Sink& sink) const {
    return router_.duplicates_skipped(sink);
  }
  /// Digests of `sink` (`stories = "digest"`, throttled lists) for /metrics.
  DigestCounts digest_counts(const Sink& sink) const { return desk_.counts(&sink); }
  /// Alerts folded by the throttle, per (sink, list).
  const ListThrottle& throttle() const { return desk_.throttle(); }
  /// Hands every pending digest to its sink now (shutdown: after the last batch
  /// was emitted, before the sinks stop). The articles folded into them are
  /// acknowledged once their sinks deliver the digests.
  void flush_digests() { send_digests(true); }
  /// Acknowledgement entries waiting for deliveries, over all streams (tests, metrics).
  std::size_t pending_acks() const { return ledger_.pending(); }
  std::shared_ptr<const Rules> rules() const { return pool_.rules(); }
  /// Gives up the batches queued and being matched (a shutdown past its grace):
  /// each stops at its next line, and what it left is counted in
  /// stats().lines_abandoned and never acknowledged. Irreversible.
  void abandon() { pool_.abandon(); }
  /// Stops the threads once the queue is empty (at most one article per thread
  /// after abandon()). Called by the destructor too.
  void join() { pool_.join(); }
  const PipelineStats& stats() const { return stats_; }
  /// Per-list counts; event-loop thread only.
  const std::map<std::string, ListCounts>& list_counts() const { return counts_.list_counts(); }
  unsigned workers() const { return pool_.size(); }

 private:
  /// A batch's result and `done`, waiting for its turn in the stream.
  struct Finished {
    std::shared_ptr<BatchResult> result;
    std::function<void()> done;
  };
  void emit(std::uint64_t stream, BatchResult& r, std::function<void()> done);
  /// Hands the digests due (all of them with `all`) to their sinks; arms the timer.
  void send_digests(bool all);
  void arm_digests();
  /// Hands the desk's changes to the pending digests that must survive a crash
  /// to the story stage (written by its next commit).
  void sync_digests();
  /// Files the pending digests the story store read back (set_stories()).
  void restore_digests();
  /// Routes `alert` (null: nothing) into targets_, target_classes_ and
  /// target_routes_, and moves the outputs that fold it at `now` into folds_. A
  /// retraction (`filed`) goes only to the outputs that took what it retracts.
  void route(const Alert* alert, const std::shared_ptr<const Rules>& rules,
             const FiledVersion* filed, Clock::time_point now);
  /// Keeps in targets_ (and its classes and routes) the outputs named in `names` (sorted).
  void keep_outputs(const std::vector<std::string>& names);
  /// Tells the story stage which outputs took `alert` (targets_ and folds_), for
  /// its retraction.
  void record_outputs(const Alert& alert);
  /// Hands `alert` to targets_ (their classes in target_classes_).
  void deliver(const std::shared_ptr<const Alert>& alert, std::shared_ptr<SinkRouter::Hold>& hold);
  /// Sets the release timer for the stories stage's earliest hold (if earlier
  /// than the one set).
  void arm_release();
  /// Sends the holds whose embargo has passed, routed by their lists' names.
  void release_due();

  boost::asio::io_context& io_;
  PipelineStats stats_;  // before the parts that count into it
  StatsAggregator counts_{stats_};
  SinkRouter router_;
  AckLedger ledger_;
  StreamSequencer<Finished> sequencer_;
  std::vector<Sink*> targets_;                 // scratch: sinks of one alert
  std::vector<std::uint32_t> target_classes_;  // scratch: their bound classes
  std::vector<const Route*> target_routes_;    // scratch: their routes
  std::vector<DigestDesk::Fold> folds_;        // scratch: digests of one alert
  std::vector<Sink*> owing_;                   // scratch: sinks an ack waits for
  std::vector<std::string_view> took_;         // scratch: outputs that took an alert
  std::vector<DigestRecord> digest_upserts_;   // scratch of sync_digests()
  std::vector<DigestKey> digest_removed_;      // scratch of sync_digests()
  std::vector<DigestDesk::Ready> ready_;       // scratch: digests due
  DigestDesk desk_;
  boost::asio::steady_timer digest_timer_;
  bool digest_armed_ = false;
  Clock::time_point digest_armed_for_{};
  std::unordered_map<const Sink*, std::uint64_t> cuts_;  // alerts_cut()
  std::shared_ptr<StoryStage> stories_;                  // set_stories()
  StoryFiler filer_;
  boost::asio::system_timer release_timer_;  // the earliest held embargo
  bool release_armed_ = false;
  Clock::time_point release_at_{};
  std::vector<ReleasedAlert> released_;  // scratch of release_due()
  std::size_t in_flight_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted handlers
  WorkerPool pool_;                                             // last: its threads stop first
};

}  // namespace newshound

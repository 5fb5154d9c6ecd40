// Daemon: the dispatcher, a thin coordinator of the dispatch parts (see
// dispatcher.hpp).
#include "newshound/daemon/dispatcher.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <thread>

#include <spdlog/spdlog.h>

namespace newshound {

namespace {
unsigned pool_size(unsigned workers) {
  return workers != 0 ? workers : std::max(1u, std::thread::hardware_concurrency());
}
}  // namespace

Dispatcher::Dispatcher(boost::asio::io_context& io, unsigned workers,
                       std::vector<FieldMap> field_maps, std::shared_ptr<const Rules> rules,
                       std::vector<Route> routes)
    : io_(io),
      router_(io, std::move(routes), stats_.alerts_rejected),
      release_timer_(io),
      pool_(pool_size(workers), std::move(field_maps), std::move(rules)) {}

Dispatcher::~Dispatcher() {
  *alive_ = false;
  join();
}

void Dispatcher::consume(LineBatch batch, std::function<void()> done) {
  ++in_flight_;
  sequencer_.begin(batch.stream);
  const bool ack = batch.acks != nullptr;
  if (ack) ledger_.open(batch.stream, std::move(batch.acks));  // workers never touch it
  pool_.submit([this, alive = std::weak_ptr<bool>(alive_), batch = std::move(batch),
                done = std::move(done), ack](const WorkerContext& ctx) mutable {
    auto result = std::make_shared<BatchResult>();
    run_batch(ctx.worker, ctx.rules, batch, ack, ctx.abandoned, stats_, *result);
    boost::asio::post(io_, [this, alive, stream = batch.stream, seq = batch.seq,
                            result = std::move(result), done = std::move(done)]() mutable {
      auto a = alive.lock();
      if (!a || !*a) return;
      sequencer_.complete(
          stream, seq, Finished{std::move(result), std::move(done)},
          [this](std::uint64_t s, Finished f) { emit(s, *f.result, std::move(f.done)); });
    });
  });
}

void Dispatcher::end_stream(std::uint64_t stream) {
  // Nobody reads the replies any more; batches still running emit without acks.
  ledger_.end(stream);
  sequencer_.end(stream);
}

void Dispatcher::emit(std::uint64_t stream, BatchResult& r, std::function<void()> done) {
  counts_.record(r);
  const bool ack = !r.acks.empty() && ledger_.is_open(stream);
  std::size_t next_ack = 0;
  auto add_lines_before_alert = [&] {
    while (next_ack < r.acks.size() && !r.acks[next_ack].alert) {
      auto& a = r.acks[next_ack++];
      ledger_.add_line(
          stream,
          a.acknowledged ? std::optional<std::string>(std::move(a.article_id)) : std::nullopt,
          a.refused);
    }
  };
  // One alert of the batch (`alert`: what is sent for it, null for nothing; in
  // place of `own`, the batch's alert) routed, its line registered, delivered.
  std::shared_ptr<SinkRouter::Hold> hold;
  auto send_for_line = [&](const std::shared_ptr<const Alert>& own,
                           const std::shared_ptr<const Alert>& alert, bool retraction) {
    targets_.clear();
    target_classes_.clear();
    if (alert) router_.route(*alert, retraction ? nullptr : r.rules, targets_, &target_classes_);
    if (ack) {
      // Lines up to this alert's article; it settles once every routed sink sent it.
      // Registered before submitting: a sink may report `sent` from inside submit().
      add_lines_before_alert();
      if (next_ack < r.acks.size()) {
        ++next_ack;
        ledger_.add_alert(stream, alert ? alert : own, targets_);
      }
    }
    if (alert) deliver(alert, hold);
  };
  bool held = false;
  if (stories_ && !r.versions.empty()) {
    // In input order: every decoded article's version, its alert if it has one.
    const auto now = Clock::now();
    std::size_t i = 0;
    for (const ArticleVersion& v : r.versions) {
      const bool has_alert = v.alert && i < r.alerts.size();
      const auto& own = has_alert ? r.alerts[i] : nullptr;
      const Signature* sig = has_alert && i < r.signatures.size() ? &r.signatures[i] : nullptr;
      const FiledVersion f =
          filer_.file(*stories_, own, sig, v, r.rules, r.rules ? r.rules->version() : "", now);
      held = held || f.held;
      if (has_alert) {
        send_for_line(own, f.send, f.retraction);
        ++i;
      } else if (f.send) {
        // A retraction raised by an article without alert: its line is acknowledged
        // as any line without alert (docs/stories.md, In the pipeline).
        router_.route(*f.send, nullptr, targets_, &target_classes_);
        deliver(f.send, hold);
      }
    }
  } else {
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
      auto& alert = r.alerts[i];
      // Built non-const by the encoder and not shared yet: its story is written now,
      // in the stream's order.
      if (stories_ && i < r.signatures.size())
        filer_.file(*stories_, const_cast<Alert&>(*alert), r.signatures[i]);
      send_for_line(alert, alert, false);
    }
  }
  // A held version is accepted: in the store before its line is acknowledged.
  if (held) {
    if (auto err = stories_->commit(); !err.empty())
      spdlog::warn("stories: {} (held alerts may be lost by a crash)", err);
    arm_release();
  }
  if (ack) {
    add_lines_before_alert();
    ledger_.flush(stream);
  }
  // Acknowledgements follow line order and abandoned lines never settle: nothing
  // more of the stream is acknowledged (the feed resends what was not).
  if (r.abandoned > 0) ledger_.end(stream);
  SinkRouter::when_released(hold, [this, done = std::move(done)] {
    --in_flight_;
    if (done) done();
  });
}

void Dispatcher::deliver(const std::shared_ptr<const Alert>& alert,
                         std::shared_ptr<SinkRouter::Hold>& hold) {
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    const auto& a = alert_for_class(alert, target_classes_[k]);
    // A copy without snippets only is not a cut.
    if (a != alert && a->listed < alert->listed) ++cuts_[targets_[k]];
    router_.deliver(targets_[k], a, hold);
  }
}

void Dispatcher::arm_release() {
  const auto due = stories_ ? stories_->next_due() : std::nullopt;
  if (!due) return;
  if (release_armed_ && release_at_ <= *due) return;
  release_armed_ = true;
  release_at_ = *due;
  release_timer_.expires_at(*due);
  release_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        auto a = alive.lock();
        if (!a || !*a || ec == boost::asio::error::operation_aborted) return;
        release_armed_ = false;
        release_due();
      });
}

void Dispatcher::release_due() {
  filer_.release(*stories_, Clock::now(), released_);
  const auto rules = pool_.rules();
  for (ReleasedAlert& rel : released_) {
    // Not shared yet: its lists are pointed at the rules in force now.
    const auto alert = std::const_pointer_cast<Alert>(rel.filed.send);
    if (!rel.filed.retraction && rules) relist_held(*alert, rel.list_names, *rules);
    // Nothing waits for these (their lines were acknowledged when held), so a
    // sink's backpressure holds no batch.
    std::shared_ptr<SinkRouter::Hold> hold;
    router_.route(*alert, rel.filed.retraction ? nullptr : rules, targets_, &target_classes_);
    deliver(alert, hold);
    SinkRouter::when_released(hold, [] {});
  }
  arm_release();
}

void Dispatcher::set_stories(std::shared_ptr<StoryStage> stories) {
  pool_.set_signing(stories != nullptr);
  stories_ = std::move(stories);
  release_timer_.cancel();
  release_armed_ = false;
  arm_release();  // holds read back from the store: released at their time
}

void Dispatcher::set_sinks(std::vector<Route> routes) {
  // A removed sink will never report what it still owes: those articles are not
  // acknowledged (the feed resends them), and they stop holding up later ones.
  const auto removed = router_.set_routes(std::move(routes));
  ledger_.forget_sinks(removed);
}

void Dispatcher::on_sent(const Sink* sink, const std::shared_ptr<const Alert>& alert) {
  ledger_.sent(sink, alert.get());
  router_.sent();
}

}  // namespace newshound

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
      digest_timer_(io),
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
  if (ack) ledger_.open(batch.stream, batch.seq, std::move(batch.acks));  // workers never touch it
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
  bool durable = false;  // an alert folded that no acknowledgement waits for
  auto send_for_line = [&](const std::shared_ptr<const Alert>& own,
                           const std::shared_ptr<const Alert>& alert, const FiledVersion* f) {
    const auto now = Clock::now();
    route(alert.get(), r.rules, f, now);
    bool kept = false;
    if (ack) {
      // Lines up to this alert's article; it settles once every routed sink sent it
      // (an output that folds it into a digest: once that digest is delivered).
      // Registered before submitting: a sink may report `sent` from inside submit().
      add_lines_before_alert();
      if (next_ack < r.acks.size()) {
        ++next_ack;
        owing_.assign(targets_.begin(), targets_.end());
        for (const auto& fold : folds_) owing_.push_back(fold.sink);
        ledger_.add_alert(stream, alert ? alert : own, owing_);
        kept = true;
      }
    }
    if (alert) deliver(alert, hold);
    if (alert && (!f || !f->retraction)) record_outputs(*alert);
    if (!folds_.empty()) {
      desk_.fold(folds_, alert, kept, now);
      durable = durable || !kept;
      send_digests(false);  // none due yet unless the desk is over its bounds
    }
  };
  bool held = false;
  if (stories_ && !r.versions.empty()) {
    // In input order: every decoded article's version, its alert if it has one.
    const auto now = Clock::now();
    std::size_t i = 0;
    for (const ArticleVersionView v : r.versions) {
      const bool has_alert = v.alert && i < r.alerts.size();
      const auto& own = has_alert ? r.alerts[i] : nullptr;
      const Signature* sig = has_alert && i < r.signatures.size() ? &r.signatures[i] : nullptr;
      const FiledVersion f =
          filer_.file(*stories_, own, sig, v, r.rules, r.rules ? r.rules->version() : "", now);
      held = held || f.held;
      if (has_alert) {
        send_for_line(own, f.send, &f);
        ++i;
      } else if (f.send) {
        // A retraction raised by an article without alert: its line is acknowledged
        // as any line without alert (docs/stories.md, In the pipeline).
        route(f.send.get(), nullptr, &f, now);
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
      send_for_line(alert, alert, nullptr);
    }
  }
  // A held version, or an alert folded into a digest with nothing to resend it,
  // is accepted: in the store before its line is acknowledged or counted.
  if (held || (durable && stories_)) {
    sync_digests();
    if (auto err = stories_->commit(); !err.empty())
      spdlog::warn("stories: {} (held alerts and pending digests may be lost by a crash)", err);
  }
  if (held) arm_release();
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

void Dispatcher::send_digests(bool all) {
  ready_.clear();
  desk_.take_due(Clock::now(), all, ready_);
  for (auto& d : ready_) {
    Sink* sink = d.sink;
    std::shared_ptr<const Alert> alert = d.alert;
    std::shared_ptr<SinkRouter::Hold> hold;  // no batch waits for a digest
    desk_.sending(std::move(d));             // before: a sink may report from submit()
    router_.deliver(sink, alert, hold);
  }
  ready_.clear();
  sync_digests();  // those sent leave the store with the next commit
  arm_digests();
}

void Dispatcher::sync_digests() {
  if (!stories_) return;
  desk_.take_changes(digest_upserts_, digest_removed_);
  if (!digest_upserts_.empty() || !digest_removed_.empty())
    stories_->stage_digests(digest_upserts_, digest_removed_);
}

void Dispatcher::restore_digests() {
  std::size_t restored = 0;
  for (DigestRecord& r : stories_->take_digests()) {
    const Route* route = router_.find(r.key.output);
    if (route && desk_.restore(r, route->sink, *route)) {
      ++restored;
      continue;
    }
    spdlog::warn(
        "stories: a pending digest of output \"{}\" ({} alert(s)) read back from the "
        "store is not sent: no such output now",
        r.key.output, r.copies);
    stats_.alerts_rejected += r.copies;
    digest_removed_.push_back(std::move(r.key));
  }
  if (!digest_removed_.empty()) stories_->stage_digests(digest_upserts_, digest_removed_);
  if (restored != 0)
    spdlog::info("stories: {} pending digest(s) read back from the store", restored);
  arm_digests();
}

void Dispatcher::arm_digests() {
  const auto next = desk_.next_due();
  if (!next || (digest_armed_ && digest_armed_for_ <= *next)) return;
  digest_armed_ = true;
  digest_armed_for_ = *next;
  digest_timer_.expires_after(std::max(Clock::duration::zero(), *next - Clock::now()));
  digest_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        auto a = alive.lock();
        if (!a || !*a || ec == boost::asio::error::operation_aborted) return;
        digest_armed_ = false;
        send_digests(false);
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

void Dispatcher::route(const Alert* alert, const std::shared_ptr<const Rules>& rules,
                       const FiledVersion* filed, Clock::time_point now) {
  targets_.clear();
  target_classes_.clear();
  target_routes_.clear();
  folds_.clear();
  if (!alert) return;
  const bool retraction = filed && filed->retraction;
  router_.route(*alert, retraction ? nullptr : rules, targets_, &target_classes_, &target_routes_);
  if (retraction) {
    // Only to the outputs that took the alerts it retracts (all of them when
    // that is not known: an older store's alerts); never folded: a kill reaches
    // the desk at once.
    if (filed->retract_to.known()) keep_outputs(filed->retract_to.names);
    return;
  }
  if (rules && DigestDesk::folds_any(target_routes_))
    desk_.sort(*alert, *rules, targets_, target_classes_, target_routes_, now, folds_);
}

void Dispatcher::keep_outputs(const std::vector<std::string>& names) {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    if (!std::binary_search(names.begin(), names.end(), target_routes_[k]->digests.output))
      continue;
    targets_[kept] = targets_[k];
    target_classes_[kept] = target_classes_[k];
    target_routes_[kept] = target_routes_[k];
    ++kept;
  }
  targets_.resize(kept);
  target_classes_.resize(kept);
  target_routes_.resize(kept);
}

void Dispatcher::record_outputs(const Alert& alert) {
  if (!stories_) return;
  took_.clear();
  for (const Route* r : target_routes_) took_.push_back(r->digests.output);
  for (const auto& f : folds_) took_.push_back(f.route->digests.output);
  stories_->took(alert.article, alert.id, took_);
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
  const auto now = Clock::now();
  for (ReleasedAlert& rel : released_) {
    // Not shared yet: its lists are pointed at the rules in force now.
    const auto alert = std::const_pointer_cast<Alert>(rel.filed.send);
    if (!rel.filed.retraction && rules) relist_held(*alert, rel.list_names, *rules);
    // Nothing waits for these (their lines were acknowledged when held), so a
    // sink's backpressure holds no batch. Folded like any alert by a digest
    // output or a throttled list (docs/stories.md, Policies).
    std::shared_ptr<SinkRouter::Hold> hold;
    route(alert.get(), rules, &rel.filed, now);
    deliver(alert, hold);
    if (!rel.filed.retraction) record_outputs(*alert);
    if (!folds_.empty()) desk_.fold(folds_, alert, false, now);
    SinkRouter::when_released(hold, [] {});
  }
  send_digests(false);  // arms the digest timer for what was folded; syncs the store
  arm_release();
}

void Dispatcher::set_stories(std::shared_ptr<StoryStage> stories) {
  pool_.set_signing(stories != nullptr);
  stories_ = std::move(stories);
  release_timer_.cancel();
  release_armed_ = false;
  arm_release();                    // holds read back from the store: released at their time
  if (stories_) restore_digests();  // and pending digests: sent at their time
}

void Dispatcher::set_sinks(std::vector<Route> routes) {
  // A removed sink will never report what it still owes: those articles are not
  // acknowledged (the feed resends them), and they stop holding up later ones.
  const auto removed = router_.set_routes(std::move(routes));
  ledger_.forget_sinks(removed);
  if (const auto n = desk_.forget_sinks(removed); n != 0) {
    spdlog::warn("reload: {} alert(s) in the pending digests of a removed output are not sent", n);
    stats_.alerts_rejected += n;
  }
  sync_digests();
}

void Dispatcher::on_sent(const Sink* sink, const std::shared_ptr<const Alert>& alert) {
  ledger_.sent(sink, alert.get());
  desk_.delivered(sink, alert.get(), [&](const Alert* folded) { ledger_.sent(sink, folded); });
  router_.sent();
}

}  // namespace newshound

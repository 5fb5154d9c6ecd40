// Stage: sink. SpoolingSink (see spooling_sink.hpp): the pass-through / spool
// decision in submit(), draining the spool into the inner sink, and releasing
// records on the inner sink's sent callback. The group commit that makes spooled
// alerts durable is in spooling_commit.cpp; the shared state in
// spooling_sink_impl.hpp.
//
// Threads: everything runs on the event loop except the disk syncs (see
// spooling_commit.cpp). The Spool object itself is only ever touched on the loop.
#include "spooling_sink_impl.hpp"

namespace newshound {

void SpoolingSink::Impl::try_open() {
  last_open_try = std::chrono::steady_clock::now();
  std::string err;
  spool = Spool::open(opt.spool, err);
  if (!spool) {
    std::uint64_t quiet = 0;
    if (open_log.allow(&quiet))
      spdlog::error(
          "sink {}: spool unavailable: {}. Alerts go straight to the output meanwhile; retrying "
          "every second ({} similar suppressed)",
          inner->name(), err, quiet);
    open_error = err;
    return;
  }
  if (!open_error.empty())
    spdlog::info("sink {}: spool {} opened", inner->name(), spool->dir().string());
  open_error.clear();
  last_stats = spool->stats();
}

void SpoolingSink::Impl::on_inner_sent(const std::shared_ptr<const Alert>& a) {
  auto it = drained.begin();
  while (it != drained.end() && it->alert.get() != a.get()) ++it;
  if (it == drained.end()) {  // went straight through: accepted for good now
    if (notify) notify(a);
    return;
  }
  it->sent = true;
  while (!drained.empty() && drained.front().sent) {
    inflight_bytes -= drained.front().alert->json.size();
    drained.pop_front();
    if (spool && !stopped) spool->release();
  }
  if (spool && !stopped && spool->cursor_dirty()) arm();
  post_drain();
}

void SpoolingSink::Impl::post_drain() {
  if (drain_posted || stopped) return;
  drain_posted = true;
  boost::asio::post(io, [self = shared_from_this()] {
    self->drain_posted = false;
    self->drain();
  });
}

void SpoolingSink::Impl::drain() {
  if (stopped || !spool) return;
  while (inflight_bytes < opt.max_inflight_bytes && ready()) {
    std::shared_ptr<const Alert> a = std::move(held);
    held.reset();
    if (!a) {
      if (!spool->read(read_buf)) break;
      a = decode_spool_record(read_buf);
      if (!a) {
        spool->discard_last_read();
        std::uint64_t quiet = 0;
        if (bad_log.allow(&quiet))
          spdlog::warn("sink {}: undecodable spool record skipped ({} similar suppressed)",
                       inner->name(), quiet);
        continue;
      }
    }
    if (!inner->submit(a)) {
      held = std::move(a);
      break;
    }
    inflight_bytes += a->json.size();
    drained.push_back({std::move(a), false});
  }
  last_stats = spool->stats();
  arm();
}

void SpoolingSink::Impl::arm() {
  if (tick_armed || !wants_tick()) return;
  tick_armed = true;
  tick_timer.expires_after(opt.poll);
  tick_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->tick_armed = false;
    if (!ec) self->tick();
  });
}

void SpoolingSink::Impl::tick() {
  if (stopped) return;
  const auto now = std::chrono::steady_clock::now();
  if (!spool && now - last_open_try >= std::chrono::seconds(1)) try_open();
  if (spool) {
    drain();
    if (!unsynced.empty() &&
        (opt.spool.fsync != FsyncPolicy::interval || now - last_sync >= opt.fsync_interval)) {
      if (deferred_sync()) {
        start_commit();
      } else {
        commit_now();
      }
    }
    if (spool && spool->cursor_dirty() && now - last_cursor >= opt.cursor_interval) {
      last_cursor = now;
      save_cursor();
    }
    last_stats = spool->stats();
  }
  arm();
}

bool SpoolingSink::Impl::submit(std::shared_ptr<const Alert> a) {
  if (stopped) {
    ++st.rejected;
    return false;
  }
  if (!spool) {  // degraded: no spool could be opened
    if (inner->submit(std::move(a))) {
      ++st.accepted;
      return true;
    }
    ++st.rejected;
    return false;
  }
  if (spool->empty() && !held && ready() && inner->submit(a)) {
    ++st.accepted;
    return true;
  }
  encode_spool_record(*a, rec_buf);
  switch (spool->append(rec_buf)) {
    case SpoolAppend::ok:
      ++st.accepted;
      last_stats = spool->stats();
      after_append(std::move(a));
      arm();
      return true;
    case SpoolAppend::full:
      break;
    case SpoolAppend::io_error: {
      ++st.failed;
      std::uint64_t quiet = 0;
      if (write_log.allow(&quiet))
        spdlog::error(
            "sink {}: {}; alerts wait upstream until the spool can be written (check free "
            "space and permissions) ({} similar suppressed)",
            inner->name(), spool->last_error(), quiet);
      break;
    }
  }
  ++st.rejected;
  return false;
}

SpoolingSink::SpoolingSink(boost::asio::io_context& io, std::unique_ptr<Sink> inner,
                           SpoolingSinkOptions opts)
    : impl_(std::make_shared<Impl>(io, std::move(inner), std::move(opts))) {
  impl_->notify = [this](const std::shared_ptr<const Alert>& a) { notify_sent(a); };
  std::weak_ptr<Impl> weak = impl_;
  impl_->inner->set_sent_callback([weak](const std::shared_ptr<const Alert>& a) {
    if (auto self = weak.lock()) self->on_inner_sent(a);
  });
}

SpoolingSink::~SpoolingSink() {
  impl_->notify = nullptr;
  impl_->stopped = true;
  impl_->tick_timer.cancel();
  impl_->close_spool();
}

const std::string& SpoolingSink::name() const {
  return impl_->inner->name();
}

void SpoolingSink::start() {
  Impl& m = *impl_;
  if (m.started || m.stopped) return;
  m.started = true;
  m.try_open();
  m.inner->start();
  m.arm();
  m.post_drain();
}

bool SpoolingSink::submit(std::shared_ptr<const Alert> alert) {
  return impl_->submit(std::move(alert));
}

void SpoolingSink::stop(std::chrono::milliseconds grace, std::function<void()> done) {
  Impl& m = *impl_;
  if (m.stopped) {
    if (done) boost::asio::post(m.io, std::move(done));
    return;
  }
  m.close_spool();
  m.stopped = true;
  m.held.reset();
  m.tick_timer.cancel();
  m.inner->stop(grace, std::move(done));
}

SinkStats SpoolingSink::stats() const {
  const Impl& m = *impl_;
  SinkStats s = m.inner->stats();
  s.accepted = m.st.accepted;
  s.rejected = m.st.rejected;
  s.failed += m.st.failed;
  if (m.spool) {
    const SpoolStats& sp = m.spool->stats();
    s.queued += sp.records - std::min<std::uint64_t>(sp.records, m.spool->outstanding());
    s.queued_bytes += sp.bytes;
  }
  return s;
}

void SpoolingSink::reopen() {
  impl_->inner->reopen();
}

const Sink& SpoolingSink::inner() const {
  return *impl_->inner;
}

SpoolSyncStats SpoolingSink::sync_stats() const {
  return impl_->sync_stats;
}

SpoolStats SpoolingSink::spool_stats() const {
  return impl_->spool ? impl_->spool->stats() : impl_->last_stats;
}

bool SpoolingSink::spool_open() const {
  return impl_->spool != nullptr;
}

}  // namespace newshound

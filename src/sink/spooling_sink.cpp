// Stage: sink. SpoolingSink (see spooling_sink.hpp): the pass-through / spool
// decision in submit(), group commit of spooled alerts, draining the spool into
// the inner sink, and releasing records on the inner sink's sent callback.
#include "newshound/sink/spooling_sink.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <vector>

#include "newshound/util/rate_limit.hpp"

namespace newshound {

namespace {

constexpr char kRecordVersion = 1;

void put_field(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(s);
}

bool get_field(std::string_view& in, std::string& out) {
  if (in.size() < 4) return false;
  std::uint32_t n = 0;
  for (int i = 3; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(in[std::size_t(i)]);
  in.remove_prefix(4);
  if (in.size() < n) return false;
  out.assign(in.data(), n);
  in.remove_prefix(n);
  return true;
}

}  // namespace

void encode_spool_record(const Alert& alert, std::string& out) {
  out.clear();
  out.push_back(kRecordVersion);
  put_field(out, alert.id);
  put_field(out, alert.article);
  put_field(out, alert.rules_version);
  out.append(alert.json);
}

std::shared_ptr<Alert> decode_spool_record(std::string_view in) {
  if (in.empty() || in.front() != kRecordVersion) return nullptr;
  in.remove_prefix(1);
  auto a = std::make_shared<Alert>();
  if (!get_field(in, a->id) || !get_field(in, a->article) || !get_field(in, a->rules_version) ||
      in.empty() || in.back() != '\n')
    return nullptr;
  a->json.assign(in.data(), in.size());
  a->received_at = Clock::now();
  return a;
}

struct SpoolingSink::Impl : std::enable_shared_from_this<Impl> {
  struct Drained {
    std::shared_ptr<const Alert> alert;
    bool sent = false;
  };

  boost::asio::io_context& io;
  std::unique_ptr<Sink> inner;
  SpoolingSinkOptions opt;
  std::unique_ptr<Spool> spool;
  SpoolStats last_stats;
  SinkStats st;  ///< accepted, rejected, failed of this sink
  std::function<void(const std::shared_ptr<const Alert>&)> notify;
  std::deque<Drained> drained;  ///< spooled alerts handed to the inner sink, in order
  std::size_t inflight_bytes = 0;
  std::shared_ptr<const Alert> held;  ///< read from the spool, refused by the inner sink
  std::vector<std::shared_ptr<const Alert>> unsynced;  ///< spooled, not yet notified
  boost::asio::steady_timer tick_timer;
  bool tick_armed = false, drain_posted = false, commit_posted = false;
  bool started = false, stopped = false;
  std::chrono::steady_clock::time_point last_sync{}, last_cursor{}, last_open_try{};
  std::string open_error, rec_buf, read_buf;
  RateLimiter open_log{std::chrono::seconds(60)}, write_log, bad_log;

  Impl(boost::asio::io_context& i, std::unique_ptr<Sink> s, SpoolingSinkOptions o)
      : io(i), inner(std::move(s)), opt(std::move(o)), tick_timer(i) {}

  bool ready() const { return !opt.inner_ready || opt.inner_ready(); }

  void try_open() {
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

  void on_inner_sent(const std::shared_ptr<const Alert>& a) {
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

  void post_drain() {
    if (drain_posted || stopped) return;
    drain_posted = true;
    boost::asio::post(io, [self = shared_from_this()] {
      self->drain_posted = false;
      self->drain();
    });
  }

  void drain() {
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

  /// Notifies the spooled alerts waiting for durability, after a sync if asked.
  void commit(bool do_sync) {
    commit_posted = false;
    if (unsynced.empty() || !spool) return;
    if (do_sync && !spool->sync()) {
      ++st.failed;
      std::uint64_t quiet = 0;
      if (write_log.allow(&quiet))
        spdlog::error("sink {}: {}; retrying ({} similar suppressed)", inner->name(),
                      spool->last_error(), quiet);
      arm();
      return;
    }
    last_sync = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<const Alert>> batch;
    batch.swap(unsynced);
    for (const auto& a : batch)
      if (notify) notify(a);
    batch.clear();
    if (unsynced.empty()) unsynced.swap(batch);  // keep the capacity
  }

  void after_append(std::shared_ptr<const Alert> a) {
    unsynced.push_back(std::move(a));
    if (opt.spool.fsync == FsyncPolicy::interval) {
      arm();
      return;
    }
    if (commit_posted) return;
    commit_posted = true;
    boost::asio::post(io, [self = shared_from_this()] {
      if (!self->stopped) self->commit(self->opt.spool.fsync == FsyncPolicy::always);
    });
  }

  bool wants_tick() const {
    if (stopped) return false;
    if (!spool) return true;
    return spool->has_unread() || held || !unsynced.empty() || spool->cursor_dirty();
  }

  void arm() {
    if (tick_armed || !wants_tick()) return;
    tick_armed = true;
    tick_timer.expires_after(opt.poll);
    tick_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->tick_armed = false;
      if (!ec) self->tick();
    });
  }

  void tick() {
    if (stopped) return;
    const auto now = std::chrono::steady_clock::now();
    if (!spool && now - last_open_try >= std::chrono::seconds(1)) try_open();
    if (spool) {
      drain();
      if (!unsynced.empty() &&
          (opt.spool.fsync != FsyncPolicy::interval || now - last_sync >= opt.fsync_interval))
        commit(opt.spool.fsync != FsyncPolicy::never);
      if (spool->cursor_dirty() && now - last_cursor >= opt.cursor_interval) {
        last_cursor = now;
        if (!spool->save_cursor()) {
          ++st.failed;
          std::uint64_t quiet = 0;
          if (write_log.allow(&quiet))
            spdlog::error("sink {}: {} ({} similar suppressed)", inner->name(), spool->last_error(),
                          quiet);
        }
      }
      last_stats = spool->stats();
    }
    arm();
  }

  bool submit(std::shared_ptr<const Alert> a) {
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

  void close_spool() {
    if (!spool) return;
    commit(opt.spool.fsync != FsyncPolicy::never);
    spool->save_cursor();
    last_stats = spool->stats();
    spool.reset();
  }
};

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

SpoolStats SpoolingSink::spool_stats() const {
  return impl_->spool ? impl_->spool->stats() : impl_->last_stats;
}

bool SpoolingSink::spool_open() const {
  return impl_->spool != nullptr;
}

}  // namespace newshound

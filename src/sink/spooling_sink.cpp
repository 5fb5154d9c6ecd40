// Stage: sink. SpoolingSink (see spooling_sink.hpp): the pass-through / spool
// decision in submit(), group commit of spooled alerts, draining the spool into
// the inner sink, and releasing records on the inner sink's sent callback.
//
// Threads: everything runs on the event loop except the disk syncs. Appends are
// write(2)s into the page cache on the loop; with fsync "always" or "interval",
// fdatasync of the segments (and the directory, the cursor file) runs on one
// SpoolWorker thread, one group commit at a time, and its result is posted back to
// the loop, which only then notifies the alerts that commit covered (Redis AOF
// style). The Spool object itself is only ever touched on the loop.
#include "newshound/sink/spooling_sink.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <vector>

#include "newshound/sink/spool_worker.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

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
  std::vector<std::shared_ptr<const Alert>> unsynced;  ///< spooled, no sync started yet
  std::vector<std::shared_ptr<const Alert>> syncing;   ///< covered by the sync running now
  /// The group commit running on `worker` (null when none); its `ok` is read on the
  /// loop only after its result was posted back, or after worker.stop() joined.
  struct Commit {
    SpoolSync sync;
    bool ok = false;
    std::string error;
    std::chrono::nanoseconds took{0};
  };
  std::shared_ptr<Commit> committing;
  bool cursor_writing = false;
  SpoolSyncStats sync_stats;
  SpoolWorker worker;
  boost::asio::steady_timer tick_timer;
  bool tick_armed = false, drain_posted = false, commit_posted = false;
  bool started = false, stopped = false;
  std::chrono::steady_clock::time_point last_sync{}, last_cursor{}, last_open_try{};
  std::string open_error, rec_buf, read_buf;
  RateLimiter open_log{std::chrono::seconds(60)}, write_log, bad_log;

  Impl(boost::asio::io_context& i, std::unique_ptr<Sink> s, SpoolingSinkOptions o)
      : io(i), inner(std::move(s)), opt(std::move(o)), tick_timer(i) {}

  bool ready() const { return opt.inner_ready ? opt.inner_ready() : inner->ready(); }

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

  bool deferred_sync() const { return opt.spool.fsync != FsyncPolicy::never; }

  void notify_all(std::vector<std::shared_ptr<const Alert>>& batch) {
    for (const auto& a : batch)
      if (notify) notify(a);
    batch.clear();
  }

  /// fsync "never": the write was all; notifies the alerts spooled so far.
  void commit_now() {
    commit_posted = false;
    if (stopped || !spool) return;
    last_sync = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<const Alert>> batch;
    batch.swap(unsynced);
    notify_all(batch);
    if (unsynced.empty()) unsynced.swap(batch);  // keep the capacity
  }

  /// Starts a group commit of everything spooled so far on the worker thread,
  /// unless one is running (the next starts when it ends).
  void start_commit() {
    commit_posted = false;
    if (committing || unsynced.empty() || !spool || stopped) return;
    auto c = std::make_shared<Commit>();
    c->sync = spool->take_sync();
    syncing.swap(unsynced);
    committing = c;
    sync_stats.pending = syncing.size();
    worker.run([c, weak = weak_from_this(), &io = io] {
      const auto t0 = std::chrono::steady_clock::now();
      c->ok = c->sync.run(c->error);
      c->took = std::chrono::steady_clock::now() - t0;
      boost::asio::post(io, [c, weak] {
        if (auto self = weak.lock()) self->committed(c);
      });
    });
  }

  /// Back on the loop: the commit `c` ended.
  void committed(const std::shared_ptr<Commit>& c) {
    if (committing != c) return;  // closed meanwhile: close_spool() settled it
    committing.reset();
    ++sync_stats.syncs;
    sync_stats.seconds += std::chrono::duration<double>(c->took).count();
    sync_stats.last_seconds = std::chrono::duration<double>(c->took).count();
    if (!spool || stopped) return;
    if (!c->ok) {
      ++st.failed;
      spool->give_back(std::move(c->sync), c->error);
      std::uint64_t quiet = 0;
      if (write_log.allow(&quiet))
        spdlog::error("sink {}: {}; retrying ({} similar suppressed)", inner->name(), c->error,
                      quiet);
      // Retried at the next tick, together with what was spooled meanwhile.
      syncing.insert(syncing.end(), unsynced.begin(), unsynced.end());
      unsynced.swap(syncing);
      syncing.clear();
      sync_stats.pending = unsynced.size();
      arm();
      return;
    }
    last_sync = std::chrono::steady_clock::now();
    notify_all(syncing);
    sync_stats.pending = unsynced.size();
    if (opt.spool.fsync == FsyncPolicy::always) start_commit();
    arm();
  }

  /// Writes the cursor if it moved: on the worker when syncs are deferred, else here.
  void save_cursor() {
    if (!deferred_sync()) {
      if (!spool->save_cursor()) {
        ++st.failed;
        std::uint64_t quiet = 0;
        if (write_log.allow(&quiet))
          spdlog::error("sink {}: {} ({} similar suppressed)", inner->name(), spool->last_error(),
                        quiet);
      }
      return;
    }
    if (cursor_writing) return;
    std::string bytes = spool->take_cursor();
    if (bytes.empty()) return;
    cursor_writing = true;
    worker.run([bytes = std::move(bytes), dir = spool->dir(), weak = weak_from_this(), &io = io] {
      std::string err = Spool::write_cursor(dir, bytes, true);
      boost::asio::post(io, [err = std::move(err), weak] {
        auto self = weak.lock();
        if (!self) return;
        self->cursor_writing = false;
        if (err.empty() || !self->spool || self->stopped) return;
        ++self->st.failed;
        self->spool->cursor_failed(err);
        std::uint64_t quiet = 0;
        if (self->write_log.allow(&quiet))
          spdlog::error("sink {}: {} ({} similar suppressed)", self->inner->name(), err, quiet);
        self->arm();
      });
    });
  }

  void after_append(std::shared_ptr<const Alert> a) {
    unsynced.push_back(std::move(a));
    sync_stats.pending = unsynced.size() + syncing.size();
    if (opt.spool.fsync == FsyncPolicy::interval) {
      arm();
      return;
    }
    // Group commit: every alert spooled by the handlers that run before this post.
    if (commit_posted) return;
    commit_posted = true;
    boost::asio::post(io, [self = shared_from_this()] {
      if (self->opt.spool.fsync == FsyncPolicy::always) {
        self->start_commit();
      } else {
        self->commit_now();
      }
    });
  }

  bool wants_tick() const {
    if (stopped) return false;
    if (!spool) return true;
    return spool->has_unread() || held || !unsynced.empty() ||
           (spool->cursor_dirty() && !cursor_writing);
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

  /// Stop and destruction: joins the worker, then makes the spool durable on this
  /// thread (one last group commit: stop is rare and must leave nothing unsynced),
  /// notifies what it covered, saves the cursor and closes the spool.
  void close_spool() {
    worker.stop();
    if (!spool) return;
    bool ok = true;
    if (committing) {  // joined above: its result is visible here
      if (!committing->ok) spool->give_back(std::move(committing->sync), committing->error);
      committing.reset();
    }
    if (deferred_sync()) ok = spool->sync();
    if (ok) {
      notify_all(syncing);
      notify_all(unsynced);
    } else {
      spdlog::error("sink {}: {}; {} spooled alert(s) may not be on disk", inner->name(),
                    spool->last_error(), syncing.size() + unsynced.size());
    }
    syncing.clear();
    unsynced.clear();
    sync_stats.pending = 0;
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

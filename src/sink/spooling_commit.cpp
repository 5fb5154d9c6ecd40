// Stage: sink. SpoolingSink's group commit: spooled alerts are notified (accepted
// for good) only once a sync covering them finished; fdatasync of the segments,
// the directory and the cursor file runs on the SpoolWorker thread, one commit at
// a time, and its result is posted back to the loop (Redis AOF style). Also the
// last, synchronous commit at stop.
#include "spooling_sink_impl.hpp"

namespace newshound {

void SpoolingSink::Impl::notify_all(std::vector<std::shared_ptr<const Alert>>& batch) {
  for (const auto& a : batch)
    if (notify) notify(a);
  batch.clear();
}

void SpoolingSink::Impl::commit_now() {
  commit_posted = false;
  if (stopped || !spool) return;
  last_sync = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<const Alert>> batch;
  batch.swap(unsynced);
  notify_all(batch);
  if (unsynced.empty()) unsynced.swap(batch);  // keep the capacity
}

void SpoolingSink::Impl::start_commit() {
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

void SpoolingSink::Impl::committed(const std::shared_ptr<Commit>& c) {
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

void SpoolingSink::Impl::save_cursor() {
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

void SpoolingSink::Impl::after_append(std::shared_ptr<const Alert> a) {
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

void SpoolingSink::Impl::close_spool() {
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

}  // namespace newshound

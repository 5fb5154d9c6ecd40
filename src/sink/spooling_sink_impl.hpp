// Stage: sink (private). The state of one SpoolingSink, shared by its files:
// spooling_sink.cpp (submit's pass-through / spool decision, draining the spool
// into the inner sink, releasing records) and spooling_commit.cpp (group commit
// of spooled alerts and the cursor on the SpoolWorker thread, and closing).
#pragma once

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <vector>

#include "newshound/sink/spool_worker.hpp"
#include "newshound/sink/spooling_sink.hpp"
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

  /// Opens the spool (at start, then every second while it cannot be opened).
  void try_open();
  /// The inner sink delivered `a`: releases spool records delivered in order.
  void on_inner_sent(const std::shared_ptr<const Alert>& a);
  void post_drain();
  /// Hands spooled alerts to the inner sink while it is ready and has room.
  void drain();
  bool deferred_sync() const { return opt.spool.fsync != FsyncPolicy::never; }

  void notify_all(std::vector<std::shared_ptr<const Alert>>& batch);

  /// fsync "never": the write was all; notifies the alerts spooled so far.
  void commit_now();

  /// Starts a group commit of everything spooled so far on the worker thread,
  /// unless one is running (the next starts when it ends).
  void start_commit();

  /// Back on the loop: the commit `c` ended.
  void committed(const std::shared_ptr<Commit>& c);

  /// Writes the cursor if it moved: on the worker when syncs are deferred, else here.
  void save_cursor();
  /// `a` was appended to the spool: schedules the commit that makes it durable.
  void after_append(std::shared_ptr<const Alert> a);
  bool wants_tick() const {
    if (stopped) return false;
    if (!spool) return true;
    return spool->has_unread() || held || !unsynced.empty() ||
           (spool->cursor_dirty() && !cursor_writing);
  }

  /// Arms the tick timer (opt.poll) when there is work for tick().
  void arm();
  void tick();
  bool submit(std::shared_ptr<const Alert> a);

  /// Stop and destruction: joins the worker, then makes the spool durable on this
  /// thread (one last group commit: stop is rare and must leave nothing unsynced),
  /// notifies what it covered, saves the cursor and closes the spool.
  void close_spool();
};

}  // namespace newshound

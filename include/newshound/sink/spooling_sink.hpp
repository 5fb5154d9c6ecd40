// Stage: sink. SpoolingSink: a decorator that gives any sink an on-disk spool.
// Alerts go straight to the inner sink while it keeps up; when it refuses (queue
// full) or is down, they are appended to the spool, and drained back in order
// once it has room again, also after a restart.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "newshound/sink/sink.hpp"
#include "newshound/sink/spool.hpp"

namespace newshound {

struct SpoolingSinkOptions {
  SpoolOptions spool;  ///< directory, cap, segment size, fsync policy
  /// With FsyncPolicy::interval: spooled alerts are synced (and only then count as
  /// accepted for good) at least this often.
  std::chrono::milliseconds fsync_interval{1000};
  /// While spooled alerts wait and the inner sink refuses or is down, how often
  /// draining is retried. Draining is otherwise driven by deliveries.
  std::chrono::milliseconds poll{25};
  /// How often at most the release position is written to the cursor file.
  std::chrono::milliseconds cursor_interval{200};
  /// Whether the inner sink can deliver now. While it returns false, new alerts go
  /// to the spool instead of the inner queue, so they survive a crash. Empty: the
  /// inner sink's Sink::ready() (TcpSink: connected; the others: always ready, the
  /// inner queue filling up is the signal).
  std::function<bool()> inner_ready;
  /// Bytes of spooled alerts handed to the inner sink and not yet delivered.
  std::size_t max_inflight_bytes = 1u << 20;
};

/// Group commit of one spooling sink (fsync "always" and "interval").
struct SpoolSyncStats {
  std::uint64_t pending = 0;  ///< gauge: spooled alerts not yet durable (not yet notified)
  std::uint64_t syncs = 0;    ///< group commits finished (failed ones included)
  double seconds = 0;         ///< total time those commits took on the disk thread
  double last_seconds = 0;    ///< time the last one took
};

/// Wraps `inner` (which it owns). Ordering: while the spool holds anything, every
/// new alert is appended behind it, so alerts reach the destination in submit
/// order. Delivery is at-least-once: a spool record is released only when the
/// inner sink reports it sent; records in flight when the process stops are
/// delivered again after the restart (same alert id).
///
/// The sent callback (Sink::set_sent_callback) fires for an alert when the inner
/// sink delivered it, or when it was written to the spool and synced per the fsync
/// policy (always: once the group commit that covers it finished; interval: once
/// the next periodic sync finished; never: right after the write), whichever comes
/// first; once per alert. Syncs run on a background thread (one commit at a time)
/// and are reported back on the event loop, which never waits for the disk except
/// in stop() and the destructor (a last synchronous commit). submit() returns false (and counts
/// `rejected`) when the spool is full or cannot be written and the inner sink cannot take the alert
/// either.
///
/// If the spool directory cannot be opened at start(), the error is logged (with
/// the path and what to do), alerts go straight to the inner sink, and the open is
/// retried every second. Never throws from its interface except std::bad_alloc.
class SpoolingSink final : public Sink {
 public:
  SpoolingSink(boost::asio::io_context& io, std::unique_ptr<Sink> inner, SpoolingSinkOptions opts);
  ~SpoolingSink() override;

  /// The inner sink's name.
  const std::string& name() const override;
  /// Opens the spool (left-over records are delivered first), starts the inner sink.
  void start() override;
  bool submit(std::shared_ptr<const Alert> alert) override;
  /// Stops draining, joins the disk thread, syncs the spool on this thread and
  /// notifies what that covered, saves the cursor, closes the spool (undelivered
  /// records stay on disk), then stops the inner sink with `grace`.
  void stop(std::chrono::milliseconds grace, std::function<void()> done) override;
  /// The inner sink's counters, with this sink's accepted/rejected, its spool
  /// failures added to `failed`, and records waiting in the spool added to
  /// `queued` / `queued_bytes` (spool bytes include 8-byte record headers).
  SinkStats stats() const override;
  /// Forwards to the inner sink.
  void reopen() override;
  /// Its spool's samples (newshound_spool_*), then the inner sink's.
  void report_metrics(MetricsExposition& out, std::string_view output) const override;

  /// The spool's counters (the last ones seen when it is closed or not open).
  SpoolStats spool_stats() const;
  /// The wrapped sink (e.g. for its own counters).
  const Sink& inner() const;
  /// Group commit counters (fsync latency, alerts waiting for their sync).
  SpoolSyncStats sync_stats() const;
  /// Whether the spool is open (false before start, after stop, or while it cannot be opened).
  bool spool_open() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// Serializes what is needed to rebuild `alert` after a restart (id, article id,
/// rules version, NDJSON line) into `out` (cleared first).
void encode_spool_record(const Alert& alert, std::string& out);

/// Rebuilds an alert from encode_spool_record() output; nullptr if malformed.
std::shared_ptr<Alert> decode_spool_record(std::string_view payload);

}  // namespace newshound

// Stage: sink. FileSink: alerts appended as NDJSON to a file (a QueuedSink: the
// queue, retries with backoff, stop/grace and stats are its), with an fsync
// policy whose syncs run off the event loop, and reopen() for logrotate.
#pragma once

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "newshound/sink/fsync_policy.hpp"
#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/queued_sink.hpp"

namespace newshound {

struct FileSinkOptions {
  std::filesystem::path path;
  QueueOptions queue;                         ///< bounded queue while writes fail; retry backoff
  FsyncPolicy fsync = FsyncPolicy::interval;  ///< when writes are forced to disk (fdatasync)
  std::chrono::milliseconds fsync_interval{1000};
  /// The sync call, fdatasync(2), run on the sink's disk thread. Tests put a
  /// failing one here; nothing else should.
  int (*datasync)(int fd) = &::fdatasync;
  bool operator==(const FileSinkOptions&) const = default;
};

/// Appends alerts to `path` (O_APPEND|O_CREAT, a new file gets mode 0640 minus
/// the umask), creating missing parent directories; never opens anything but a
/// regular file. The file only ever holds whole alerts: a batch whose write fails
/// (a full disk: ENOSPC, EFBIG, EDQUOT), even part way through an alert, is cut
/// off again (ftruncate to the size before it) and the whole batch is retried on
/// the skeleton's backoff timer, without waiting for new alerts; alerts wait in
/// the bounded queue meanwhile. With `fsync = always` an alert counts as sent
/// only once an fdatasync after its write succeeded; a failed sync is treated
/// like a failed write (cut off, retried). fdatasync runs on a disk thread of the
/// sink's own, never on the event loop. Open, write and sync errors are counted
/// (stats().failed) and logged, rate-limited. Never throws from its interface
/// except std::bad_alloc; destroying the sink while the loop runs is safe (it
/// waits for a sync in progress).
class FileSink final : public QueuedSink {
 public:
  FileSink(boost::asio::io_context& io, const std::string& name, FileSinkOptions opts);

  /// Starts a sync of what was written since the last one (unless `never`),
  /// closes and reopens the path at once, so writing continues in a fresh file
  /// after logrotate renamed the old one. An open error is logged and retried on
  /// the backoff timer. Call on the event-loop thread.
  void reopen() override;

  /// Successful fdatasync() calls so far (for tests and status pages).
  std::uint64_t syncs() const;
};

}  // namespace newshound

// Stage: sink. FileSink: alerts appended as NDJSON to a file, with an fsync policy
// and reopen() for logrotate.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "newshound/sink/fsync_policy.hpp"
#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/sink.hpp"

namespace newshound {

struct FileSinkOptions {
  std::filesystem::path path;
  QueueOptions queue;                         ///< bounded queue while writes fail
  FsyncPolicy fsync = FsyncPolicy::interval;  ///< when writes are forced to disk (fdatasync)
  std::chrono::milliseconds fsync_interval{1000};
  bool operator==(const FileSinkOptions&) const = default;
};

/// Appends alerts to `path` (O_APPEND|O_CREAT, mode 0644), creating missing parent
/// directories. Open, write and fsync errors are counted, logged (rate-limited) and
/// retried on the next submit or reopen(); alerts wait in the bounded queue
/// meanwhile. Internal state is shared with posted tasks and the fsync timer, so
/// destroying the sink while the loop runs is safe.
class FileSink final : public Sink {
 public:
  FileSink(boost::asio::io_context& io, const std::string& name, FileSinkOptions opts);
  ~FileSink() override;

  const std::string& name() const override;
  void start() override;
  bool submit(std::shared_ptr<const Alert> alert) override;
  /// Writes what is queued, syncs (unless the policy is `never`), closes.
  void stop(std::chrono::milliseconds grace, std::function<void()> done) override;
  SinkStats stats() const override;

  /// Syncs (unless `never`), closes and reopens the path, so writing continues in
  /// a fresh file after logrotate renamed the old one. Errors are logged and the
  /// open is retried on the next submit. Call on the event-loop thread.
  void reopen() override;

  /// Successful fdatasync() calls so far (for tests and status pages).
  std::uint64_t syncs() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound

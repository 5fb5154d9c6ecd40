// Stage: sink. FileSink: alerts appended as NDJSON to a file.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "newshound/sink/sink.hpp"

namespace newshound {

struct FileSinkOptions {
  std::filesystem::path path;
  std::size_t queue_bytes = 64u << 20;  ///< bounded queue while writes fail
};

/// Appends alerts to `path` (O_APPEND|O_CREAT, mode 0644), creating missing parent
/// directories. Open and write errors are counted, logged (rate-limited) and
/// retried on the next submit; alerts wait in the bounded queue meanwhile.
class FileSink final : public Sink {
 public:
  FileSink(boost::asio::io_context& io, const std::string& name, FileSinkOptions opts);
  ~FileSink() override;

  const std::string& name() const override;
  void start() override;
  bool submit(std::shared_ptr<const Alert> alert) override;
  void stop(std::chrono::milliseconds grace, std::function<void()> done) override;
  SinkStats stats() const override;

  /// Closes and reopens the file (after logrotate moved it). Errors are logged and
  /// the open is retried on the next submit. Call on the event-loop thread.
  void reopen();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound

// Stage: sink. StdoutSink: alerts as NDJSON on standard output (or any fd).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/sink.hpp"

namespace newshound {

struct StdoutSinkOptions {
  int fd = 1;          ///< the descriptor written; not owned, never closed
  QueueOptions queue;  ///< bounded queue while writes fail
  bool operator==(const StdoutSinkOptions&) const = default;
};

/// Writes each alert's line to `fd`. Submitted alerts are batched and written by
/// one writev() loop posted to the event loop. A blocking descriptor can stall the
/// loop while the reader is slow (accepted: stdout is for debugging and pipes).
/// Write errors are counted, logged (rate-limited) and retried on the next submit.
class StdoutSink final : public Sink {
 public:
  StdoutSink(boost::asio::io_context& io, const std::string& name, StdoutSinkOptions opts = {});
  ~StdoutSink() override;

  const std::string& name() const override;
  void start() override;
  bool submit(std::shared_ptr<const Alert> alert) override;
  void stop(std::chrono::milliseconds grace, std::function<void()> done) override;
  SinkStats stats() const override;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace newshound

// Daemon: builds the sink for one [[output]] table. The config holds each sink's
// own options struct (OutputConfig::file, tcp, webhook, stdout_), so a sink gets
// the struct of its type as loaded; only a spooled output's queue is capped here.
#include "newshound/daemon/sink_factory.hpp"

#include <algorithm>
#include <limits>

#include "newshound/sink/file_sink.hpp"
#include "newshound/sink/jetstream_sink.hpp"
#include "newshound/sink/spooling_sink.hpp"
#include "newshound/sink/stdout_sink.hpp"
#include "newshound/sink/tcp_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"

namespace newshound {

namespace {

constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

/// A copy of `opts` whose queue holds at most `max_queue` bytes.
template <class Options>
Options capped(const Options& opts, std::size_t max_queue) {
  Options o = opts;
  o.queue.queue_bytes = std::min(o.queue.queue_bytes, max_queue);
  return o;
}

std::unique_ptr<Sink> make_unspooled(boost::asio::io_context& io, const OutputConfig& out,
                                     std::size_t max_queue) {
  if (out.type == "file")
    return std::make_unique<FileSink>(io, out.name, capped(out.file, max_queue));
  if (out.type == "webhook")
    return std::make_unique<WebhookSink>(io, out.name, capped(out.webhook, max_queue));
  if (out.type == "jetstream")
    return std::make_unique<JetStreamSink>(io, out.name, capped(out.jetstream, max_queue));
  if (out.type == "tcp") return std::make_unique<TcpSink>(io, out.name, capped(out.tcp, max_queue));
  return std::make_unique<StdoutSink>(io, out.name, capped(out.stdout_, max_queue));
}

}  // namespace

std::unique_ptr<Sink> make_sink(boost::asio::io_context& io, const OutputConfig& out) {
  if (!out.spool.enabled || out.type == "stdout") return make_unspooled(io, out, kUnbounded);
  // With a spool, little waits in memory: what the output cannot take goes to disk.
  std::unique_ptr<Sink> inner = make_unspooled(io, out, kSpooledQueueBytes);
  SpoolingSinkOptions o;  // the configured settings; the rest are the spool's own tuning
  o.spool = out.spool.options;
  o.fsync_interval = out.spool.fsync_interval;
  return std::make_unique<SpoolingSink>(io, std::move(inner), std::move(o));
}

}  // namespace newshound

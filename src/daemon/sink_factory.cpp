// Daemon: builds the sink for one [[output]] table.
#include "newshound/daemon/sink_factory.hpp"

#include <algorithm>

#include "newshound/sink/file_sink.hpp"
#include "newshound/sink/spooling_sink.hpp"
#include "newshound/sink/stdout_sink.hpp"
#include "newshound/sink/tcp_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"

namespace newshound {

namespace {

std::unique_ptr<Sink> make_unspooled(boost::asio::io_context& io, const OutputConfig& out) {
  if (out.type == "file") {
    FileSinkOptions o;
    o.path = out.path;
    o.queue.queue_bytes = out.queue_bytes;
    o.fsync = parse_fsync_policy(out.fsync).value_or(FsyncPolicy::interval);
    o.fsync_interval = out.fsync_interval;
    return std::make_unique<FileSink>(io, out.name, std::move(o));
  }
  if (out.type == "webhook") {
    WebhookSinkOptions o;
    std::string error;  // the URL was validated by load_config
    if (auto url = parse_webhook_url(out.url, error)) o.url = std::move(*url);
    o.url_text = out.url;
    o.headers = out.headers;
    o.batch_max = out.batch_max;
    o.batch_bytes = out.batch_bytes;
    o.queue = {out.queue_bytes, out.reconnect};
    o.timeout = out.timeout;
    o.dead_letter = out.dead_letter;
    return std::make_unique<WebhookSink>(io, out.name, std::move(o));
  }
  if (out.type == "tcp") {
    TcpSinkOptions o;
    o.host = out.connect->host;
    o.port = out.connect->port;
    o.queue = {out.queue_bytes, out.reconnect};
    o.ack = out.ack;
    o.max_unacked = out.max_unacked;
    return std::make_unique<TcpSink>(io, out.name, std::move(o));
  }
  StdoutSinkOptions o;
  o.queue.queue_bytes = out.queue_bytes;
  return std::make_unique<StdoutSink>(io, out.name, o);
}

}  // namespace

std::unique_ptr<Sink> make_sink(boost::asio::io_context& io, const OutputConfig& out) {
  if (!out.spool || out.type == "stdout") return make_unspooled(io, out);
  // With a spool, little waits in memory: what the output cannot take goes to disk.
  OutputConfig inner_cfg = out;
  inner_cfg.queue_bytes = std::min<std::size_t>(out.queue_bytes, kSpooledQueueBytes);
  std::unique_ptr<Sink> inner = make_unspooled(io, inner_cfg);
  SpoolingSinkOptions o;
  o.spool.dir = out.spool_dir;
  o.spool.max_bytes = out.spool_max_bytes;
  o.spool.fsync = parse_fsync_policy(out.fsync).value_or(FsyncPolicy::interval);
  o.fsync_interval = out.fsync_interval;
  return std::make_unique<SpoolingSink>(io, std::move(inner), std::move(o));
}

}  // namespace newshound

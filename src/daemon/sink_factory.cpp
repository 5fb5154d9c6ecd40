// Daemon: builds the sink for one [[output]] table.
#include "newshound/daemon/sink_factory.hpp"

#include "newshound/sink/file_sink.hpp"
#include "newshound/sink/stdout_sink.hpp"
#include "newshound/sink/tcp_sink.hpp"

namespace newshound {

std::unique_ptr<Sink> make_sink(boost::asio::io_context& io, const OutputConfig& out) {
  if (out.type == "file") {
    FileSinkOptions o;
    o.path = out.path;
    o.queue_bytes = out.queue_bytes;
    return std::make_unique<FileSink>(io, out.name, std::move(o));
  }
  if (out.type == "tcp") {
    TcpSinkOptions o;
    o.host = out.connect->host;
    o.port = out.connect->port;
    o.queue_bytes = out.queue_bytes;
    o.backoff_initial = out.reconnect.initial;
    o.backoff_max = out.reconnect.max;
    return std::make_unique<TcpSink>(io, out.name, std::move(o));
  }
  StdoutSinkOptions o;
  o.queue_bytes = out.queue_bytes;
  return std::make_unique<StdoutSink>(io, out.name, o);
}

}  // namespace newshound

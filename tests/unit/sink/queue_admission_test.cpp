// Stage: sink tests. The one admission rule every queued sink shares: an empty
// queue takes any one alert, however large; otherwise an alert is refused when it
// would put more than queue_bytes queued.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "newshound/sink/file_sink.hpp"
#include "newshound/sink/stdout_sink.hpp"
#include "newshound/sink/tcp_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"
#include "sink_test_util.hpp"

using namespace newshound;
using sinktest::make_alert;

namespace {

/// Submits one alert far above queue_bytes, then a small one, to an idle sink.
void check_admission(Sink& sink) {
  CHECK(sink.submit(make_alert(0, 4096)));
  CHECK_FALSE(sink.submit(make_alert(1)));
  const SinkStats st = sink.stats();
  CHECK(st.accepted == 1);
  CHECK(st.rejected == 1);
  CHECK(st.queued == 1);
  CHECK(st.queued_bytes == make_alert(0, 4096)->json.size());
}

QueueOptions tiny_queue() {
  QueueOptions q;
  q.queue_bytes = 64;
  return q;
}

}  // namespace

TEST_CASE("every sink's empty queue takes one alert larger than queue_bytes", "[sink][queue]") {
  boost::asio::io_context io;  // never run: nothing is delivered
  SECTION("tcp") {
    TcpSinkOptions o;
    o.host = "127.0.0.1";
    o.port = 9;
    o.queue = tiny_queue();
    TcpSink sink(io, "tcp:admission", o);
    check_admission(sink);
  }
  SECTION("webhook") {
    WebhookSinkOptions o;
    o.url.host = "127.0.0.1";
    o.url.port = 9;
    o.queue = tiny_queue();
    WebhookSink sink(io, "webhook:admission", o);
    check_admission(sink);
  }
  SECTION("file") {
    sinktest::TempDir dir;
    FileSinkOptions o;
    o.path = dir.path / "alerts.ndjson";
    o.queue = tiny_queue();
    FileSink sink(io, "file:admission", o);
    check_admission(sink);
  }
  SECTION("stdout") {
    StdoutSinkOptions o;
    o.fd = -1;  // never written: the loop does not run
    o.queue = tiny_queue();
    StdoutSink sink(io, "stdout:admission", o);
    check_admission(sink);
  }
}

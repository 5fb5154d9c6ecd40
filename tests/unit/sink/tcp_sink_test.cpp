// Stage: sink tests. TcpSink against a line server in the test, on 127.0.0.1 only:
// ordering, connecting before the server exists, connection killed mid-stream,
// bounded queue, stop() with grace.
#include <catch2/catch.hpp>

#include <boost/asio.hpp>
#include <set>
#include <string>
#include <vector>

#include "newshound/sink/tcp_sink.hpp"
#include "sink_test_util.hpp"

using namespace newshound;
using sinktest::make_alert;
using sinktest::run_until;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

const auto kLoopback = asio::ip::make_address_v4("127.0.0.1");

/// Accepts connections one after another and records every complete line.
/// With `kill_after` > 0, the first connection is reset once that many lines came.
class LineServer {
 public:
  LineServer(asio::io_context& io, std::uint16_t port, std::size_t kill_after = 0)
      : io_(io), acceptor_(io), kill_after_(kill_after) {
    const tcp::endpoint ep(kLoopback, port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    asio::co_spawn(io_, accept_loop(), asio::detached);
  }
  ~LineServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (current_) current_->close(ignored);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  std::vector<std::string> lines;
  int connections = 0;

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, s] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      ++connections;
      current_ = std::make_shared<tcp::socket>(std::move(s));
      co_await read_lines(current_, connections == 1 && kill_after_ > 0);
    }
  }

  asio::awaitable<void> read_lines(std::shared_ptr<tcp::socket> sock, bool kill) {
    std::string buf;
    char chunk[256];  // small reads: the kill lands mid-stream
    for (;;) {
      auto [ec, n] =
          co_await sock->async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      buf.append(chunk, n);
      std::size_t nl;
      while ((nl = buf.find('\n')) != std::string::npos) {
        lines.push_back(buf.substr(0, nl + 1));
        buf.erase(0, nl + 1);
      }
      if (kill && lines.size() >= kill_after_) {
        boost::system::error_code ignored;
        sock->set_option(asio::socket_base::linger(true, 0), ignored);  // RST, unread data lost
        sock->close(ignored);
        co_return;
      }
    }
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::size_t kill_after_;
  std::shared_ptr<tcp::socket> current_;
};

std::uint16_t free_port(asio::io_context& io) {
  tcp::acceptor a(io, tcp::endpoint(kLoopback, 0));
  return a.local_endpoint().port();
}

TcpSinkOptions options(std::uint16_t port) {
  TcpSinkOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.queue.backoff.initial = std::chrono::milliseconds(5);
  o.queue.backoff.max = std::chrono::milliseconds(40);
  return o;
}

std::vector<std::string> expected_lines(int n, std::size_t pad = 0) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(make_alert(i, pad)->json);
  return v;
}

}  // namespace

TEST_CASE("TcpSink delivers alerts in order", "[sink][tcp]") {
  asio::io_context io;
  LineServer server(io, 0);
  TcpSink sink(io, "tcp:test", options(server.port()));
  sink.start();
  for (int i = 0; i < 200; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.lines.size() >= 200; }));
  CHECK(server.lines == expected_lines(200));
  CHECK(sink.connected());
  const SinkStats st = sink.stats();
  CHECK(st.accepted == 200);
  CHECK(st.sent == 200);
  CHECK(st.queued == 0);
  CHECK(st.queued_bytes == 0);
  CHECK(st.rejected == 0);
}

TEST_CASE("TcpSink started before its server reconnects and delivers the queue", "[sink][tcp]") {
  asio::io_context io;
  const std::uint16_t port = free_port(io);
  TcpSink sink(io, "tcp:late", options(port));
  sink.start();
  for (int i = 0; i < 30; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return sink.stats().failed >= 2; }));  // refused, retried
  CHECK_FALSE(sink.connected());
  CHECK(sink.stats().queued == 30);

  LineServer server(io, port);
  REQUIRE(run_until(io, [&] { return server.lines.size() >= 30; }));
  CHECK(server.lines == expected_lines(30));
  CHECK(sink.stats().sent == 30);
}

TEST_CASE("TcpSink loses nothing when the connection is killed mid-stream", "[sink][tcp]") {
  asio::io_context io;
  LineServer server(io, 0, /*kill_after=*/40);
  TcpSink sink(io, "tcp:kill", options(server.port()));
  sink.start();
  constexpr int kCount = 400;
  const auto want = expected_lines(kCount, 64);
  const std::set<std::string> want_set(want.begin(), want.end());
  int next = 0;
  auto all_arrived = [&] {
    // Keep feeding while the connection is up so the kill hits a busy stream.
    while (next < kCount && sink.stats().queued < 50) REQUIRE(sink.submit(make_alert(next++, 64)));
    if (next < kCount) return false;
    const std::set<std::string> got(server.lines.begin(), server.lines.end());
    return got == want_set;
  };
  REQUIRE(run_until(io, all_arrived));
  CHECK(server.connections >= 2);
  CHECK(sink.stats().failed >= 1);
  CHECK(sink.stats().sent == kCount);  // resends are not counted twice
  // Each line is whole and known (nothing torn), first occurrences in order.
  std::vector<std::string> first;
  std::set<std::string> seen;
  for (const auto& l : server.lines) {
    REQUIRE(want_set.count(l) == 1);
    if (seen.insert(l).second) first.push_back(l);
  }
  CHECK(first == want);
}

TEST_CASE("TcpSink queue is bounded in bytes", "[sink][tcp]") {
  asio::io_context io;
  auto opts = options(free_port(io));
  const std::size_t one = make_alert(0)->json.size();
  opts.queue.queue_bytes = 3 * one;
  TcpSink sink(io, "tcp:full", opts);
  sink.start();
  CHECK(sink.submit(make_alert(0)));
  CHECK(sink.submit(make_alert(1)));
  CHECK(sink.submit(make_alert(2)));
  CHECK_FALSE(sink.submit(make_alert(3)));
  CHECK_FALSE(sink.submit(make_alert(4)));
  sinktest::run_for(io, std::chrono::milliseconds(20));
  SinkStats st = sink.stats();
  CHECK(st.accepted == 3);
  CHECK(st.rejected == 2);
  CHECK(st.queued == 3);
  CHECK(st.queued_bytes == 3 * one);
}

TEST_CASE("TcpSink stop() flushes within the grace period", "[sink][tcp]") {
  asio::io_context io;
  LineServer server(io, 0);
  TcpSink sink(io, "tcp:stop", options(server.port()));
  sink.start();
  for (int i = 0; i < 100; ++i) REQUIRE(sink.submit(make_alert(i)));
  bool done = false;
  sink.stop(std::chrono::seconds(5), [&] { done = true; });
  CHECK_FALSE(sink.submit(make_alert(100)));  // no longer accepting
  REQUIRE(run_until(io, [&] { return done; }));
  CHECK(sink.stats().sent == 100);
  CHECK(sink.stats().rejected == 1);
  REQUIRE(run_until(io, [&] { return server.lines.size() >= 100; }));
  CHECK(server.lines == expected_lines(100));
}

TEST_CASE("TcpSink stop() gives up after the grace period", "[sink][tcp]") {
  asio::io_context io;
  TcpSink sink(io, "tcp:nowhere", options(free_port(io)));
  sink.start();
  for (int i = 0; i < 5; ++i) REQUIRE(sink.submit(make_alert(i)));
  bool done = false;
  sink.stop(std::chrono::milliseconds(50), [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done; }));
  CHECK(sink.stats().sent == 0);
  CHECK(sink.stats().queued == 5);  // reported, not silently dropped
  CHECK_FALSE(sink.connected());
}

TEST_CASE("TcpSink takes one alert larger than queue_bytes into an empty queue", "[sink][tcp]") {
  asio::io_context io;
  LineServer server(io, 0);
  auto opts = options(server.port());
  const auto big = make_alert(0, 4096);
  opts.queue.queue_bytes = 64;  // far below the alert
  TcpSink sink(io, "tcp:big", opts);
  sink.start();
  REQUIRE(sink.submit(big));                // the one admission rule: an empty queue takes it
  CHECK_FALSE(sink.submit(make_alert(1)));  // and the next waits for room
  REQUIRE(run_until(io, [&] { return server.lines.size() >= 1; }));
  CHECK(server.lines == std::vector<std::string>{big->json});
  const SinkStats st = sink.stats();
  CHECK(st.accepted == 1);
  CHECK(st.rejected == 1);
  CHECK(st.sent == 1);
  CHECK(st.queued_bytes == 0);
  CHECK(sink.submit(make_alert(2)));  // empty again: room for the next
}

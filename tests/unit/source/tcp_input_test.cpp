// Tests (source): the TCP input in-process on loopback: it stops reading while
// its batches are in flight (by count and by bytes) and resumes when they
// finish; it closes idle clients; in ack mode it writes the consumer's replies
// back and keeps a half-closed connection open until every line is settled; a
// dialled peer that accepts and closes at once is retried ever more slowly, with
// its warnings rate-limited; stopped, it is busy until its connections ended.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "newshound/source/tcp_input.hpp"

using namespace newshound;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
/// Keeps every batch's `done` until the test releases it.
struct HoldingConsumer final : LineConsumer {
  void consume(LineBatch batch, std::function<void()> done) override {
    lines += batch.lines.size();
    bytes += batch.bytes.size();
    batches.push_back(std::move(batch));
    dones.push_back(std::move(done));
  }
  void end_stream(std::uint64_t) override { ++ended; }
  void release_all() {
    auto d = std::move(dones);
    dones.clear();
    for (auto& f : d) f();
  }
  std::vector<LineBatch> batches;
  std::vector<std::function<void()>> dones;
  std::size_t lines = 0, bytes = 0, ended = 0;
};

TcpInputOptions options() {
  TcpInputOptions o;
  o.name = "test";
  o.host = "127.0.0.1";
  o.port = 0;
  return o;
}

/// Runs `io` until `pred` holds or 10 s pass.
bool run_until(asio::io_context& io, const std::function<bool()>& pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!pred() && std::chrono::steady_clock::now() < until)
    io.run_for(std::chrono::milliseconds(5));
  return pred();
}
}  // namespace

TEST_CASE("tcp input: pauses at max_inflight_bytes and resumes when batches finish") {
  asio::io_context io;
  HoldingConsumer consumer;
  auto o = options();
  o.max_inflight_bytes = 64 * 1024;
  o.max_inflight_batches = 1000;  // only the byte bound applies here
  TcpInput input(io, TcpInput::Mode::listen, o, consumer);
  REQUIRE(input.bind().empty());
  input.start();
  tcp::socket client(io);
  client.open(tcp::v4());
  client.set_option(asio::socket_base::send_buffer_size(8192));
  client.connect(tcp::endpoint(asio::ip::address_v4::loopback(), input.local_port()));
  const std::string line = std::string(999, 'x') + "\n";
  constexpr std::size_t kLines = 16000;  // 16 MB: more than the socket buffers hold
  std::string payload;
  for (std::size_t i = 0; i < kLines; ++i) payload += line;
  bool written = false;
  asio::async_write(client, asio::buffer(payload),
                    [&](boost::system::error_code ec, std::size_t) { written = !ec; });
  REQUIRE(run_until(io, [&] { return input.stats().paused == 1; }));
  io.run_for(std::chrono::milliseconds(200));
  CHECK(input.stats().paused == 1);
  // Paused as soon as the bound was reached: at most one read chunk beyond it.
  CHECK(consumer.bytes >= o.max_inflight_bytes);
  CHECK(consumer.bytes < o.max_inflight_bytes + 128 * 1024);
  CHECK_FALSE(written);
  // Finishing the batches lets it read on, pause by pause, to the end.
  REQUIRE(run_until(io, [&] {
    consumer.release_all();
    return consumer.lines == kLines;
  }));
  REQUIRE(run_until(io, [&] { return written; }));
  CHECK(input.stats().paused_seconds() > 0.15);
  consumer.release_all();
  CHECK(run_until(io, [&] { return input.stats().paused == 0; }));
  input.stop();
}

TEST_CASE("tcp input: pauses at max_inflight_batches") {
  asio::io_context io;
  HoldingConsumer consumer;
  auto o = options();
  o.max_inflight_batches = 2;
  TcpInput input(io, TcpInput::Mode::listen, o, consumer);
  REQUIRE(input.bind().empty());
  input.start();
  tcp::socket client(io);
  client.connect(tcp::endpoint(asio::ip::address_v4::loopback(), input.local_port()));
  for (int i = 0; i < 5; ++i) {
    asio::write(client, asio::buffer(std::string("{\"n\":1}\n")));
    io.run_for(std::chrono::milliseconds(30));  // one read, one batch
  }
  CHECK(consumer.batches.size() == 2);
  CHECK(input.stats().paused == 1);
  REQUIRE(run_until(io, [&] {
    consumer.release_all();
    return consumer.lines == 5;
  }));
  input.stop();
}

TEST_CASE("tcp input: an idle client is closed after idle_timeout and counted") {
  asio::io_context io;
  HoldingConsumer consumer;
  auto o = options();
  o.idle_timeout = std::chrono::milliseconds(100);
  TcpInput input(io, TcpInput::Mode::listen, o, consumer);
  REQUIRE(input.bind().empty());
  input.start();
  tcp::socket client(io);
  client.connect(tcp::endpoint(asio::ip::address_v4::loopback(), input.local_port()));
  REQUIRE(run_until(io, [&] { return input.stats().idle_timeouts == 1; }));
  char c;
  boost::system::error_code ec;
  client.read_some(asio::buffer(&c, 1), ec);
  CHECK(ec == asio::error::eof);
  REQUIRE(run_until(io, [&] { return input.stats().active == 0; }));
  input.stop();
}

TEST_CASE("tcp input: ack mode writes the replies and waits for them after a half-close") {
  asio::io_context io;
  HoldingConsumer consumer;
  auto o = options();
  o.ack = true;
  TcpInput input(io, TcpInput::Mode::listen, o, consumer);
  REQUIRE(input.bind().empty());
  input.start();
  tcp::socket client(io);
  client.connect(tcp::endpoint(asio::ip::address_v4::loopback(), input.local_port()));
  asio::write(client, asio::buffer(std::string("{\"a\":1}\n\n{\"b\":2}")));
  client.shutdown(tcp::socket::shutdown_send);
  REQUIRE(run_until(io, [&] { return consumer.lines == 3; }));
  io.run_for(std::chrono::milliseconds(100));
  CHECK(input.stats().active == 1);  // held open: nothing settled yet
  REQUIRE(consumer.batches.front().acks != nullptr);
  auto acks = consumer.batches.front().acks;
  acks->settled("one");
  acks->settled(std::nullopt);  // the blank line: no reply
  io.run_for(std::chrono::milliseconds(50));
  CHECK(input.stats().active == 1);
  acks->settled("three");
  consumer.release_all();
  REQUIRE(run_until(io, [&] { return input.stats().active == 0; }));
  std::string got;
  boost::system::error_code ec;
  asio::read(client, asio::dynamic_buffer(got), ec);
  CHECK(ec == asio::error::eof);
  CHECK(got == "{\"ack\":\"one\"}\n{\"ack\":\"three\"}\n");
  CHECK(input.stats().acks == 2);
  input.stop();
}

namespace {
/// A feed that accepts every connection, optionally writes `greeting`, and
/// closes it at once; counts the connections.
struct SlammingPeer {
  explicit SlammingPeer(asio::io_context& io, std::string greeting = "")
      : acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
        hello(std::move(greeting)) {
    accept();
  }
  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket sock) {
      if (ec) return;
      ++accepted;
      boost::system::error_code ignored;
      if (!hello.empty()) asio::write(sock, asio::buffer(hello), ignored);
      sock.close(ignored);
      accept();
    });
  }
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
  tcp::acceptor acceptor;
  std::string hello;
  int accepted = 0;
};

/// Sends spdlog's default logger to a string for the scope's lifetime.
struct CapturedLog {
  CapturedLog() : saved(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(saved); }
  std::size_t count(const std::string& what) const {
    const std::string text = out.str();
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> saved;
};

void run_for(asio::io_context& io, std::chrono::milliseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) io.run_for(std::chrono::milliseconds(5));
}
}  // namespace

TEST_CASE("tcp input: a feed that accepts and closes at once is retried with a growing backoff") {
  asio::io_context io;
  HoldingConsumer consumer;
  SlammingPeer peer(io);
  CapturedLog log;
  auto o = options();
  o.port = peer.port();
  o.reconnect = BackoffPolicy{std::chrono::milliseconds(100), std::chrono::seconds(30)};
  TcpInput input(io, TcpInput::Mode::connect, o, consumer);
  input.start();
  run_for(io, std::chrono::seconds(3));
  input.stop();
  io.run_for(std::chrono::milliseconds(20));
  // A fixed 100 ms wait made ~30 connections in 3 s; doubling bounds (100, 200,
  // 400 ... ms, full jitter) leave well under 15.
  INFO("connections: " << peer.accepted);
  CHECK(peer.accepted >= 2);
  CHECK(peer.accepted < 15);
  // Rate-limited: one warning and one "connected" line per 10 s, not one per retry.
  INFO(log.out.str());
  CHECK(log.count("closed the connection") == 1);
  CHECK(log.count("connected to") == 1);
}

TEST_CASE("tcp input: a feed connection that delivered a line resets the backoff") {
  asio::io_context io;
  HoldingConsumer consumer;
  SlammingPeer peer(io, "{\"uri\":\"a\"}\n");
  CapturedLog log;
  auto o = options();
  o.port = peer.port();
  o.reconnect = BackoffPolicy{std::chrono::milliseconds(100), std::chrono::seconds(30)};
  TcpInput input(io, TcpInput::Mode::connect, o, consumer);
  input.start();
  run_for(io, std::chrono::seconds(2));
  consumer.release_all();
  input.stop();
  io.run_for(std::chrono::milliseconds(20));
  // Every connection was healthy: each retry waits at most `initial` (100 ms).
  INFO("connections: " << peer.accepted);
  CHECK(peer.accepted >= 10);
  CHECK(consumer.lines >= 10);
}

TEST_CASE("tcp input: busy after stop() until every connection's last lines are handed over") {
  // The daemon's drain stops the outputs only once no input is busy: a read that
  // completed just before stop() is still framed and consumed when its coroutine
  // resumes, and its alerts must find the outputs open.
  asio::io_context io;
  HoldingConsumer consumer;
  TcpInput input(io, TcpInput::Mode::listen, options(), consumer);
  REQUIRE(input.bind().empty());
  input.start();
  CHECK_FALSE(input.busy());
  tcp::socket client(io);
  client.connect(tcp::endpoint(asio::ip::address_v4::loopback(), input.local_port()));
  asio::write(client, asio::buffer(std::string("{\"uri\":\"a\"}\n{\"uri\":\"b\"}\n")));
  REQUIRE(run_until(io, [&] { return consumer.lines == 2; }));
  CHECK(input.busy());
  input.stop();
  CHECK(input.busy());  // its read loop has not seen the close yet
  REQUIRE(run_until(io, [&] { return !input.busy(); }));
  CHECK(consumer.ended == 1);  // the stream ended: nothing more comes from it
  CHECK(consumer.lines == 2);
}

// Tests (source): the http input in-process on loopback with a consumer that
// settles at once: the answer merges the records refused while splitting
// (too_large) with those the consumer refused, in body order; a consumer that
// holds its batches fills the input's room, and the next request gets 503 with
// Retry-After, its body unread, until the batches finish.
#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "newshound/source/http_input.hpp"

using namespace newshound;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

/// Refuses records whose text holds "bad" (as no_text), accepts the others; holds
/// each batch's `done` while `hold` is set.
struct JudgingConsumer final : LineConsumer {
  void consume(LineBatch batch, std::function<void()> done) override {
    for (std::size_t i = 0; i < batch.lines.size(); ++i) {
      if (batch.line(i).find("bad") != std::string_view::npos)
        batch.acks->refused("no_text");
      else
        batch.acks->settled("id");
    }
    if (hold)
      held.push_back(std::move(done));
    else
      done();
  }
  void end_stream(std::uint64_t) override { ++ended; }
  bool hold = false;
  std::vector<std::function<void()>> held;
  int ended = 0;
};

/// Sends `request` to 127.0.0.1:port and returns the whole answer (the input
/// closes after an error; a 200 is read up to its Content-Length).
std::string round_trip(std::uint16_t port, const std::string& request) {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  asio::write(s, asio::buffer(request));
  std::string out;
  char buf[4096];
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
    const auto end = out.find("\r\n\r\n");
    const auto cl = out.find("Content-Length: ");
    if (end != std::string::npos && cl != std::string::npos &&
        out.size() >= end + 4 + std::stoul(out.substr(cl + 16)))
      break;
  }
  return out;
}

std::string post(const std::string& body) {
  return "POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Running {
  Running(JudgingConsumer& c, TcpInputOptions o, HttpInputOptions h)
      : input(io, std::move(o), std::move(h), c) {
    REQUIRE(input.bind().empty());
    input.start();
    thread = std::thread([this] { io.run(); });
  }
  ~Running() {
    asio::post(io, [this] {
      input.stop();
      work.reset();
    });
    thread.join();
  }
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  HttpInput input;
  std::thread thread;
};

TcpInputOptions listen_options() {
  TcpInputOptions o;
  o.name = "push";
  o.host = "127.0.0.1";
  o.max_line_bytes = 64;
  return o;
}

}  // namespace

TEST_CASE("http input: refused records, from splitting and from the consumer, in body order") {
  JudgingConsumer c;
  Running r(c, listen_options(), HttpInputOptions{});
  const std::string big(100, 'x');
  const std::string answer = round_trip(
      r.input.local_port(), post("{\"a\":1}\n{\"bad\":1}\n{\"" + big + "\":1}\n\n{\"b\":2}\n"));
  CHECK(answer.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(
      answer.ends_with("\r\n\r\n{\"accepted\":2,\"rejected\":[{\"line\":2,\"reason\":\"no_text\"},"
                       "{\"line\":3,\"reason\":\"too_large\"}]}\n"));
  CHECK(r.input.stats().accepted == 2);
  CHECK(r.input.stats().rejected == 2);
}

TEST_CASE("http input: a consumer holding its batches gets 503, then 200 once they finish") {
  JudgingConsumer c;
  c.hold = true;
  TcpInputOptions o = listen_options();
  o.max_inflight_batches = 2;
  HttpInputOptions h;
  h.accept_timeout = std::chrono::milliseconds(200);
  Running r(c, o, h);
  const std::uint16_t port = r.input.local_port();
  CHECK(round_trip(port, post("{\"a\":1}\n")).starts_with("HTTP/1.1 200 OK"));
  CHECK(round_trip(port, post("{\"a\":2}\n")).starts_with("HTTP/1.1 200 OK"));
  // Two batches held: no room for a third.
  const std::string refused = round_trip(port, post("{\"a\":3}\n"));
  CHECK(refused.starts_with("HTTP/1.1 503 Service Unavailable"));
  CHECK(refused.find("Retry-After: 1\r\n") != std::string::npos);
  std::promise<void> released;
  asio::post(r.io, [&] {
    for (auto& d : c.held) d();
    c.held.clear();
    c.hold = false;
    released.set_value();
  });
  released.get_future().wait();
  CHECK(round_trip(port, post("{\"a\":4}\n")).starts_with("HTTP/1.1 200 OK"));
}

// Stage: sink tests. TcpSink with acknowledged delivery (`ack = true`) against a
// receiver in the test, on 127.0.0.1 only: sent only when acknowledged, resend of
// the unacknowledged window after a reconnect, the window bound, bad acks counted,
// stop() waiting for acks. Also the private ack line parser.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <boost/asio.hpp>
#include <string>
#include <vector>

#include "newshound/sink/tcp_sink.hpp"
#include "sink/tcp_ack.hpp"
#include "sink_test_util.hpp"

using namespace newshound;
using sinktest::make_alert;
using sinktest::run_until;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

const auto kLoopback = asio::ip::make_address_v4("127.0.0.1");

std::string id_of(const std::string& line) {
  return std::string(boost::json::parse(line).at("id").as_string());
}

std::string ack(const std::string& id) {
  return "{\"ack\":\"" + id + "\"}\n";
}

/// Accepts connections one after another and records the lines of each. With
/// auto_ack, answers every line with its ack; otherwise the test sends acks.
class AckServer {
 public:
  explicit AckServer(asio::io_context& io) : acceptor_(io, tcp::endpoint(kLoopback, 0)) {
    asio::co_spawn(io, accept_loop(), asio::detached);
  }
  ~AckServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (current_) current_->close(ignored);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t total() const {
    std::size_t n = 0;
    for (const auto& c : conns) n += c.size();
    return n;
  }
  /// Writes raw bytes to the current connection.
  void send(const std::string& bytes) {
    REQUIRE(current_);
    asio::write(*current_, asio::buffer(bytes));
  }
  /// Resets the current connection (unread data lost).
  void kill() {
    boost::system::error_code ignored;
    current_->set_option(asio::socket_base::linger(true, 0), ignored);
    current_->close(ignored);
  }

  bool auto_ack = false;
  std::vector<std::vector<std::string>> conns;  ///< lines (without '\n') per connection

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, s] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      conns.emplace_back();
      current_ = std::make_shared<tcp::socket>(std::move(s));
      co_await read_lines(current_, conns.size() - 1);
    }
  }

  asio::awaitable<void> read_lines(std::shared_ptr<tcp::socket> sock, std::size_t idx) {
    std::string buf, acks;
    char chunk[4096];
    for (;;) {
      auto [ec, n] =
          co_await sock->async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      buf.append(chunk, n);
      acks.clear();
      std::size_t nl;
      while ((nl = buf.find('\n')) != std::string::npos) {
        conns[idx].push_back(buf.substr(0, nl));
        if (auto_ack) acks += ack(id_of(conns[idx].back()));
        buf.erase(0, nl + 1);
      }
      boost::system::error_code wec;
      if (!acks.empty()) asio::write(*sock, asio::buffer(acks), wec);
    }
  }

  tcp::acceptor acceptor_;
  std::shared_ptr<tcp::socket> current_;
};

/// A TcpSink with ack on, fast reconnects, recording the ids it reports sent.
struct AckedSink {
  AckedSink(asio::io_context& io, std::uint16_t port, std::size_t max_unacked = 4096) {
    TcpSinkOptions o;
    o.host = "127.0.0.1";
    o.port = port;
    o.queue.backoff.initial = std::chrono::milliseconds(5);
    o.queue.backoff.max = std::chrono::milliseconds(40);
    o.ack = true;
    o.max_unacked = max_unacked;
    sink = std::make_unique<TcpSink>(io, "tcp:ack", o);
    sink->set_sent_callback(
        [this](const std::shared_ptr<const Alert>& a) { sent.push_back(a->id); });
    sink->start();
  }
  std::unique_ptr<TcpSink> sink;
  std::vector<std::string> sent;
};

std::vector<std::string> ids(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back(make_alert(i)->id);
  return v;
}

std::vector<std::string> ids_of(const std::vector<std::string>& lines) {
  std::vector<std::string> v;
  for (const auto& l : lines) v.push_back(id_of(l));
  return v;
}

}  // namespace

TEST_CASE("TcpSink with ack counts an alert sent only once it is acknowledged",
          "[sink][tcp][ack]") {
  asio::io_context io;
  AckServer server(io);
  AckedSink s(io, server.port());
  for (int i = 0; i < 10; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.total() >= 10; }));
  sinktest::run_for(io, std::chrono::milliseconds(20));
  SinkStats st = s.sink->stats();
  CHECK(st.sent == 0);
  CHECK(st.unacked == 10);
  CHECK(st.queued == 10);  // written, not yet delivered for good
  CHECK(s.sent.empty());

  std::string first4;
  for (int i = 0; i < 4; ++i) first4 += ack(make_alert(i)->id);
  server.send(first4);
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 4; }));
  CHECK(s.sent == ids(0, 4));
  CHECK(s.sink->stats().unacked == 6);

  std::string rest;
  for (int i = 4; i < 10; ++i) rest += ack(make_alert(i)->id);
  server.send(rest);
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 10; }));
  st = s.sink->stats();
  CHECK(s.sent == ids(0, 10));
  CHECK(st.unacked == 0);
  CHECK(st.queued == 0);
  CHECK(st.queued_bytes == 0);
  CHECK(st.ack_errors == 0);
}

TEST_CASE("TcpSink with ack resends the unacknowledged alerts in order after a reconnect",
          "[sink][tcp][ack]") {
  asio::io_context io;
  AckServer server(io);
  AckedSink s(io, server.port());
  for (int i = 0; i < 20; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.total() >= 20; }));
  std::string first5;
  for (int i = 0; i < 5; ++i) first5 += ack(make_alert(i)->id);
  server.send(first5);
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 5; }));
  server.kill();  // the receiver dies with 15 alerts unacknowledged
  server.auto_ack = true;
  REQUIRE(run_until(io, [&] { return server.conns.size() >= 2 && server.conns[1].size() >= 15; }));
  // The acknowledged five are not sent again; the others come first, in order.
  CHECK(ids_of(server.conns[1]) == ids(5, 20));
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 20; }));
  CHECK(s.sent == ids(0, 20));  // each reported once, in order
  CHECK(s.sink->stats().failed >= 1);

  // New alerts follow on the new connection.
  for (int i = 20; i < 25; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 25; }));
  CHECK(ids_of(server.conns[1]) == ids(5, 25));
  CHECK(s.sink->stats().unacked == 0);
}

TEST_CASE("TcpSink with ack writes at most max_unacked alerts ahead of the acks",
          "[sink][tcp][ack]") {
  asio::io_context io;
  AckServer server(io);
  AckedSink s(io, server.port(), /*max_unacked=*/8);
  for (int i = 0; i < 50; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.total() >= 8; }));
  sinktest::run_for(io, std::chrono::milliseconds(50));  // give a wrong sink time to write more
  CHECK(server.total() == 8);
  CHECK(s.sink->stats().unacked == 8);
  CHECK(s.sink->stats().queued == 50);

  server.send(ack(make_alert(0)->id) + ack(make_alert(1)->id) + ack(make_alert(2)->id));
  REQUIRE(run_until(io, [&] { return server.total() >= 11; }));
  sinktest::run_for(io, std::chrono::milliseconds(50));
  CHECK(server.total() == 11);
  CHECK(s.sink->stats().sent == 3);

  // Acknowledging as they come drains the rest, the window cycling many times.
  server.auto_ack = true;
  std::string acks;
  for (int i = 3; i < 11; ++i) acks += ack(make_alert(i)->id);
  server.send(acks);
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 50; }));
  CHECK(ids_of(server.conns[0]) == ids(0, 50));
  CHECK(s.sent == ids(0, 50));
}

TEST_CASE("TcpSink with ack counts unknown, out-of-order and unreadable acks and goes on",
          "[sink][tcp][ack]") {
  asio::io_context io;
  AckServer server(io);
  AckedSink s(io, server.port());
  for (int i = 0; i < 5; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.total() >= 5; }));
  server.send("hello\n");                      // not JSON
  server.send("{\"ack\":\"nope\"}\n");         // no such alert
  server.send("{\"ack\":42}\n");               // not a string
  server.send("[\"ack\",\"id-0\"]\n");         // not an object
  server.send(std::string(5000, 'x') + "\n");  // over-long
  server.send("\r\n\n");                       // empty lines are ignored
  REQUIRE(run_until(io, [&] { return s.sink->stats().ack_errors >= 5; }));
  CHECK(s.sink->stats().sent == 0);
  // Cumulative: an ack for the third alert acknowledges the two before it (one error).
  server.send(ack(make_alert(2)->id));
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 3; }));
  CHECK(s.sink->stats().ack_errors == 6);
  server.send(ack(make_alert(1)->id));  // already acknowledged: unknown now
  // An ack split over two writes, with a CRLF ending.
  server.send("{\"ack\":\"id-");
  sinktest::run_for(io, std::chrono::milliseconds(10));
  server.send("3\"}\r\n");
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 4; }));
  CHECK(s.sink->stats().ack_errors == 7);
  server.send(ack(make_alert(4)->id));
  REQUIRE(run_until(io, [&] { return s.sink->stats().sent >= 5; }));
  CHECK(s.sent == ids(0, 5));
  CHECK(s.sink->connected());  // bad acks never cost the connection
  CHECK(server.conns.size() == 1);
  CHECK(s.sink->stats().unacked == 0);
}

TEST_CASE("TcpSink with ack: stop() waits for the acks within the grace period",
          "[sink][tcp][ack]") {
  asio::io_context io;
  AckServer server(io);
  AckedSink s(io, server.port());
  for (int i = 0; i < 5; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.total() >= 5; }));
  bool done = false;
  s.sink->stop(std::chrono::seconds(20), [&] { done = true; });
  sinktest::run_for(io, std::chrono::milliseconds(50));
  CHECK_FALSE(done);  // all written, none acknowledged: still waiting
  std::string acks;
  for (int i = 0; i < 5; ++i) acks += ack(make_alert(i)->id);
  server.send(acks);
  REQUIRE(run_until(io, [&] { return done; }));
  CHECK(s.sink->stats().sent == 5);
  CHECK(s.sent == ids(0, 5));
}

TEST_CASE("TcpSink with ack: stop() gives up after the grace period and reports the unacked",
          "[sink][tcp][ack]") {
  asio::io_context io;
  AckServer server(io);
  AckedSink s(io, server.port());
  for (int i = 0; i < 5; ++i) REQUIRE(s.sink->submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return server.total() >= 5; }));
  bool done = false;
  s.sink->stop(std::chrono::milliseconds(50), [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done; }));
  const SinkStats st = s.sink->stats();
  CHECK(st.sent == 0);
  CHECK(st.queued == 5);
  CHECK(st.unacked == 5);
  CHECK(s.sent.empty());
}

TEST_CASE("AckParser splits lines, bounds their length and reads the ack id", "[sink][ack]") {
  using detail::AckParser;
  AckParser p;
  auto kinds = [](const std::vector<AckParser::Line>& ls) {
    std::vector<std::string> v;
    for (const auto& l : ls)
      v.push_back(l.kind == AckParser::Kind::ack       ? "ack:" + std::string(l.id)
                  : l.kind == AckParser::Kind::garbage ? "bad:" + std::string(l.id)
                                                       : std::string("long"));
    return v;
  };
  CHECK(kinds(p.feed("{\"ack\":\"a\"}\n{\"ack\":\"b\"")).size() == 1);
  CHECK(kinds(p.feed("}\n{\"x\":1,\"ack\":\"c\"}\r\n")) ==
        std::vector<std::string>{"ack:b", "ack:c"});
  CHECK(kinds(p.feed("{\"ack\":\"\\u0041\"}\n{\"ack\":\"d\"} trailing\n")) ==
        std::vector<std::string>{"ack:A", "bad:{\"ack\":\"d\"} trailing"});
  // Over-long, arriving in pieces: reported once, skipped to its newline.
  CHECK(kinds(p.feed(std::string(AckParser::kMaxLine, 'x'))).empty());
  CHECK(kinds(p.feed(std::string(10, 'x'))) == std::vector<std::string>{"long"});
  CHECK(kinds(p.feed(std::string(3000, 'y') + "\n{\"ack\":\"e\"}\n")) ==
        std::vector<std::string>{"ack:e"});
  // Deep nesting is refused, not recursed into.
  CHECK(kinds(p.feed(std::string(500, '[') + "\n")).front().substr(0, 4) == "bad:");
  p.feed("{\"ack\":");
  p.reset();  // a new connection forgets the partial line
  CHECK(kinds(p.feed("\"f\"}\n{\"ack\":\"g\"}\n")) ==
        std::vector<std::string>{"bad:\"f\"}", "ack:g"});
}

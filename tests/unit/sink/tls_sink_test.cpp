// Stage: sink tests. The network sinks over TLS with real certificates
// (tests/support/make_test_certs.sh): an https webhook delivers to a TLS
// receiver; another CA, a wrong host name or an expired certificate is refused
// at the handshake, retried (never dead-lettered) and nothing reaches the
// receiver in clear; a tcp output with acks delivers over TLS.
#include <catch2/catch.hpp>

// GCC 12 at -O1 (the TSan build) reports Asio's awaitable frame, allocated by its
// own operator new and freed by its own operator delete, as a mismatched pair in
// this file's coroutine lambdas: a known false positive of -Wmismatched-new-delete.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <thread>

#include "http_test_server.hpp"
#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_context.hpp"
#include "newshound/sink/tcp_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"
#include "newshound/util/use_tuple.hpp"
#include "sink_test_util.hpp"
#include "support/test_certs.hpp"

using namespace newshound;
using namespace std::chrono_literals;
using sinktest::HttpTestServer;
using sinktest::make_alert;
using sinktest::run_until;
using testcerts::file;

namespace {

/// A TLS server context presenting `cert` (server.pem, other-server.pem, ...).
std::shared_ptr<boost::asio::ssl::context> server_context(const std::string& cert) {
  net::TlsOptions o = net::server_tls_defaults();
  o.crt_file = file(cert + ".pem");
  o.key_file = file(cert + ".key");
  auto r = net::make_tls_context(o, net::TlsRole::server);
  REQUIRE(r.context);
  return r.context;
}

WebhookSinkOptions https_to(std::uint16_t port) {
  WebhookSinkOptions o;
  o.url_text = "https://127.0.0.1:" + std::to_string(port) + "/hook";
  o.url = {"127.0.0.1", port, "/hook", "127.0.0.1:" + std::to_string(port), true};
  o.tls.enabled = true;
  o.tls.ca_file = file("ca.pem");
  o.queue.backoff.initial = 5ms;
  o.queue.backoff.max = 20ms;
  o.timeout = 2000ms;
  return o;
}

void stop_sink(boost::asio::io_context& io, Sink& sink) {
  bool done = false;
  sink.stop(100ms, [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done; }));
}

}  // namespace

TEST_CASE("an https webhook delivers to a TLS receiver", "[sink][webhook][tls]") {
  HttpTestServer server({}, 0, server_context("server"));
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:tls", https_to(server.port()));
  sink.start();
  for (int i = 0; i < 3; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 3; }));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);
  CHECK(reqs[0].headers.at("host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(server.connections() == 1);  // keep-alive over one TLS session
  CHECK(server.tls_failures() == 0);
  stop_sink(io, sink);
}

TEST_CASE("an https webhook refuses another CA, a wrong name, an expired certificate and retries",
          "[sink][webhook][tls]") {
  for (const char* cert : {"other-server", "named", "expired"}) {
    INFO(cert);
    HttpTestServer server({}, 0, server_context(cert));
    boost::asio::io_context io;
    WebhookSink sink(io, "webhook:tls", https_to(server.port()));
    sink.start();
    REQUIRE(sink.submit(make_alert(1)));
    REQUIRE(run_until(io, [&] { return server.tls_failures() >= 3; }));
    CHECK(server.requests().empty());
    const WebhookStats st = sink.webhook_stats();
    CHECK(st.sink.sent == 0);
    CHECK(st.dead_lettered == 0);
    CHECK(st.retries >= 2);
    CHECK(st.sink.queued == 1);  // still waiting: a retry, never a dead letter
    stop_sink(io, sink);
  }
}

TEST_CASE("an https webhook sends nothing in clear to a plain HTTP receiver",
          "[sink][webhook][tls]") {
  HttpTestServer server;  // no TLS: the ClientHello is no HTTP request
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:tls", https_to(server.port()));
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return server.connections() >= 3; }));
  CHECK(server.requests().empty());
  CHECK(sink.stats().sent == 0);
  CHECK(sink.webhook_stats().dead_lettered == 0);
  stop_sink(io, sink);
}

TEST_CASE("a tcp output with acks delivers over TLS, and retries a wrong certificate",
          "[sink][tcp][tls]") {
  for (const char* cert : {"server", "other-server"}) {
    INFO(cert);
    const bool good = std::string(cert) == "server";
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acc(io, {boost::asio::ip::address_v4::loopback(), 0});
    auto ctx = server_context(cert);
    std::string received;
    int handshakes_failed = 0;
    // The receiver: TLS, then an ack line for every alert line.
    std::function<boost::asio::awaitable<void>()> serve = [&]() -> boost::asio::awaitable<void> {
      for (;;) {
        auto s = std::make_shared<net::SocketStream>(io.get_executor());
        auto [aec] = co_await acc.async_accept(s->socket(), use_tuple);
        if (aec) co_return;
        if (!(co_await s->handshake_server(ctx, 5s)).empty()) {
          ++handshakes_failed;
          continue;
        }
        char buf[4096];
        for (;;) {
          auto [ec, n] = co_await s->read_some(boost::asio::buffer(buf));
          std::string acks;
          for (std::size_t at = 0; at < n;) {
            const std::size_t nl = std::string_view(buf + at, n - at).find('\n');
            if (nl == std::string_view::npos) break;
            const std::string line(buf + at, nl);
            received += line + "\n";
            const auto id_at = line.find("\"id\":\"") + 6;
            acks += "{\"ack\":\"" + line.substr(id_at, line.find('"', id_at) - id_at) + "\"}\n";
            at += nl + 1;
          }
          if (!acks.empty()) co_await s->write(boost::asio::buffer(acks));
          if (ec) break;
        }
      }
    };
    boost::asio::co_spawn(io, serve(), boost::asio::detached);
    TcpSinkOptions o;
    o.host = "127.0.0.1";
    o.port = acc.local_endpoint().port();
    o.ack = true;
    o.tls.enabled = true;
    o.tls.ca_file = file("ca.pem");
    o.queue.backoff.initial = 5ms;
    o.queue.backoff.max = 20ms;
    TcpSink sink(io, "tcp:tls", o);
    sink.start();
    for (int i = 0; i < 3; ++i) REQUIRE(sink.submit(make_alert(i)));
    if (good) {
      REQUIRE(run_until(io, [&] { return sink.stats().sent == 3; }));
      CHECK(received == make_alert(0)->json + make_alert(1)->json + make_alert(2)->json);
      CHECK(sink.connected());
    } else {
      REQUIRE(run_until(io, [&] { return handshakes_failed >= 3; }));
      CHECK(received.empty());
      CHECK(sink.stats().sent == 0);
      CHECK_FALSE(sink.connected());
    }
    stop_sink(io, sink);
    acc.close();
  }
}

TEST_CASE("a tcp output over TLS that stops after delivering ends its session with close_notify",
          "[sink][tcp][tls]") {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::acceptor acc(io, {asio::ip::address_v4::loopback(), 0});
  auto ctx = server_context("server");
  // The receiver is OpenSSL through Asio's SSL stream, which tells a close_notify
  // (eof) from a connection closed without one (stream_truncated).
  asio::ssl::stream<asio::ip::tcp::socket> peer(io, *ctx);
  std::string received;
  boost::system::error_code end = asio::error::would_block;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await acc.async_accept(peer.next_layer(), use_tuple);
        auto [hec] = co_await peer.async_handshake(asio::ssl::stream_base::server, use_tuple);
        if (hec) co_return;
        char buf[4096];
        for (;;) {
          auto [ec, n] = co_await peer.async_read_some(asio::buffer(buf), use_tuple);
          received.append(buf, n);
          if (ec) {
            end = ec;
            break;
          }
        }
        if (end == asio::error::eof) co_await peer.async_shutdown(use_tuple);  // ours back
      },
      asio::detached);
  TcpSinkOptions o;
  o.host = "127.0.0.1";
  o.port = acc.local_endpoint().port();
  o.tls.enabled = true;
  o.tls.ca_file = file("ca.pem");
  TcpSink sink(io, "tcp:tls-bye", o);
  sink.start();
  for (int i = 0; i < 3; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 3; }));
  const auto started = std::chrono::steady_clock::now();
  bool done = false;
  sink.stop(2000ms, [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done && end != asio::error::would_block; }));
  CHECK(received == make_alert(0)->json + make_alert(1)->json + make_alert(2)->json);
  CHECK(end == asio::error::eof);  // without our close_notify: stream_truncated
  // The receiver answered with its own: the stop did not wait out the deadline.
  CHECK(std::chrono::steady_clock::now() - started < net::kTlsShutdownTimeout);
}

TEST_CASE("an https webhook that stops after delivering ends its session with close_notify",
          "[sink][webhook][tls]") {
  HttpTestServer server({}, 0, server_context("server"));
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:tls-bye", https_to(server.port()));
  sink.start();
  REQUIRE(sink.submit(make_alert(0)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  CHECK(server.tls_clean_closes() == 0);
  bool done = false;
  sink.stop(2000ms, [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done; }));
  // The server counts a session the client ended with close_notify.
  for (int i = 0; i < 200 && server.tls_clean_closes() == 0; ++i) std::this_thread::sleep_for(10ms);
  CHECK(server.tls_clean_closes() == 1);
}

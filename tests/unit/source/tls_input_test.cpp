// Tests (source): the TCP input over TLS, with real certificates
// (tests/support/make_test_certs.sh): in connect mode it dials a TLS feed and
// reads its lines, and refuses (retrying, counted as connect failures) a feed
// whose certificate comes from another CA; in listen mode it serves TLS, and with
// verify_certificate requires a client certificate from its CA; a feed that ends
// its TLS session gets a close_notify back.
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_context.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/util/use_tuple.hpp"
#include "support/test_certs.hpp"

using namespace newshound;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;
using testcerts::file;

namespace {

struct CountingConsumer final : LineConsumer {
  void consume(LineBatch batch, std::function<void()> done) override {
    lines += batch.lines.size();
    done();
  }
  void end_stream(std::uint64_t) override {}
  std::size_t lines = 0;
};

bool run_until(asio::io_context& io, const std::function<bool()>& pred) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!pred() && std::chrono::steady_clock::now() < until) io.run_for(5ms);
  return pred();
}

net::TlsOptions server_tls(const std::string& cert) {
  net::TlsOptions o = net::server_tls_defaults();
  o.enabled = true;
  o.crt_file = file(cert + ".pem");
  o.key_file = file(cert + ".key");
  return o;
}

}  // namespace

TEST_CASE("tcp input: connect mode reads a TLS feed and refuses one from another CA") {
  for (const char* cert : {"server", "other-server"}) {
    INFO(cert);
    const bool good = std::string(cert) == "server";
    asio::io_context io;
    tcp::acceptor acc(io, {asio::ip::address_v4::loopback(), 0});
    auto ctx = net::make_tls_context(server_tls(cert), net::TlsRole::server).context;
    REQUIRE(ctx);
    int failed = 0;
    std::shared_ptr<net::SocketStream> feed;
    std::function<asio::awaitable<void>()> serve = [&]() -> asio::awaitable<void> {
      for (;;) {
        auto s = std::make_shared<net::SocketStream>(io.get_executor());
        auto [ec] = co_await acc.async_accept(s->socket(), use_tuple);
        if (ec) co_return;
        if (!(co_await s->handshake_server(ctx, 5s)).empty()) {
          ++failed;
          continue;
        }
        feed = s;  // kept open
        co_await s->write(asio::buffer(std::string_view("{\"uri\":\"a\"}\n{\"uri\":\"b\"}\n")));
      }
    };
    asio::co_spawn(io, serve(), asio::detached);
    CountingConsumer consumer;
    TcpInputOptions o;
    o.name = "tls-feed";
    o.host = "127.0.0.1";
    o.port = acc.local_endpoint().port();
    o.reconnect.initial = 5ms;
    o.reconnect.max = 20ms;
    o.tls.enabled = true;
    o.tls.ca_file = file("ca.pem");
    TcpInput input(io, TcpInput::Mode::connect, o, consumer);
    input.start();
    if (good) {
      REQUIRE(run_until(io, [&] { return consumer.lines == 2; }));
      CHECK(input.stats().connect_failures == 0);
    } else {
      REQUIRE(run_until(io, [&] { return failed >= 3; }));
      CHECK(consumer.lines == 0);
      CHECK(input.stats().connect_failures >= 3);
    }
    input.stop();
    acc.close();
    if (feed) feed->close();
    io.run_for(20ms);
  }
}

TEST_CASE("tcp input: listen mode serves TLS and, with verify_certificate, wants a client cert") {
  asio::io_context io;
  CountingConsumer consumer;
  TcpInputOptions o;
  o.name = "tls-listen";
  o.host = "127.0.0.1";
  o.tls = server_tls("server");
  o.tls.verify_certificate = true;
  o.tls.ca_file = file("ca.pem");
  TcpInput input(io, TcpInput::Mode::listen, o, consumer);
  REQUIRE(input.bind().empty());
  input.start();
  auto dial = [&](bool with_cert) {
    net::TlsOptions c;
    c.enabled = true;
    c.ca_file = file("ca.pem");
    if (with_cert) {
      c.crt_file = file("client.pem");
      c.key_file = file("client.key");
    }
    auto ctx = net::make_tls_context(c, net::TlsRole::client).context;
    REQUIRE(ctx);
    auto s = std::make_shared<net::SocketStream>(io.get_executor());
    asio::co_spawn(
        io,
        [&io, s, ctx, c, port = input.local_port()]() -> asio::awaitable<void> {
          co_await s->socket().async_connect({asio::ip::address_v4::loopback(), port}, use_tuple);
          if (!(co_await s->handshake_client(ctx, c, "127.0.0.1", 5s)).empty()) co_return;
          co_await s->write(asio::buffer(std::string_view("{\"uri\":\"x\"}\n")));
          (void)io;
        },
        asio::detached);
    return s;
  };
  auto with = dial(true);
  REQUIRE(run_until(io, [&] { return consumer.lines == 1; }));
  auto without = dial(false);  // TLS 1.3: the client learns of the refusal only on reading
  io.run_for(300ms);
  CHECK(consumer.lines == 1);
  input.stop();
  with->close();
  without->close();
  io.run_for(20ms);
}

TEST_CASE("tcp input: a TLS feed that ends its session gets a close_notify back") {
  asio::io_context io;
  CountingConsumer consumer;
  TcpInputOptions o;
  o.name = "tls-bye";
  o.host = "127.0.0.1";
  o.tls = server_tls("server");
  TcpInput input(io, TcpInput::Mode::listen, o, consumer);
  REQUIRE(input.bind().empty());
  input.start();
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(file("ca.pem").string());
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<tcp::socket> s(io, ctx);
  bool done = false;
  boost::system::error_code shutdown_ec = asio::error::would_block;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await s.next_layer().async_connect(
            {asio::ip::address_v4::loopback(), input.local_port()}, use_tuple);
        auto [hec] = co_await s.async_handshake(asio::ssl::stream_base::client, use_tuple);
        if (hec) {
          shutdown_ec = hec;
          done = true;
          co_return;
        }
        co_await asio::async_write(s, asio::buffer(std::string_view("{\"uri\":\"x\"}\n")),
                                   use_tuple);
        // Our close_notify; the input answers with its own instead of just closing.
        auto [sec] = co_await s.async_shutdown(use_tuple);
        shutdown_ec = sec;
        done = true;
      },
      asio::detached);
  REQUIRE(run_until(io, [&] { return done; }));
  CHECK(consumer.lines == 1);
  CHECK_FALSE(shutdown_ec);  // without the input's close_notify: stream truncated
  input.stop();
  io.run_for(20ms);
}

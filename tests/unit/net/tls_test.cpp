// Net tests: the TLS layer with real certificates (tests/support/make_test_certs.sh):
// context building and its errors, certificate inspection for `check`, and
// handshakes over 127.0.0.1 between two SocketStreams: a good one carries data;
// another CA, a wrong host name, an expired certificate, a missing or
// not-allowed client certificate are refused, with the reason in words.
#include <catch2/catch.hpp>

#include <boost/asio.hpp>
#include <chrono>

#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_context.hpp"
#include "newshound/net/tls_inspect.hpp"
#include "newshound/util/use_tuple.hpp"
#include "support/test_certs.hpp"

using namespace newshound;
using namespace newshound::net;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using testcerts::file;

namespace {

TlsOptions server_opts(const std::string& cert = "server") {
  TlsOptions o = server_tls_defaults();
  o.enabled = true;
  o.crt_file = file(cert + ".pem");
  o.key_file = file(cert + ".key");
  return o;
}

TlsOptions client_opts(const std::string& ca = "ca") {
  TlsOptions o;
  o.enabled = true;
  o.ca_file = file(ca + ".pem");
  return o;
}

struct Outcome {
  std::string client, server;  ///< "" = handshake succeeded
  std::string_view reason;     ///< the server's label for its failure
  std::string received;        ///< what the server read after a good handshake
};

/// One handshake over 127.0.0.1; after a good one the client sends "hello\n".
Outcome handshake(const TlsOptions& c, const TlsOptions& s, const std::string& host = "127.0.0.1") {
  asio::io_context io;
  const auto sctx = make_tls_context(s, TlsRole::server);
  const auto cctx = make_tls_context(c, TlsRole::client);
  INFO(sctx.error << " " << cctx.error);
  REQUIRE(sctx.context);
  REQUIRE(cctx.context);
  asio::ip::tcp::acceptor acc(io, {asio::ip::address_v4::loopback(), 0});
  SocketStream srv(io.get_executor()), cli(io.get_executor());
  Outcome r;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await acc.async_accept(srv.socket(), use_tuple);
        r.server = co_await srv.handshake_server(sctx.context, 5s, &r.reason);
        if (!r.server.empty()) co_return;
        char buf[64];
        auto [ec, n] = co_await srv.read_some(asio::buffer(buf));
        r.received.assign(buf, n);
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await cli.socket().async_connect(acc.local_endpoint(), use_tuple);
        r.client = co_await cli.handshake_client(cctx.context, c, host, 5s);
        if (r.client.empty()) co_await cli.write(asio::buffer(std::string_view("hello\n")));
      },
      asio::detached);
  io.run_for(10s);
  return r;
}

}  // namespace

TEST_CASE("a TLS client and server with certificates from one CA talk", "[net][tls]") {
  const Outcome r = handshake(client_opts(), server_opts());
  CHECK(r.client == "");
  CHECK(r.server == "");
  CHECK(r.received == "hello\n");
  // By DNS name too (SNI and host-name check on "localhost").
  CHECK(handshake(client_opts(), server_opts(), "localhost").client == "");
}

TEST_CASE("a TLS client refuses another CA, a wrong host name and an expired certificate",
          "[net][tls]") {
  const Outcome other = handshake(client_opts(), server_opts("other-server"));
  CHECK(other.client == "certificate verify failed: unable to get local issuer certificate");
  const Outcome named = handshake(client_opts(), server_opts("named"));
  CHECK(named.client == "certificate verify failed: IP address mismatch");
  const Outcome named_dns = handshake(client_opts(), server_opts("named"), "localhost");
  CHECK(named_dns.client == "certificate verify failed: hostname mismatch");
  const Outcome expired = handshake(client_opts(), server_opts("expired"));
  CHECK(expired.client == "certificate verify failed: certificate has expired");
  // server_name overrides the host dialled; verify_hostname = false skips the check.
  TlsOptions c = client_opts();
  c.server_name = "feeds.example.net";
  CHECK(handshake(c, server_opts("named")).client == "");
  c = client_opts();
  c.verify_hostname = false;
  CHECK(handshake(c, server_opts("named")).client == "");
  // Without ca_file the system trust store is used: our test CA is not in it.
  TlsOptions system = client_opts();
  system.ca_file.clear();
  CHECK(handshake(system, server_opts()).client.find("certificate verify failed") == 0);
}

TEST_CASE("a TLS server with verify_certificate requires a client certificate it trusts",
          "[net][tls]") {
  TlsOptions s = server_opts();
  s.verify_certificate = true;
  s.ca_file = file("ca.pem");
  const Outcome none = handshake(client_opts(), s);
  CHECK_FALSE(none.server.empty());
  CHECK(none.reason == "no_certificate");
  TlsOptions c = client_opts();
  c.crt_file = file("client.pem");
  c.key_file = file("client.key");
  const Outcome good = handshake(c, s);
  CHECK(good.server == "");
  CHECK(good.received == "hello\n");
  TlsOptions c2 = c;
  c2.crt_file = file("other-server.pem");
  c2.key_file = file("other-server.key");
  CHECK(handshake(c2, s).reason == "unknown_ca");
  s.allowed_names = {"wire-feed-1.example.net"};
  const Outcome refused = handshake(c, s);
  CHECK(refused.reason == "name_not_allowed");
  s.allowed_names = {"FEED-CLIENT.example.net"};
  CHECK(handshake(c, s).server == "");
}

TEST_CASE("make_tls_context names the file and what to do", "[net][tls]") {
  TlsOptions s = server_opts();
  s.key_file = file("client.key");
  auto r = make_tls_context(s, TlsRole::server);
  CHECK_FALSE(r.context);
  CHECK(r.error.find("does not belong to the certificate") != std::string::npos);
  s = server_opts();
  s.crt_file = file("missing.pem");
  r = make_tls_context(s, TlsRole::server);
  CHECK(r.error.find("missing.pem: cannot read the certificate") != std::string::npos);
  s = server_opts();
  s.verify_certificate = true;
  CHECK(make_tls_context(s, TlsRole::server).error.find("needs ca_file") != std::string::npos);
  CHECK(make_tls_context(TlsOptions{}, TlsRole::server).error.find("crt_file and key_file") !=
        std::string::npos);
  CHECK(make_tls_context(client_opts(), TlsRole::client).context);
}

TEST_CASE("certificate inspection for check: expiry, key pairs, CA files, names", "[net][tls]") {
  std::string why;
  const auto now = std::chrono::system_clock::now();
  const auto good = inspect_certificate(file("server.pem"), why);
  REQUIRE(good);
  CHECK(good->not_after > now + std::chrono::hours(24 * 20));
  CHECK(good->subject == "CN=server");
  const auto expired = inspect_certificate(file("expired.pem"), why);
  REQUIRE(expired);
  CHECK(expired->not_after < now);
  CHECK_FALSE(inspect_certificate(file("server.key"), why));
  CHECK(why.find("no PEM certificate") != std::string::npos);
  CHECK(check_key_pair(file("server.pem"), file("server.key"), "") == "");
  CHECK(check_key_pair(file("server.pem"), file("client.key"), "").find("does not belong") !=
        std::string::npos);
  CHECK(check_ca_file(file("ca.pem")) == "");
  CHECK(check_ca_file(file("ca.key")).find("no PEM certificate") != std::string::npos);
}

TEST_CASE("a TLS handshake that gets no answer ends at its deadline", "[net][tls]") {
  asio::io_context io;
  asio::ip::tcp::acceptor acc(io, {asio::ip::address_v4::loopback(), 0});
  asio::ip::tcp::socket silent(io);  // accepts, never answers the ClientHello
  acc.async_accept(silent, [](boost::system::error_code) {});
  const auto cctx = make_tls_context(client_opts(), TlsRole::client);
  SocketStream cli(io.get_executor());
  std::string why = "pending";
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await cli.socket().async_connect(acc.local_endpoint(), use_tuple);
        why = co_await cli.handshake_client(cctx.context, client_opts(), "127.0.0.1", 200ms);
      },
      asio::detached);
  const auto start = std::chrono::steady_clock::now();
  io.run_for(5s);
  CHECK(why == "no TLS handshake within 200 ms");
  CHECK(std::chrono::steady_clock::now() - start < 3s);
}

TEST_CASE("a TLS read takes every record already there, as a plain read would", "[net][tls]") {
  asio::io_context io;
  const auto sctx = make_tls_context(server_opts(), TlsRole::server);
  const auto cctx = make_tls_context(client_opts(), TlsRole::client);
  REQUIRE(sctx.context);
  REQUIRE(cctx.context);
  asio::ip::tcp::acceptor acc(io, {asio::ip::address_v4::loopback(), 0});
  SocketStream srv(io.get_executor()), cli(io.get_executor());
  std::string sent(100 * 1024, '\0');
  for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>('a' + i % 26);
  std::vector<std::size_t> reads;  // bytes per read_some, the first after all was sent
  std::string received;
  bool ended = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await acc.async_accept(srv.socket(), use_tuple);
        if (!(co_await srv.handshake_server(sctx.context, 5s)).empty()) co_return;
        co_await srv.write(asio::buffer(sent));  // 7 records of at most 16 KiB
        srv.close();                             // no close_notify: reads as eof
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await cli.socket().async_connect(acc.local_endpoint(), use_tuple);
        if (!(co_await cli.handshake_client(cctx.context, client_opts(), "127.0.0.1", 5s)).empty())
          co_return;
        asio::steady_timer t(io);  // let every record arrive first
        t.expires_after(200ms);
        co_await t.async_wait(use_tuple);
        std::string buf(256 * 1024, '\0');
        for (;;) {
          auto [ec, n] = co_await cli.read_some(asio::buffer(buf));
          if (n > 0) reads.push_back(n);
          received.append(buf.data(), n);
          if (ec) {
            ended = ec == asio::error::eof;
            break;
          }
        }
      },
      asio::detached);
  io.run_for(10s);
  CHECK(received == sent);
  CHECK(ended);
  REQUIRE(!reads.empty());
  CHECK(reads.front() > 16 * 1024);  // more than one record in one read
}

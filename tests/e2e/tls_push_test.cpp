// Tests (end-to-end): HTTPS push (`[[input]] type = "http"` with a `tls` table,
// issue 13) against the real daemon: with mutual TLS a client certificate from
// the CA posts and gets 200 (the article alerts); no client certificate is
// refused at the handshake and counted by reason; plain HTTP to the TLS port
// gets no article in; a session the daemon ends gets a close_notify; SIGHUP
// serves a new certificate without a restart.
// Certificates: tests/support/make_test_certs.sh.
#include <catch2/catch.hpp>

#include "e2e/hostile_util.hpp"
#include "e2e/tls_client.hpp"
#include "support/test_certs.hpp"

namespace {
using e2e::bin;

std::string tls_push_q(const e2e::fs::path& p) {
  return "\"" + p.string() + "\"";
}

/// Polls `f` every 20 ms for up to 20 s.
bool tls_push_eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 1000; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

/// A POST of one NDJSON article (Connection: close).
std::string tls_push_request(const std::string& id) {
  const std::string body = e2e::article(id, "Sergei Lavrov spoke about " + id + ".");
  return "POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
         "Content-Type: application/x-ndjson\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::size_t tls_push_alerts(const e2e::fs::path& p) {
  const std::string text = e2e::read_file(p);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE(
    "tls push: a client certificate posts over HTTPS, none is refused, plain HTTP gets "
    "nothing in") {
  e2e::TempDir dir;
  const auto port = e2e::free_port(), admin = e2e::free_port();
  const auto crt = dir / "cert.pem", key = dir / "cert.key";
  e2e::fs::copy_file(testcerts::file("server.pem"), crt);
  e2e::fs::copy_file(testcerts::file("server.key"), key);
  const auto ca = testcerts::file("ca.pem");
  e2e::write_file(
      dir / "t.toml",
      "shutdown_grace_ms = 300\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin) +
          "\"\n[[input]]\ntype = \"http\"\nname = \"push\"\nlisten = \"127.0.0.1:" +
          std::to_string(port) + "\"\ntls = { crt_file = " + tls_push_q(crt) +
          ", key_file = " + tls_push_q(key) + ", ca_file = " + tls_push_q(ca) +
          ", verify_certificate = true, allowed_names = [\"feed-client.example.net\"] }\n"
          "[[output]]\ntype = \"file\"\npath = \"" +
          (dir / "alerts").string() + "\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "t.toml").string()}, dir / "out",
                      dir / "err");
  auto metrics = [&] {
    return e2e::hostile::parse_metrics(e2e::http(admin, "GET", "/metrics").body);
  };
  REQUIRE(tls_push_eventually([&] { return e2e::http(admin, "GET", "/healthz").status == 200; }));
  const e2e::tls::Identity client{ca, testcerts::file("client.pem"), testcerts::file("client.key")};

  // A client certificate from the CA, named in allowed_names: 200, and the article alerts.
  const auto ok = e2e::tls::connect(port, client, tls_push_request("p1"));
  INFO(e2e::read_file(dir / "err"));
  CHECK(ok.handshake);
  CHECK(ok.subject == "/CN=server");
  CHECK(ok.received.starts_with("HTTP/1.1 200"));
  CHECK(ok.received.find("\"accepted\":1") != std::string::npos);
  CHECK(ok.error.empty());
  CHECK(ok.close_notify);  // the daemon ended the session cleanly
  REQUIRE(tls_push_eventually([&] { return tls_push_alerts(dir / "alerts") == 1; }));

  // No client certificate: refused at the handshake, counted by reason.
  const auto none = e2e::tls::connect(port, {ca, {}, {}}, tls_push_request("p2"));
  CHECK(none.received.find("HTTP/1.1") == std::string::npos);
  const std::string no_cert =
      "newshound_tls_handshake_failures_total{endpoint=\"input/push\",reason=\"no_certificate\"}";
  CHECK(tls_push_eventually([&] { return metrics()[no_cert] == 1; }));

  // Plain HTTP to the TLS port: no answer, no article.
  {
    e2e::asio::io_context io;
    e2e::tcp::socket s(io);
    REQUIRE(e2e::connect(s, port));
    e2e::asio::write(s, e2e::asio::buffer(tls_push_request("p3")));
    std::string got;
    char buf[4096];
    boost::system::error_code ec;
    while (!ec) got.append(buf, s.read_some(e2e::asio::buffer(buf), ec));
    CHECK(got.find("HTTP/1.1 200") == std::string::npos);
  }
  CHECK(tls_push_eventually([&] {
    double failures = 0;
    for (const auto& [k, v] : metrics())
      if (k.starts_with("newshound_tls_handshake_failures_total{endpoint=\"input/push\""))
        failures += v;
    return failures >= 2;
  }));

  // SIGHUP: a new certificate under the same path is served without a restart.
  e2e::fs::copy_file(testcerts::file("soon.pem"), crt, e2e::fs::copy_options::overwrite_existing);
  e2e::fs::copy_file(testcerts::file("soon.key"), key, e2e::fs::copy_options::overwrite_existing);
  daemon.signal(SIGHUP);
  CHECK(tls_push_eventually([&] {
    return e2e::tls::connect(port, client, "", std::chrono::milliseconds(200)).subject ==
           "/CN=soon";
  }));
  const auto after = e2e::tls::connect(port, client, tls_push_request("p4"));
  CHECK(after.received.starts_with("HTTP/1.1 200"));
  CHECK(tls_push_eventually([&] { return tls_push_alerts(dir / "alerts") == 2; }));
  CHECK(e2e::read_file(dir / "alerts").find("\"p3\"") == std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("tls push: a client that sends nothing is closed at idle_timeout_ms with close_notify") {
  e2e::TempDir dir;
  const auto port = e2e::free_port();
  const auto ca = testcerts::file("ca.pem");
  e2e::write_file(dir / "t.toml",
                  "shutdown_grace_ms = 300\n[[input]]\ntype = \"http\"\nname = \"push\"\n"
                  "listen = \"127.0.0.1:" +
                      std::to_string(port) + "\"\nidle_timeout_ms = 300\ntls = { crt_file = " +
                      tls_push_q(testcerts::file("server.pem")) +
                      ", key_file = " + tls_push_q(testcerts::file("server.key")) +
                      " }\n[[output]]\ntype = \"file\"\npath = \"" + (dir / "alerts").string() +
                      "\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "t.toml").string()}, dir / "out",
                      dir / "err");
  REQUIRE(tls_push_eventually([&] {
    return e2e::tls::connect(port, {ca, {}, {}}, "", std::chrono::milliseconds(100)).handshake;
  }));
  const auto started = std::chrono::steady_clock::now();
  const auto idle = e2e::tls::connect(port, {ca, {}, {}}, "", std::chrono::seconds(10));
  INFO(e2e::read_file(dir / "err"));
  CHECK(idle.handshake);
  CHECK(idle.error.empty());
  CHECK(idle.close_notify);  // not just a closed socket
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

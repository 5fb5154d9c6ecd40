// Tests (end-to-end): the admin endpoint over HTTPS ([admin] tls, issue 13):
// /metrics with the bearer token, plain HTTP to the TLS port refused and counted,
// the certificate expiry metric; and certificate reload on SIGHUP: a new
// certificate under the same path is served by the admin endpoint and a TLS input
// without a restart, an open connection keeps its session, a broken key file
// keeps the old certificate. Certificates: tests/support/make_test_certs.sh.
#include <catch2/catch.hpp>

#include "e2e/hostile_util.hpp"
#include "e2e/tls_client.hpp"
#include "support/test_certs.hpp"

namespace {
using e2e::bin;
using e2e::hostile::parse_metrics;

std::string q(const e2e::fs::path& p) {
  return "\"" + p.string() + "\"";
}

std::string tls_table(const e2e::fs::path& crt, const e2e::fs::path& key) {
  return "{ enabled = true, crt_file = " + q(crt) + ", key_file = " + q(key) + " }";
}

/// Polls `f` every 20 ms for up to 20 s.
bool eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 1000; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}
}  // namespace

TEST_CASE("tls: the admin endpoint serves HTTPS with the bearer token, plain HTTP is refused") {
  e2e::TempDir dir;
  const auto port = e2e::free_port();
  const std::string token = "admin-https-token-0123456789";
  e2e::write_file(dir / "admin.token", token + "\n");
  e2e::fs::permissions(dir / "admin.token", e2e::fs::perms(0600));
  const auto crt = testcerts::file("server.pem"), key = testcerts::file("server.key");
  e2e::write_file(dir / "t.toml",
                  "[admin]\nlisten = \"127.0.0.1:" + std::to_string(port) +
                      "\"\ntoken_file = \"admin.token\"\ntls = " + tls_table(crt, key) +
                      "\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "t.toml").string()}, dir / "out",
                      dir / "err");
  const auto ca = testcerts::file("ca.pem");
  const std::string bearer = "Authorization: Bearer " + token + "\r\n";
  REQUIRE(eventually([&] { return e2e::tls::https(port, ca, "GET", "/healthz").status == 200; }));
  CHECK(e2e::tls::https(port, ca, "GET", "/metrics").status == 401);
  // Plain HTTP to the TLS port: no HTTP answer (the handshake fails), counted.
  const auto plain = e2e::http(port, "GET", "/metrics", bearer);
  CHECK(plain.status == 0);
  CHECK(plain.body.find("newshound_") == std::string::npos);
  // A client that does not trust the server's CA gets no session.
  CHECK_FALSE(e2e::tls::connect(port, {testcerts::file("other-ca.pem"), {}, {}}).handshake);

  const auto scrape = e2e::tls::https(port, ca, "GET", "/metrics", bearer);
  REQUIRE(scrape.status == 200);
  auto m = parse_metrics(scrape.body);
  CHECK(m["newshound_admin_auth_failures_total{reason=\"missing\"}"] == 1);
  CHECK(m["newshound_tls_handshake_failures_total{endpoint=\"admin\",reason=\"not_tls\"}"] == 1);
  // The client refusing our certificate shows as an alert from it: unknown_ca.
  CHECK(m["newshound_tls_handshake_failures_total{endpoint=\"admin\",reason=\"unknown_ca\"}"] == 1);
  const std::string expiry =
      "newshound_tls_certificate_expiry_timestamp_seconds{endpoint=\"admin\","
      "file=\"" +
      crt.string() + "\"}";
  REQUIRE(m.count(expiry));
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(m[expiry] > now + 29 * 86400);  // made for 30 days
  CHECK(m[expiry] < now + 31 * 86400);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
  const std::string log = e2e::read_file(dir / "err");
  INFO(log);
  CHECK(log.find("TLS handshake with 127.0.0.1 failed") != std::string::npos);
  CHECK(log.find("is checked but not served yet") == std::string::npos);
}

TEST_CASE("tls: SIGHUP reloads certificate files of the admin endpoint and a TLS input") {
  e2e::TempDir dir;
  const auto admin_port = e2e::free_port(), in_port = e2e::free_port();
  const auto crt = dir / "cert.pem", key = dir / "cert.key";
  e2e::fs::copy_file(testcerts::file("server.pem"), crt);
  e2e::fs::copy_file(testcerts::file("server.key"), key);
  e2e::write_file(dir / "t.toml",
                  "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) +
                      "\"\ntls = " + tls_table(crt, key) +
                      "\n[[input]]\ntype = \"tcp\"\nname = \"feed\"\nlisten = \"127.0.0.1:" +
                      std::to_string(in_port) + "\"\ntls = " + tls_table(crt, key) +
                      "\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "t.toml").string()}, dir / "out",
                      dir / "err");
  const auto ca = testcerts::file("ca.pem");
  const e2e::tls::Identity trust{ca, {}, {}};
  auto metrics = [&] {
    return parse_metrics(e2e::tls::https(admin_port, ca, "GET", "/metrics").body);
  };
  REQUIRE(
      eventually([&] { return e2e::tls::https(admin_port, ca, "GET", "/healthz").status == 200; }));
  const auto before = e2e::tls::connect(admin_port, trust, "", std::chrono::milliseconds(200));
  CHECK(before.subject == "/CN=server");
  CHECK(e2e::tls::connect(in_port, trust, "", std::chrono::milliseconds(200)).subject ==
        "/CN=server");

  // A feed connection opened now keeps its session across the reload.
  e2e::asio::io_context io;
  e2e::tls::ssl::context cctx(e2e::tls::ssl::context::tls_client);
  cctx.load_verify_file(ca.string());
  cctx.set_verify_mode(e2e::tls::ssl::verify_peer);
  e2e::tls::ssl::stream<e2e::tcp::socket> feed(io, cctx);
  REQUIRE(e2e::connect(feed.next_layer(), in_port));
  feed.handshake(e2e::tls::ssl::stream_base::client);

  // Same paths, new contents (another certificate of the same CA): a SIGHUP serves them.
  e2e::fs::copy_file(testcerts::file("soon.pem"), crt, e2e::fs::copy_options::overwrite_existing);
  e2e::fs::copy_file(testcerts::file("soon.key"), key, e2e::fs::copy_options::overwrite_existing);
  daemon.signal(SIGHUP);
  REQUIRE(eventually([&] {
    return e2e::tls::connect(admin_port, trust, "", std::chrono::milliseconds(200)).subject ==
           "/CN=soon";
  }));
  const auto after = e2e::tls::connect(in_port, trust, "", std::chrono::milliseconds(200));
  CHECK(after.subject == "/CN=soon");
  CHECK(after.serial != before.serial);
  const std::string expiry =
      "newshound_tls_certificate_expiry_timestamp_seconds{endpoint=\"input/feed\",file=\"" +
      crt.string() + "\"}";
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(metrics()[expiry] < now + 6 * 86400);  // soon.pem: 5 days
  // The connection opened before the reload still delivers.
  e2e::asio::write(feed, e2e::asio::buffer(e2e::article("kept", "Sergei Lavrov spoke.")));
  CHECK(eventually([&] { return metrics()["newshound_input_lines_total{input=\"feed\"}"] == 1; }));

  // A broken key file: the reload fails and counts; the loaded certificate stays.
  e2e::write_file(key, "not a key\n");
  daemon.signal(SIGHUP);
  CHECK(eventually([&] { return metrics()["newshound_reload_failures_total"] == 1; }));
  CHECK(e2e::tls::connect(admin_port, trust, "", std::chrono::milliseconds(200)).subject ==
        "/CN=soon");
  CHECK(e2e::tls::connect(in_port, trust, "", std::chrono::milliseconds(200)).subject ==
        "/CN=soon");
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

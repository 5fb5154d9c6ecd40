// Tests (end-to-end, hostile input): a TLS feed listener (issue 13) against
// garbage instead of a ClientHello, a handshake started and never finished (the
// handshake deadline), 5,000 handshakes in a row (bounded memory), and mutual
// TLS: the right client delivers; no certificate, another CA and a name outside
// allowed_names are refused at the handshake and counted by reason in /metrics.
#include <catch2/catch.hpp>

#include "e2e/hostile_util.hpp"
#include "e2e/tls_client.hpp"
#include "support/test_certs.hpp"

namespace h = e2e::hostile;
using e2e::asio::ip::tcp;
using testcerts::file;

namespace {

std::string q(const e2e::fs::path& p) {
  return "\"" + p.string() + "\"";
}

/// The input keys of a TLS listener with the test server certificate.
std::string tls_input(const std::string& more = "") {
  return "tls = { enabled = true, crt_file = " + q(file("server.pem")) +
         ", key_file = " + q(file("server.key")) + more + " }\n";
}

std::string failures(const std::string& input, const std::string& reason) {
  return "newshound_tls_handshake_failures_total{endpoint=\"input/" + input + "\",reason=\"" +
         reason + "\"}";
}

/// Sends a good article over TLS as `id` and waits for its alert downstream.
bool tls_article_alerts(h::Daemon& d, const std::string& uri, const e2e::tls::Identity& id) {
  auto s = e2e::tls::connect(d.in_port(), id, h::good_article(uri), std::chrono::milliseconds(300));
  if (!s.handshake) return false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < until) {
    for (const auto& l : d.downstream().lines())
      if (h::article_of(l) == uri) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

const e2e::tls::Identity kTrust{file("ca.pem"), {}, {}};

}  // namespace

TEST_CASE("hostile TLS: garbage instead of a ClientHello is refused and counted", "[hostile]") {
  h::Daemon d(tls_input());
  REQUIRE(d.wait_metric("newshound_uptime_seconds", 0) >= 0);
  h::RandomBytes rnd(13);
  for (int i = 0; i < 20; ++i) {
    e2e::asio::io_context io;
    tcp::socket s(io);
    REQUIRE(e2e::connect(s, d.in_port()));
    std::string junk(4096, '\0');
    rnd.fill(junk.data(), junk.size());
    junk[0] = 'X';  // no record header that would make the daemon wait for more
    if (i % 2 == 1) junk = h::good_article("plain" + std::to_string(i));  // NDJSON in clear
    h::send_all(s, junk, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    // The daemon closes the connection: reading ends (never an article read in clear).
    boost::system::error_code ec;
    char buf[256];
    while (!ec) s.read_some(e2e::asio::buffer(buf), ec);
  }
  std::map<std::string, double> m;
  double refused = 0;
  for (int i = 0; i < 500 && refused < 20; ++i) {  // counted just after the close
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    m = d.metrics();
    refused = 0;
    for (const auto& [k, v] : m)
      if (k.rfind("newshound_tls_handshake_failures_total{endpoint=\"input/feed\"", 0) == 0)
        refused += v;
  }
  CHECK(refused == 20);
  CHECK(m.at(failures("feed", "not_tls")) >= 10);  // the clear-text articles at least
  CHECK(m.at("newshound_input_lines_total{input=\"feed\"}") == 0);
  CHECK(tls_article_alerts(d, "after-garbage", kTrust));
  CHECK(d.stop() == 0);
}

TEST_CASE("hostile TLS: a handshake started and never finished ends at the deadline", "[hostile]") {
  h::Daemon d(tls_input());
  REQUIRE(d.wait_metric("newshound_uptime_seconds", 0) >= 0);
  e2e::asio::io_context io;
  tcp::socket s(io);
  REQUIRE(e2e::connect(s, d.in_port()));
  // The first bytes of a TLS record header announcing a ClientHello, then silence.
  const std::string partial("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  REQUIRE(h::send_all(s, partial, std::chrono::steady_clock::now() + std::chrono::seconds(5)));
  // Others are served meanwhile.
  CHECK(tls_article_alerts(d, "while-held", kTrust));
  const auto start = std::chrono::steady_clock::now();
  boost::system::error_code ec;
  char buf[256];
  while (!ec) s.read_some(e2e::asio::buffer(buf), ec);  // the daemon hangs up
  const auto held = std::chrono::steady_clock::now() - start;
  CHECK(held < std::chrono::seconds(15));  // the 10 s handshake deadline
  CHECK(d.wait_metric(failures("feed", "timeout"), 1) == 1);
  CHECK(d.metric("newshound_input_active_connections{input=\"feed\"}") == 0);
  CHECK(d.stop() == 0);
}

TEST_CASE("hostile TLS: 5,000 handshakes in a row with bounded memory", "[hostile]") {
  const int n = h::kAsan || h::kTsan ? 500 : 5000;
  h::Daemon d(tls_input());
  REQUIRE(d.wait_metric("newshound_uptime_seconds", 0) >= 0);
  e2e::asio::io_context io;
  e2e::tls::ssl::context ctx(e2e::tls::ssl::context::tls_client);
  ctx.load_verify_file(file("ca.pem").string());
  ctx.set_verify_mode(e2e::tls::ssl::verify_peer);
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    e2e::tls::ssl::stream<tcp::socket> s(io, ctx);
    if (!e2e::connect(s.next_layer(), d.in_port())) continue;
    boost::system::error_code ec;
    s.handshake(e2e::tls::ssl::stream_base::client, ec);
    if (!ec) ++ok;
    s.next_layer().close(ec);  // gone without close_notify, as a crashing client does
  }
  CHECK(ok == n);
  INFO(d.log());
  CHECK(d.wait_metric("newshound_input_connections_total{input=\"feed\"}", n) == n);
  CHECK(d.wait_metric("newshound_input_active_connections{input=\"feed\"}", 0) == 0);
  const auto mem = d.memory();
  INFO("peak RSS " << mem.peak_kib << " KiB, now " << mem.rss_kib << " KiB");
  CHECK(mem.peak_kib < h::kRssBoundKiB);
  CHECK(tls_article_alerts(d, "after-handshakes", kTrust));
  CHECK(d.stop() == 0);
}

TEST_CASE("hostile TLS: mutual TLS admits the right client and counts each refusal by reason",
          "[hostile]") {
  const std::string ca = ", ca_file = " + q(file("ca.pem")) + ", verify_certificate = true";
  // A second listener that allows only another name than the client certificate's.
  const auto strict_port = e2e::free_port();
  h::Daemon d(tls_input(ca + ", allowed_names = [\"feed-client.example.net\"]"),
              "[[input]]\ntype = \"tcp\"\nname = \"strict\"\nlisten = \"127.0.0.1:" +
                  std::to_string(strict_port) + "\"\n" +
                  tls_input(ca + ", allowed_names = [\"wire-feed-1.example.net\"]"));
  REQUIRE(d.wait_metric("newshound_uptime_seconds", 0) >= 0);
  const e2e::tls::Identity client{file("ca.pem"), file("client.pem"), file("client.key")};
  CHECK(tls_article_alerts(d, "mtls-ok", client));
  // TLS 1.3: a client learns of its refusal only after its side of the handshake.
  const auto none = e2e::tls::connect(d.in_port(), kTrust, h::good_article("mtls-none"));
  CHECK(none.received.empty());
  const auto other = e2e::tls::connect(
      d.in_port(), {file("ca.pem"), file("other-server.pem"), file("other-server.key")},
      h::good_article("mtls-other"));
  CHECK(other.received.empty());
  const auto named = e2e::tls::connect(strict_port, client, h::good_article("mtls-name"));
  CHECK(named.received.empty());
  CHECK(d.wait_metric(failures("feed", "no_certificate"), 1) == 1);
  CHECK(d.wait_metric(failures("feed", "unknown_ca"), 1) == 1);
  CHECK(d.wait_metric(failures("strict", "name_not_allowed"), 1) == 1);
  CHECK(d.metric("newshound_input_lines_total{input=\"feed\"}") == 1);
  CHECK(d.metric("newshound_input_lines_total{input=\"strict\"}") == 0);
  for (const auto& l : d.downstream().lines()) CHECK(h::article_of(l) == "mtls-ok");
  const std::string log = d.log();
  CHECK(log.find("TLS handshake with") != std::string::npos);
  CHECK(d.stop() == 0);
}

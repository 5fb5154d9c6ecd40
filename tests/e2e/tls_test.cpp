// Tests (end-to-end): TLS on the tcp output (issue 13). The daemon delivers
// alerts with acks over TLS to `newshound-receive --tls-cert/--tls-key --ack`;
// a receiver whose certificate comes from another CA gets nothing, and the
// daemon logs why and keeps retrying; `check` refuses an expired certificate
// at the file:line of its key (exit 78); newshound-replay sends over TLS, with
// and without acks. Certificates: tests/support.
#include <catch2/catch.hpp>

#include <sstream>

#include "e2e/harness.hpp"
#include "support/test_certs.hpp"

namespace {
using e2e::bin;

std::string tls_output_config(std::uint16_t in_port, std::uint16_t out_port,
                              const std::string& tls) {
  return "shutdown_grace_ms = 300\n[admin]\nlisten = \"\"\n"
         "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" +
         std::to_string(in_port) +
         "\"\n"
         "[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
         std::to_string(out_port) +
         "\"\nack = true\nreconnect_initial_ms = 20\nreconnect_max_ms = 100\n"
         "tls = " +
         tls + "\nstories = \"all\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n";
}

std::string quoted(const std::string& cert) {
  return "\"" + testcerts::file(cert).string() + "\"";
}

std::size_t lines_in(const e2e::fs::path& p) {
  return e2e::complete_lines(p).size();
}

/// Starts the receiver with `cert`, the daemon, and feeds `n` matching articles.
struct Setup {
  e2e::TempDir dir;
  std::uint16_t in_port = e2e::free_port(), out_port = e2e::free_port();
  std::unique_ptr<e2e::Process> receiver, daemon;
  Setup(const std::string& cert, int n) {
    const auto tools = e2e::fs::path(bin).parent_path();
    receiver = std::make_unique<e2e::Process>(
        std::vector<std::string>{(tools / "newshound-receive").string(), "--port",
                                 std::to_string(out_port), "--ack", "--out",
                                 (dir / "received").string(), "--tls-cert",
                                 testcerts::file(cert + ".pem").string(), "--tls-key",
                                 testcerts::file(cert + ".key").string()},
        dir / "recv-out", dir / "recv-err");
    REQUIRE(e2e::wait_for_text(dir / "recv-err", "listening on"));
    e2e::write_file(dir / "t.toml",
                    tls_output_config(in_port, out_port, "{ ca_file = " + quoted("ca.pem") + " }"));
    daemon = std::make_unique<e2e::Process>(
        std::vector<std::string>{bin, "run", "--config", (dir / "t.toml").string()}, dir / "out",
        dir / "err");
    e2e::asio::io_context io;
    e2e::tcp::socket feed(io);
    REQUIRE(e2e::connect(feed, in_port));
    std::string payload;
    for (int i = 0; i < n; ++i)
      payload +=
          e2e::article("tls" + std::to_string(i), "Sergei Lavrov spoke, item " + std::to_string(i));
    e2e::asio::write(feed, e2e::asio::buffer(payload));
  }
};

}  // namespace

TEST_CASE("tls: a tcp output with acks delivers every alert to a TLS receiver") {
  constexpr int kArticles = 50;
  Setup s("server", kArticles);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (lines_in(s.dir / "received") < kArticles && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  INFO(e2e::read_file(s.dir / "err"));
  INFO(e2e::read_file(s.dir / "recv-err"));
  CHECK(lines_in(s.dir / "received") == kArticles);
  CHECK(e2e::read_file(s.dir / "received").find("\"tls0\"") != std::string::npos);
  s.daemon->signal(SIGTERM);
  CHECK(s.daemon->wait() == 0);  // every alert acknowledged: nothing left at shutdown
  CHECK(e2e::read_file(s.dir / "err").find("TLS handshake") == std::string::npos);
}

TEST_CASE("tls: a receiver with a certificate from another CA gets nothing, and the log says why") {
  Setup s("other-server", 5);
  REQUIRE(e2e::wait_for_text(s.dir / "err",
                             "certificate verify failed: unable to get local issuer certificate"));
  REQUIRE(e2e::wait_for_text(s.dir / "recv-err", "TLS handshake failed"));
  CHECK(e2e::read_file(s.dir / "err").find("retrying") != std::string::npos);
  CHECK(lines_in(s.dir / "received") == 0);
  s.daemon->signal(SIGTERM);
  s.daemon->wait();
}

TEST_CASE("tls: check refuses an expired certificate and warns about verification turned off") {
  e2e::TempDir dir;
  e2e::write_file(dir / "bad.toml",
                  tls_output_config(7301, 7302,
                                    "{ crt_file = " + quoted("expired.pem") +
                                        ", key_file = " + quoted("expired.key") + " }"));
  const auto file = (dir / "bad.toml").string();
  const auto bad = e2e::run({bin, "check", "--config", file});
  INFO(bad.err);
  CHECK(bad.code == 78);
  CHECK(bad.err.find(file + ":13:") != std::string::npos);
  CHECK(bad.err.find("expired on") != std::string::npos);
  e2e::write_file(dir / "off.toml",
                  tls_output_config(7301, 7302, "{ verify_certificate = false }"));
  const auto off = e2e::run({bin, "check", "--config", (dir / "off.toml").string()});
  INFO(off.err);
  CHECK(off.code == 0);
  CHECK(off.err.find("warning: verify_certificate = false") != std::string::npos);
}

TEST_CASE("tls: newshound-replay sends over TLS, with acks and mutual TLS, and without") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "t.toml",
                  "shutdown_grace_ms = 300\n[admin]\nlisten = \"\"\n"
                  "[[input]]\ntype = \"tcp\"\nack = true\nlisten = \"127.0.0.1:" +
                      std::to_string(in_port) + "\"\ntls = { crt_file = " + quoted("server.pem") +
                      ", key_file = " + quoted("server.key") + ", ca_file = " + quoted("ca.pem") +
                      ", verify_certificate = true }\n"
                      "[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
                      std::to_string(downstream.port()) + "\"\n[[watchlist]]\npath = \"" +
                      e2e::people + "\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "t.toml").string()}, dir / "out",
                      dir / "err");
  std::string feed;
  constexpr int kArticles = 200;
  for (int i = 0; i < kArticles; ++i)
    feed += e2e::article("r" + std::to_string(i), "Sergei Lavrov spoke, item " + std::to_string(i));
  e2e::write_file(dir / "feed.ndjson", feed);
  std::string feed2;  // other ids for the second run
  for (int i = 0; i < kArticles; ++i)
    feed2 +=
        e2e::article("p" + std::to_string(i), "Sergei Lavrov spoke, item " + std::to_string(i));
  e2e::write_file(dir / "feed2.ndjson", feed2);
  const std::string replay = (e2e::fs::path(bin).parent_path() / "newshound-replay").string();
  const std::vector<std::string> tls = {"--tls-ca",   testcerts::file("ca.pem").string(),
                                        "--tls-cert", testcerts::file("client.pem").string(),
                                        "--tls-key",  testcerts::file("client.key").string()};
  auto args = [&](std::vector<std::string> extra, const std::string& file = "feed.ndjson") {
    std::vector<std::string> a = {replay, "--port", std::to_string(in_port), "--wait", "20"};
    a.insert(a.end(), extra.begin(), extra.end());
    a.push_back((dir / file).string());
    return a;
  };
  std::vector<std::string> acked = tls;
  acked.insert(acked.end(), {"--ack", "--timeout", "60"});
  const auto r = e2e::run(args(acked));
  INFO(r.err);
  INFO(e2e::read_file(dir / "err"));
  CHECK(r.code == 0);
  CHECK(r.err.find("200 acknowledged") != std::string::npos);
  CHECK(downstream.wait_for(kArticles).size() == kArticles);
  // Without a client certificate the daemon refuses the session: nothing is sent.
  const auto refused =
      e2e::run(args({"--tls-ca", testcerts::file("ca.pem").string(), "--ack", "--timeout", "3"}));
  CHECK(refused.code != 0);
  // The plain mode over TLS.
  const auto plain = e2e::run(args(tls, "feed2.ndjson"));
  INFO(plain.err);
  CHECK(plain.code == 0);
  CHECK(plain.err.find("(TLS)") != std::string::npos);
  CHECK(downstream.wait_for(2 * kArticles).size() == 2 * kArticles);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

// Tests (end-to-end): polled feeds over https (issue 13) against a TLS HTTP
// server on 127.0.0.1 (tests/unit/sink/http_test_server.hpp with the test CA's
// server certificate): a feed input trusting the test CA polls and alerts and
// ends each fetch with a close_notify; one trusting another CA fails every poll
// with reason "tls" (counted by handshake reason too) and alerts nothing; a
// redirect from https to http is refused as "insecure_redirect".
#include <boost/asio/ssl.hpp>
#include <catch2/catch.hpp>

#include "e2e/harness.hpp"
#include "support/test_certs.hpp"
#include "unit/sink/http_test_server.hpp"

namespace {

std::string tls_feed_rss(const std::string& guid) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><guid>" +
         guid + "</guid><title>Blinken in " + guid +
         "</title><pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate><description>Blinken met the "
         "press about " +
         guid + ".</description></item></channel></rss>";
}

std::shared_ptr<boost::asio::ssl::context> tls_feed_server_context() {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->use_certificate_chain_file(testcerts::file("server.pem").string());
  ctx->use_private_key_file(testcerts::file("server.key").string(), ssl::context::pem);
  return ctx;
}

std::string tls_feed_input(const std::string& name, const std::string& url, const std::string& ca) {
  return "[[input]]\ntype = \"feed\"\nname = \"" + name + "\"\nurl = \"" + url +
         "\"\ninterval_ms = 100\ntimeout_ms = 2000\ntls = { ca_file = \"" +
         testcerts::file(ca).string() + "\" }\n";
}

}  // namespace

TEST_CASE("tls feed: https feeds are polled with the test CA, a wrong CA or a downgrade is not") {
  e2e::TempDir dir;
  sinktest::HttpTestServer server(
      [](std::size_t, const sinktest::HttpExchange& ex) {
        if (ex.target == "/down")
          return sinktest::HttpReply{302, "", {{"Location", "http://127.0.0.1:9/x"}}};
        return sinktest::HttpReply{200, tls_feed_rss(ex.target.substr(1))};
      },
      0, tls_feed_server_context());
  const std::string base = "https://127.0.0.1:" + std::to_string(server.port());
  const std::uint16_t admin = e2e::free_port();
  e2e::write_file(dir.path / "people.names", "Antony Blinken|Blinken\n");
  e2e::write_file(dir.path / "n.toml",
                  "state_dir = \"" + (dir.path / "state").string() + "\"\n" +
                      tls_feed_input("good", base + "/good", "ca.pem") +
                      tls_feed_input("wrong", base + "/wrong", "other-ca.pem") +
                      tls_feed_input("down", base + "/down", "ca.pem") +
                      "[[output]]\ntype = \"file\"\npath = \"" + (dir.path / "alerts").string() +
                      "\"\n[[watchlist]]\npath = \"people.names\"\n[admin]\nlisten = "
                      "\"127.0.0.1:" +
                      std::to_string(admin) + "\"\n");
  e2e::Process daemon({e2e::bin, "run", "--config", (dir.path / "n.toml").string()},
                      dir.path / "out", dir.path / "err");
  REQUIRE(e2e::wait_for_text(dir.path / "alerts", "Blinken in good"));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string m;
  const std::string wrong = "newshound_feed_refused_total{input=\"wrong\",reason=\"tls\"}";
  const std::string down =
      "newshound_feed_refused_total{input=\"down\",reason=\"insecure_redirect\"}";
  while (std::chrono::steady_clock::now() < until) {
    m = e2e::http(admin, "GET", "/metrics").body;
    if (m.find(wrong) != std::string::npos && m.find(down) != std::string::npos &&
        server.tls_clean_closes() >= 1)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(m);
  INFO(e2e::read_file(dir.path / "err"));
  CHECK(m.find(wrong) != std::string::npos);
  CHECK(m.find(down) != std::string::npos);
  CHECK(m.find("newshound_tls_handshake_failures_total{endpoint=\"input/wrong\",reason=\"unknown_"
               "ca\"}") != std::string::npos);
  CHECK(server.tls_clean_closes() >= 1);  // a fetch ends with close_notify
  CHECK(server.tls_failures() >= 1);
  const std::string log = e2e::read_file(dir.path / "err");
  CHECK(log.find("certificate verify failed") != std::string::npos);
  CHECK(log.find("refused (it would poll in clear)") != std::string::npos);
  const std::string alerts = e2e::read_file(dir.path / "alerts");
  CHECK(alerts.find("\"wrong\"") == std::string::npos);
  CHECK(alerts.find("Blinken in wrong") == std::string::npos);
  for (const auto& r : server.requests()) CHECK(r.target != "/wrong");  // nothing sent in clear
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

// Tests (end-to-end): the admin endpoint of the real daemon: /metrics scraped and
// parsed after real traffic, /healthz, /readyz, /v1/rules, POST /v1/reload; the
// bearer token (refused and counted, accepted, replaced by a reload, a broken
// file keeping the old one) and the refusal of a non-loopback address without one.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <map>

#include "e2e/harness.hpp"

namespace fs = std::filesystem;

namespace {
using e2e::bin;
using e2e::src;

/// Prometheus text -> {"name{labels}": value}, skipping comments.
std::map<std::string, double> parse_metrics(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    out[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  return out;
}

double wait_metric(std::uint16_t port, const std::string& key, double at_least) {
  double v = -1;
  for (int i = 0; i < 1000; ++i) {
    auto m = parse_metrics(e2e::http(port, "GET", "/metrics").body);
    v = m.count(key) ? m[key] : -1;
    if (v >= at_least) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return v;
}
}  // namespace

TEST_CASE("admin endpoint: metrics count real traffic, health, rules and reload") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  const auto admin_port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
          "\"\nname = \"feed\"\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) +
          "\"\n[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
          std::to_string(downstream.port()) + "\"\nname = \"down\"\n" + "[[watchlist]]\npath = \"" +
          src + "/config/watchlists/people.names\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  std::string payload = R"({"uri":"m1","headline":"A","body_text":"Lavrov and Blinken met."})"
                        "\n"
                        "garbage\n"
                        R"({"uri":"m2","headline":"B","body_text":"Nothing."})"
                        "\n"
                        R"({"uri":"m3","headline":"C","body_text":"Macron spoke."})"
                        "\n";
  e2e::asio::write(feed, e2e::asio::buffer(payload));
  REQUIRE(downstream.wait_for(2).size() == 2);

  CHECK(wait_metric(admin_port, "newshound_articles_total", 3) == 3);
  auto m = parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
  INFO(e2e::read_file(dir / "err"));
  CHECK(m["newshound_alerts_total"] == 2);
  CHECK(m["newshound_matches_total"] == 3);
  CHECK(m["newshound_bad_lines_total{reason=\"not_json\"}"] == 1);
  CHECK(m["newshound_watchlist_alerts_total{list=\"people\"}"] == 2);
  CHECK(m["newshound_watchlist_matches_total{list=\"people\"}"] == 3);
  CHECK(m["newshound_input_bytes_total{input=\"feed\"}"] == payload.size());
  CHECK(m["newshound_alert_latency_seconds_count"] == 2);
  CHECK(m["newshound_alert_latency_seconds_bucket{le=\"+Inf\"}"] == 2);
  CHECK(wait_metric(admin_port, "newshound_sink_sent_total{sink=\"down\"}", 2) == 2);

  CHECK(e2e::http(admin_port, "GET", "/healthz").status == 200);
  CHECK(e2e::http(admin_port, "GET", "/readyz").status == 200);
  auto rules = e2e::http(admin_port, "GET", "/v1/rules");
  REQUIRE(rules.status == 200);
  auto doc = boost::json::parse(rules.body);
  CHECK(doc.at("version").as_string().size() == 12);
  CHECK(e2e::http(admin_port, "GET", "/nope").status == 404);

  CHECK(e2e::http(admin_port, "POST", "/v1/reload").status == 202);
  CHECK(wait_metric(admin_port, "newshound_reloads_total", 1) == 1);

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

namespace {
/// Sends `request` as is to 127.0.0.1:port and returns the whole answer.
std::string raw_http(std::uint16_t port, const std::string& request) {
  e2e::asio::io_context io;
  e2e::tcp::socket s(io);
  if (!e2e::connect(s, port)) return {};
  boost::system::error_code ec;
  e2e::asio::write(s, e2e::asio::buffer(request), ec);
  std::string resp;
  char buf[4096];
  for (;;) {
    std::size_t n = s.read_some(e2e::asio::buffer(buf), ec);
    resp.append(buf, n);
    if (ec) break;
  }
  return resp;
}
}  // namespace

TEST_CASE("admin endpoint: refuses foreign Host and Origin, answers HEAD, reports a taken port") {
  e2e::TempDir dir;
  const auto admin_port = e2e::free_port();
  const std::string port = std::to_string(admin_port);
  e2e::write_file(dir / "n.toml", "[admin]\nlisten = \"127.0.0.1:" + port +
                                      "\"\n[[watchlist]]\npath = \"" + src +
                                      "/config/watchlists/people.names\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  REQUIRE(wait_metric(admin_port, "newshound_reloads_total", 0) == 0);

  // DNS rebinding: a page at evil.example whose name now points at 127.0.0.1.
  const std::string rebound =
      raw_http(admin_port, "GET /v1/rules HTTP/1.1\r\nHost: evil.example:" + port +
                               "\r\nConnection: close\r\n\r\n");
  CHECK(rebound.starts_with("HTTP/1.1 421 "));
  CHECK(rebound.find("\"lists\"") == std::string::npos);
  // A web page in a browser on the host posting a reload.
  const std::string cross =
      raw_http(admin_port, "POST /v1/reload HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                               "\r\nOrigin: http://evil.example\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n");
  CHECK(cross.starts_with("HTTP/1.1 403 "));
  // HEAD: the GET header, no body.
  const std::string head =
      raw_http(admin_port, "HEAD /healthz HTTP/1.1\r\nHost: localhost:" + port +
                               "\r\nConnection: close\r\n\r\n");
  CHECK(head.starts_with("HTTP/1.1 200 "));
  CHECK(head.ends_with("\r\n\r\n"));
  // Nothing was reloaded by the refused POST.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(parse_metrics(e2e::http(admin_port, "GET", "/metrics").body)["newshound_reloads_total"] ==
        0);

  // A second daemon on the same admin port says why it cannot bind.
  e2e::write_file(dir / "second.toml", e2e::read_file(dir / "n.toml"));
  auto second = e2e::run({bin, "run", "--config", (dir / "second.toml").string()});
  CHECK(second.code != 0);
  CHECK(second.err.find("cannot bind: Address already in use") != std::string::npos);
  CHECK(second.err.find("Success") == std::string::npos);

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

namespace {
/// Writes `token` into `path`, readable by its owner only.
void write_token(const fs::path& path, const std::string& token) {
  e2e::write_file(path, token + "\n");
  fs::permissions(path, fs::perms(0600));
}

std::string bearer(const std::string& token) {
  return "Authorization: Bearer " + token + "\r\n";
}

/// Polls until `ok` holds for GET `path` with `headers` (at most ~10 s).
bool wait_until(std::uint16_t port, const std::string& path, const std::string& headers,
                const std::function<bool(const e2e::HttpReply&)>& ok) {
  for (int i = 0; i < 500; ++i) {
    if (ok(e2e::http(port, "GET", path, headers))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}
}  // namespace

TEST_CASE("admin endpoint: a bearer token guards all but health checks, a reload picks a new one") {
  e2e::TempDir dir;
  const auto admin_port = e2e::free_port();
  const std::string first = "first-token-0123456789abcdef", second = "second-token-fedcba9876543";
  write_token(dir / "admin.token", first);
  e2e::write_file(dir / "n.toml", "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) +
                                      "\"\ntoken_file = \"admin.token\"\n[[watchlist]]\npath = \"" +
                                      src + "/config/watchlists/people.names\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  // Health checks need no token (systemd, load balancers, Kubernetes probes).
  REQUIRE(wait_until(admin_port, "/healthz", "", [](auto& r) { return r.status == 200; }));
  CHECK(e2e::http(admin_port, "GET", "/readyz").status == 200);
  CHECK(e2e::http(admin_port, "HEAD", "/healthz").status == 200);

  const auto missing = e2e::http(admin_port, "GET", "/metrics");
  CHECK(missing.status == 401);
  CHECK(missing.head.find("\r\nWWW-Authenticate: Bearer realm=\"newshound\"\r\n") !=
        std::string::npos);
  CHECK(boost::json::parse(missing.body).at("reason").as_string() == "missing");
  const auto wrong = e2e::http(admin_port, "GET", "/v1/rules", bearer(second));
  CHECK(wrong.status == 401);
  CHECK(boost::json::parse(wrong.body).at("reason").as_string() == "wrong");
  CHECK(e2e::http(admin_port, "POST", "/v1/reload").status == 401);
  // The right token, as Prometheus' `authorization: { credentials_file: ... }` sends it.
  const auto scrape = e2e::http(admin_port, "GET", "/metrics", bearer(first));
  REQUIRE(scrape.status == 200);
  auto m = parse_metrics(scrape.body);
  CHECK(m["newshound_admin_auth_failures_total{reason=\"missing\"}"] == 2);
  CHECK(m["newshound_admin_auth_failures_total{reason=\"wrong\"}"] == 1);
  CHECK(m["newshound_reloads_total"] == 0);  // the refused POST reloaded nothing
  CHECK(e2e::http(admin_port, "GET", "/v1/rules", bearer(first)).status == 200);

  // A new token in the file: a reload (asked with the old one) switches to it.
  write_token(dir / "admin.token", second);
  CHECK(e2e::http(admin_port, "POST", "/v1/reload", bearer(first)).status == 202);
  CHECK(
      wait_until(admin_port, "/metrics", bearer(second), [](auto& r) { return r.status == 200; }));
  CHECK(e2e::http(admin_port, "GET", "/metrics", bearer(first)).status == 401);

  // A broken file (too short a token) fails the reload: the token stays, the failure counts.
  write_token(dir / "admin.token", "short");
  daemon.signal(SIGHUP);
  CHECK(wait_until(admin_port, "/metrics", bearer(second), [](auto& r) {
    return r.status == 200 && parse_metrics(r.body)["newshound_reload_failures_total"] == 1;
  }));
  CHECK(e2e::http(admin_port, "GET", "/v1/rules", bearer(second)).status == 200);

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
  const std::string log = e2e::read_file(dir / "err");
  INFO(log);
  CHECK(log.find("refused GET /metrics (401): no bearer token") != std::string::npos);
  CHECK(log.find("holds a token of 5 bytes; use at least 16") != std::string::npos);
  // Neither the token nor what a client presented is ever logged.
  CHECK(log.find(first) == std::string::npos);
  CHECK(log.find(second) == std::string::npos);
}

TEST_CASE("admin endpoint: off loopback without a token, check and run refuse to start") {
  e2e::TempDir dir;
  const std::string watchlist =
      "[[watchlist]]\npath = \"" + src + "/config/watchlists/people.names\"\n";
  e2e::write_file(dir / "open.toml", "[admin]\nlisten = \"0.0.0.0:" +
                                         std::to_string(e2e::free_port()) + "\"\n" + watchlist);
  const std::string why = "open.toml:2:10: the admin endpoint would listen on 0.0.0.0:";
  const std::string what =
      ", which is not a loopback address, without a token: anyone who can reach it could reload "
      "the daemon and read its rules and metrics; set token_file = \"...\" in [admin] (a file "
      "holding the token), or listen on 127.0.0.1 or [::1]";
  for (const char* command : {"check", "run"}) {
    INFO(command);
    const auto r = e2e::run({bin, command, "--config", (dir / "open.toml").string()});
    INFO(r.err);
    CHECK(r.code == 78);
    CHECK(r.err.find(why) != std::string::npos);
    CHECK(r.err.find(what) != std::string::npos);
  }
  // A token file that cannot serve: refused at its key, both ways too.
  e2e::write_file(dir / "empty.token", "");
  e2e::write_file(dir / "empty.toml",
                  "[admin]\nlisten = \"127.0.0.1:" + std::to_string(e2e::free_port()) +
                      "\"\ntoken_file = \"empty.token\"\n" + watchlist);
  for (const char* command : {"check", "run"}) {
    INFO(command);
    const auto r = e2e::run({bin, command, "--config", (dir / "empty.toml").string()});
    INFO(r.err);
    CHECK(r.code == 78);
    CHECK(r.err.find("empty.toml:3:14: [admin] token_file \"" + (dir / "empty.token").string() +
                     "\" is empty; write the token into it") != std::string::npos);
  }
  // A world-readable one: check passes and warns.
  e2e::write_file(dir / "open.token", "0123456789abcdef0123456789abcdef\n");
  fs::permissions(dir / "open.token", fs::perms(0644));
  e2e::write_file(
      dir / "warn.toml",
      "[admin]\nlisten = \"127.0.0.1:7380\"\ntoken_file = \"open.token\"\n" + watchlist);
  const auto r = e2e::run({bin, "check", "--config", (dir / "warn.toml").string()});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.err.find("warn.toml:3:14: warning: [admin] token_file") != std::string::npos);
  CHECK(r.err.find("can be read by every user of this host") != std::string::npos);
}

// Tests (end-to-end): the real daemon POSTs alerts to a webhook (a scripted HTTP
// server in the test), retrying a 503; and SIGHUP makes a file output reopen its
// path after logrotate renamed the file; a receiver slower than timeout_ms, and a
// 4xx with a huge body.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

#include "e2e/harness.hpp"
#include "unit/sink/http_test_server.hpp"

namespace {
using e2e::bin;

std::string article(int i) {
  return R"({"uri":"w)" + std::to_string(i) +
         R"(","headline":"Talks","body_text":"Antony Blinken spoke."})" + "\n";
}

std::vector<std::string> lines_of(const e2e::fs::path& p) {
  return e2e::complete_lines(p);
}

bool wait_until(const std::function<bool()>& pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::unique_ptr<e2e::Process> start_daemon(const e2e::TempDir& dir, std::uint16_t in_port,
                                           const std::string& output) {
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\n");
  e2e::write_file(dir / "n.toml",
                  "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n[[output]]\nstories = \"all\"\n" + output +
                      "[[watchlist]]\npath = \"people.names\"\n" + e2e::admin_off);
  return std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
      dir / "err");
}
}  // namespace

TEST_CASE("daemon: a webhook output POSTs every alert and retries a 503") {
  e2e::TempDir dir;
  sinktest::HttpTestServer hook([](std::size_t i, const sinktest::HttpExchange&) {
    return sinktest::HttpReply{.status = i == 1 ? 503 : 200};
  });
  const auto in_port = e2e::free_port();
  auto daemon =
      start_daemon(dir, in_port,
                   "type = \"webhook\"\nurl = \"http://127.0.0.1:" + std::to_string(hook.port()) +
                       "/in\"\nheaders = { X-Token = \"t0ken\" }\n"
                       "reconnect_initial_ms = 10\nreconnect_max_ms = 50\n");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  for (int i = 0; i < 3; ++i) e2e::asio::write(feed, e2e::asio::buffer(article(i)));
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(hook.wait_for(4) >= 4);  // three alerts, one of them twice (503, then 200)
  const auto reqs = hook.requests();
  std::vector<std::string> delivered;
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    CHECK(reqs[i].target == "/in");
    CHECK(reqs[i].headers.at("x-token") == "t0ken");
    CHECK(reqs[i].headers.at("content-type") == "application/json");
    if (i == 1) continue;  // answered 503
    delivered.push_back(std::string(boost::json::parse(reqs[i].body).at("article").as_string()));
  }
  CHECK(reqs[1].body == reqs[2].body);
  CHECK(delivered == std::vector<std::string>{"w0", "w1", "w2"});
  CHECK(hook.connections() == 1);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
  CHECK(hook.requests().size() == 4);
}

TEST_CASE("daemon: SIGHUP after logrotate renamed a file output writes a fresh file") {
  e2e::TempDir dir;
  const auto in_port = e2e::free_port();
  const auto path = dir / "alerts.ndjson";
  auto daemon =
      start_daemon(dir, in_port, "type = \"file\"\npath = \"alerts.ndjson\"\nfsync = \"always\"\n");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(feed, e2e::asio::buffer(article(1)));
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(wait_until([&] { return lines_of(path).size() == 1; }));
  e2e::fs::rename(path, dir / "alerts.ndjson.1");
  daemon->signal(SIGHUP);
  REQUIRE(wait_until([&] { return e2e::fs::exists(path); }));  // reopened: created again
  e2e::asio::write(feed, e2e::asio::buffer(article(2)));
  REQUIRE(wait_until([&] { return lines_of(path).size() == 1; }));
  const auto old_lines = lines_of(dir / "alerts.ndjson.1");
  REQUIRE(old_lines.size() == 1);
  CHECK(boost::json::parse(old_lines[0]).at("article") == "w1");
  CHECK(boost::json::parse(lines_of(path)[0]).at("article") == "w2");
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE("check rejects a non-http webhook URL and bad headers with file:line") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\n");
  e2e::write_file(dir / "n.toml",
                  "[[output]]\n"                                        // 1
                  "type = \"webhook\"\n"                                // 2
                  "url = \"ftp://hooks.example.net/in\"\n"              // 3
                  "headers = { \"Bad Name\" = \"x\", Host = \"h\" }\n"  // 4
                  "[[output]]\n"                                        // 5
                  "type = \"stdout\"\n"                                 // 6
                  "headers = { X-A = \"b\" }\n"                         // 7
                  "[[output]]\n"                                        // 8
                  "type = \"webhook\"\n"                                // 9
                  "url = \"http://127.0.0.1:8080/in\"\n"                // 10
                  "dead_letter = \"dead.ndjson\"\nbatch_max = 0\n"      // 11, 12
                  "[[watchlist]]\npath = \"people.names\"\n");
  const auto file = (dir / "n.toml").string();
  const auto r = e2e::run({bin, "check", "--config", file});
  INFO(r.err);
  CHECK(r.code == 78);
  CHECK(r.err.find(file + ":3:") != std::string::npos);
  CHECK(r.err.find("unsupported scheme 'ftp'") != std::string::npos);
  CHECK(r.err.find(file + ":4:") != std::string::npos);
  CHECK(r.err.find("\"Bad Name\" is not a valid HTTP field name") != std::string::npos);
  CHECK(r.err.find("\"Host\" is set by newshound itself") != std::string::npos);
  CHECK(r.err.find(file + ":7:") != std::string::npos);
  CHECK(r.err.find("'headers' does not apply to a stdout output") != std::string::npos);
  CHECK(r.err.find(file + ":12:") != std::string::npos);
  CHECK(r.err.find(file + ":10:") == std::string::npos);  // the http URL is fine
}

TEST_CASE(
    "daemon: a webhook slower than timeout_ms is warned about and posted again, backing off") {
  e2e::TempDir dir;
  constexpr std::size_t kSlow = 5;  // answers after the timeout, then in time
  sinktest::HttpTestServer hook([](std::size_t i, const sinktest::HttpExchange&) {
    return sinktest::HttpReply{.delay = i < kSlow ? std::chrono::milliseconds(400)
                                                  : std::chrono::milliseconds(0)};
  });
  const auto in_port = e2e::free_port();
  auto daemon =
      start_daemon(dir, in_port,
                   "type = \"webhook\"\nurl = \"http://127.0.0.1:" + std::to_string(hook.port()) +
                       "/in\"\ntimeout_ms = 100\n"
                       "reconnect_initial_ms = 50\nreconnect_max_ms = 400\n");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(feed, e2e::asio::buffer(article(1)));
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(hook.wait_for(kSlow + 1) == kSlow + 1);
  REQUIRE(wait_until([&] {
    return e2e::read_file(dir / "err").find("answers in time again") != std::string::npos;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto reqs = hook.requests();
  CHECK(reqs.size() == kSlow + 1);  // posted again until answered in time, then no more
  for (const auto& r : reqs) CHECK(r.body == reqs[0].body);  // the same alert each time
  const std::string log = e2e::read_file(dir / "err");
  CHECK(log.find("gave no answer within timeout_ms = 100") != std::string::npos);
  CHECK(log.find("raise timeout_ms") != std::string::npos);
  CHECK(log.find("consistently slower than the timeout") != std::string::npos);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE("daemon: a 4xx with a 64 MB body dead-letters the body's start, in a 0640 file") {
  e2e::TempDir dir;
  std::string huge(64u << 20, 'x');
  huge.replace(0, 20, "{\"error\":\"too big\"} ");
  sinktest::HttpTestServer hook([&](std::size_t i, const sinktest::HttpExchange&) {
    return sinktest::HttpReply{.status = i == 0 ? 413 : 200, .body = i == 0 ? huge : ""};
  });
  const auto in_port = e2e::free_port();
  const auto dead = dir / "dead.ndjson";
  auto daemon =
      start_daemon(dir, in_port,
                   "type = \"webhook\"\nurl = \"http://127.0.0.1:" + std::to_string(hook.port()) +
                       "/in\"\ndead_letter = \"" + dead.string() + "\"\n");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(feed, e2e::asio::buffer(article(1) + article(2)));
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(hook.wait_for(2) == 2);  // the next alert is not held up
  REQUIRE(wait_until([&] { return lines_of(dead).size() == 1; }));
  const auto rec = boost::json::parse(lines_of(dead)[0]).as_object();
  CHECK(rec.at("status") == 413);
  CHECK(rec.at("response").as_string() == huge.substr(0, 4096));
  CHECK(rec.at("response_truncated") == true);
  CHECK(rec.at("alerts").as_array()[0].at("article") == "w1");
  CHECK((e2e::fs::status(dead).permissions() & e2e::fs::perms::all) ==
        (e2e::fs::perms::owner_read | e2e::fs::perms::owner_write | e2e::fs::perms::group_read));
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

// Tests (end-to-end): the real daemon POSTs alerts to a webhook (a scripted HTTP
// server in the test), retrying a 503; and SIGHUP makes a file output reopen its
// path after logrotate renamed the file.
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
  std::vector<std::string> out;
  std::istringstream in(e2e::read_file(p));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
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
  e2e::write_file(dir / "n.toml", "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" +
                                      std::to_string(in_port) + "\"\n[[output]]\n" + output +
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

TEST_CASE("check rejects an https webhook URL and bad headers with file:line") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\n");
  e2e::write_file(dir / "n.toml",
                  "[[output]]\n"                                        // 1
                  "type = \"webhook\"\n"                                // 2
                  "url = \"https://hooks.example.net/in\"\n"            // 3
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
  CHECK(r.err.find("https is not supported yet") != std::string::npos);
  CHECK(r.err.find(file + ":4:") != std::string::npos);
  CHECK(r.err.find("\"Bad Name\" is not a valid HTTP field name") != std::string::npos);
  CHECK(r.err.find("\"Host\" is set by newshound itself") != std::string::npos);
  CHECK(r.err.find(file + ":7:") != std::string::npos);
  CHECK(r.err.find("'headers' does not apply to a stdout output") != std::string::npos);
  CHECK(r.err.find(file + ":12:") != std::string::npos);
  CHECK(r.err.find(file + ":10:") == std::string::npos);  // the http URL is fine
}

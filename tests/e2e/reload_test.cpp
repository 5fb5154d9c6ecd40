// Tests (end-to-end): SIGHUP reloads the watch-lists without a restart; a broken
// watch-list on reload keeps the old rules matching.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "e2e/harness.hpp"

namespace {
using e2e::bin;

std::string entities_of(const std::string& alert_line) {
  std::string out;
  const auto alert = boost::json::parse(alert_line);
  for (const auto& m : alert.at("matches").as_array())
    out += std::string(m.at("entity").as_string()) + ";";
  return out;
}

bool wait_for_log(const e2e::fs::path& err, const std::string& needle, std::size_t occurrences) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    auto text = e2e::read_file(err);
    std::size_t n = 0;
    for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
    if (n >= occurrences) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}
/// A daemon watching dir/people.names (first: Blinken), feed in on `in_port`,
/// alerts out to `out_port`.
std::unique_ptr<e2e::Process> start_daemon(const e2e::TempDir& dir, std::uint16_t in_port,
                                           std::uint16_t out_port) {
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\n");
  e2e::write_file(dir / "n.toml",
                  "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
                      std::to_string(out_port) + "\"\n[[watchlist]]\npath = \"people.names\"\n" +
                      e2e::admin_off);
  return std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
      dir / "err");
}
}  // namespace

TEST_CASE("daemon: SIGHUP swaps the rules, and a broken list on reload keeps the old ones") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  auto daemon = start_daemon(dir, in_port, downstream.port());
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  const std::string line =
      R"({"uri":"r","headline":"Talks","body_text":"Blinken met Sergei Lavrov."})"
      "\n";

  e2e::asio::write(feed, e2e::asio::buffer(line));
  auto lines = downstream.wait_for(1);
  REQUIRE(lines.size() == 1);
  CHECK(entities_of(lines[0]) == "Antony Blinken;");
  const auto v1 = std::string(boost::json::parse(lines[0]).at("rules_version").as_string());

  e2e::write_file(dir / "people.names", "Sergei Lavrov|Lavrov\n");
  daemon->signal(SIGHUP);
  REQUIRE(wait_for_log(dir / "err", "reload: rules version", 1));
  e2e::asio::write(feed, e2e::asio::buffer(line));
  lines = downstream.wait_for(2);
  REQUIRE(lines.size() == 2);
  CHECK(entities_of(lines[1]) == "Sergei Lavrov;");
  const auto v2 = std::string(boost::json::parse(lines[1]).at("rules_version").as_string());
  CHECK(v1 != v2);

  e2e::write_file(dir / "people.names", "Sergei Lavrov|Lavrov\nBroken||Alias\n");
  daemon->signal(SIGHUP);
  REQUIRE(wait_for_log(dir / "err", "still running rules version " + v2, 1));
  CHECK(e2e::read_file(dir / "err").find("people.names:2:") != std::string::npos);
  e2e::asio::write(feed, e2e::asio::buffer(line));
  lines = downstream.wait_for(3);
  REQUIRE(lines.size() == 3);
  CHECK(entities_of(lines[2]) == "Sergei Lavrov;");
  CHECK(std::string(boost::json::parse(lines[2]).at("rules_version").as_string()) == v2);

  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE("daemon: a reload under a steady stream loses and duplicates nothing") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  auto daemon = start_daemon(dir, in_port, downstream.port());
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));

  // Stream without pause until the reload is done and 500 more lines went out.
  std::atomic<bool> reloaded{false};
  std::atomic<int> sent{0};
  std::thread sender([&] {
    int after = 0;
    for (int i = 0; after < 500; ++i) {
      std::string line = R"({"uri":"n)" + std::to_string(i) +
                         R"(","headline":"Talks","body_text":"Blinken spoke."})" + "\n";
      e2e::asio::write(feed, e2e::asio::buffer(line));
      sent = i + 1;
      if (reloaded) ++after;
      if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  REQUIRE(downstream.wait_for(300).size() >= 300);
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\nSergei Lavrov\n");
  daemon->signal(SIGHUP);
  REQUIRE(wait_for_log(dir / "err", "reload: rules version", 1));
  reloaded = true;
  sender.join();
  const int total = sent;
  auto lines = downstream.wait_for(static_cast<std::size_t>(total));
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == static_cast<std::size_t>(total));
  std::vector<std::string> versions;
  for (int i = 0; i < total; ++i) {
    auto a = boost::json::parse(lines[i]);
    REQUIRE(std::string(a.at("article").as_string()) == "n" + std::to_string(i));
    std::string v(a.at("rules_version").as_string());
    if (versions.empty() || versions.back() != v) versions.push_back(v);
  }
  // Exactly one switch point: every alert of the old rules, then every one of the new.
  CHECK(versions.size() == 2);
  // Neither the feed connection nor the output's connection was touched by the reload.
  CHECK(downstream.connections() == 1);
  CHECK(e2e::read_file(dir / "err").find("removed or changed") == std::string::npos);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE("daemon: a reload while the list is rewritten in place fails and keeps the old rules") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  auto daemon = start_daemon(dir, in_port, downstream.port());
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  const std::string line =
      R"({"uri":"r","headline":"Talks","body_text":"Blinken met Entity Number 4999."})"
      "\n";
  e2e::asio::write(feed, e2e::asio::buffer(line));
  REQUIRE(downstream.wait_for(1).size() == 1);  // running, signal handlers in place

  std::string full = "Antony Blinken|Blinken\n";
  for (int i = 0; i < 5000; ++i) full += "Entity Number " + std::to_string(i) + "\n";
  e2e::write_file(dir / "people.names", full);
  daemon->signal(SIGHUP);
  REQUIRE(wait_for_log(dir / "err", "reload: rules version", 1));
  e2e::asio::write(feed, e2e::asio::buffer(line));
  auto lines = downstream.wait_for(2);
  REQUIRE(lines.size() == 2);
  CHECK(entities_of(lines[1]) == "Antony Blinken;Entity Number 4999;");
  const auto v1 = std::string(boost::json::parse(lines[1]).at("rules_version").as_string());

  // An in-place rewrite, caught half-way: the file is truncated, its first half
  // written, and the writer is still busy with a line (a byte every 2 ms).
  const int fd = ::open((dir / "people.names").c_str(), O_WRONLY | O_TRUNC);
  REQUIRE(fd >= 0);
  const std::string half = full.substr(0, full.size() / 2) + "Entity Num";
  REQUIRE(::write(fd, half.data(), half.size()) == static_cast<ssize_t>(half.size()));
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      (void)!::write(fd, "b", 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  daemon->signal(SIGHUP);
  const bool failed = wait_for_log(dir / "err", "still running rules version " + v1, 1);
  stop = true;
  writer.join();
  ::close(fd);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(failed);
  CHECK(e2e::read_file(dir / "err").find("people.names:") != std::string::npos);
  CHECK(e2e::read_file(dir / "err").find("changed while it was read") != std::string::npos);

  // The old rules, all 5001 entities, keep alerting.
  e2e::asio::write(feed, e2e::asio::buffer(line));
  lines = downstream.wait_for(3);
  REQUIRE(lines.size() == 3);
  CHECK(entities_of(lines[2]) == "Antony Blinken;Entity Number 4999;");
  CHECK(std::string(boost::json::parse(lines[2]).at("rules_version").as_string()) == v1);

  // Replaced atomically (a temporary file renamed over it), the list reloads.
  e2e::write_file(dir / "people.names.tmp", "Sergei Lavrov|Lavrov\n");
  e2e::fs::rename(dir / "people.names.tmp", dir / "people.names");
  daemon->signal(SIGHUP);
  REQUIRE(wait_for_log(dir / "err", "reload: rules version", 2));
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

// Tests (end-to-end): the compiled watch-lists are cached in <state_dir>/hs-cache.
// A restart on unchanged lists loads them (the log says so) and alerts as before;
// a corrupt cache file is rejected and replaced; a reload with a changed list
// compiles; without a state_dir nothing is written.
#include <catch2/catch.hpp>

#include <fstream>

#include "e2e/harness.hpp"

namespace {

/// One daemon run on dir/c.toml: sends an article naming Blinken, waits for its
/// alert, stops; returns the log.
std::string run_once(const e2e::TempDir& dir, const std::string& state_dir) {
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "c.toml",
                  (state_dir.empty() ? "" : "state_dir = \"" + state_dir + "\"\n") +
                      "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
                      std::to_string(downstream.port()) +
                      "\"\n[[watchlist]]\npath = \"people.names\"\n" + e2e::admin_off);
  e2e::Process daemon({e2e::bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(feed, e2e::asio::buffer(std::string(
                             R"({"uri":"c1","headline":"Talks","body_text":"Blinken spoke."})"
                             "\n")));
  const auto lines = downstream.wait_for(1);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("\"Antony Blinken\"") != std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
  return e2e::read_file(dir / "err");
}

std::vector<e2e::fs::path> cache_files(const e2e::fs::path& dir) {
  std::vector<e2e::fs::path> out;
  std::error_code ec;
  for (const auto& e : e2e::fs::directory_iterator(dir, ec)) out.push_back(e.path());
  return out;
}

}  // namespace

TEST_CASE("daemon: a restart on unchanged lists loads the compiled lists from state_dir") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\nSergei Lavrov|Lavrov\n");
  e2e::fs::create_directories(dir / "state");
  const auto cache = dir / "state" / "hs-cache";

  auto log = run_once(dir, "state");
  CHECK(log.find("compiled in") != std::string::npos);
  REQUIRE(cache_files(cache).size() == 1);

  log = run_once(dir, "state");
  CHECK(log.find("loaded from the cache") != std::string::npos);

  // A damaged file is not trusted: compiled again, and the file replaced.
  const auto file = cache_files(cache).front();
  const auto size = e2e::fs::file_size(file);
  e2e::fs::resize_file(file, size - 7);
  log = run_once(dir, "state");
  CHECK(log.find("compiled in") != std::string::npos);
  CHECK(e2e::fs::file_size(file) == size);
  CHECK(run_once(dir, "state").find("loaded from the cache") != std::string::npos);

  // A changed list misses; the old list's file goes.
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\n");
  CHECK(run_once(dir, "state").find("compiled in") != std::string::npos);
  const auto now = cache_files(cache);
  REQUIRE(now.size() == 1);
  CHECK(now.front() != file);
}

TEST_CASE("daemon: without a state_dir folder the compiled lists are not cached") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Antony Blinken|Blinken\n");
  run_once(dir, "absent");
  CHECK_FALSE(e2e::fs::exists(dir / "absent"));
  CHECK(run_once(dir, "absent").find("compiled in") != std::string::npos);
}

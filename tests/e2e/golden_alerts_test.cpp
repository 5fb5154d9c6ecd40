// Tests (end-to-end): alert bytes on the Reuters corpus stay what they were. A
// refactor must not change one byte of an alert: `scan` (2 workers) and the daemon
// (TCP input, file output) both turn the whole corpus, matched against
// dense lists that hit nearly every article (tests/fixtures/golden/), into alerts
// whose SHA-256 (timestamps blanked) is the one recorded in
// tests/fixtures/golden/reuters-alerts.sha256.
//
// A change that is meant to change alerts (a new field, a snippet rule) updates
// that file in the same commit, saying why: the digest line is printed on failure,
// or by `scripts/golden-alerts.sh` (same inputs, any build).
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "e2e/harness.hpp"

namespace {

using e2e::bin;
using e2e::src;
const std::string golden = src + "/tests/fixtures/golden";
const std::string corpus = src + "/../shared/corpus/reuters21578.ndjson.gz";

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// "<sha256 hex> alerts=<n>", the format of reuters-alerts.sha256.
std::string digest_line(const std::string& alerts) {
  const auto r = e2e::run({"/usr/bin/sha256sum"}, e2e::without_times(alerts));
  REQUIRE(r.code == 0);
  return r.out.substr(0, 64) + " alerts=" + std::to_string(count_lines(alerts));
}

std::string expected_line() {
  std::string s = e2e::read_file(golden + "/reuters-alerts.sha256");
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string decompressed_corpus(const e2e::fs::path& dir) {
  const auto path = dir / "reuters.ndjson";
  const auto r = e2e::run({"/bin/sh", "-c", "gzip -dc '" + corpus + "' > '" + path.string() + "'"});
  REQUIRE(r.code == 0);
  return path.string();
}

const std::vector<std::string> lists = {golden + "/wire.names", golden + "/markets.names",
                                        golden + "/desk.topics"};

}  // namespace

TEST_CASE("golden alerts: scan writes the recorded alert bytes for the Reuters corpus") {
  if (!e2e::fs::exists(corpus)) {
    WARN("SKIPPED: " << corpus << " is absent (the Reuters corpus lives in ../shared)");
    return;
  }
  e2e::TempDir dir;
  const std::string feed = decompressed_corpus(dir.path);
  std::vector<std::string> argv = {bin, "scan", "--workers", "2"};
  for (const auto& l : lists) argv.insert(argv.end(), {"-w", l});
  e2e::Process scan(argv, dir / "alerts", dir / "err", feed);
  REQUIRE(scan.wait(std::chrono::seconds(300)) == 0);
  const std::string alerts = e2e::read_file(dir / "alerts");
  INFO(e2e::read_file(dir / "err"));
  CHECK(count_lines(alerts) > 15000);  // the lists hit nearly every article
  CHECK(digest_line(alerts) == expected_line());
}

TEST_CASE("golden alerts: the daemon writes the recorded alert bytes for the Reuters corpus") {
  if (!e2e::fs::exists(corpus)) {
    WARN("SKIPPED: " << corpus << " is absent (the Reuters corpus lives in ../shared)");
    return;
  }
  e2e::TempDir dir;
  const std::string feed = decompressed_corpus(dir.path);
  const std::size_t lines = count_lines(e2e::read_file(feed));  // the corpus has no blank line
  const auto port = e2e::free_port();
  const auto admin = e2e::free_port();
  std::ostringstream cfg;
  cfg << "[admin]\nlisten = \"127.0.0.1:" << admin << "\"\n"
      << "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" << port << "\"\n"
      << "[[output]]\ntype = \"file\"\npath = \"" << (dir / "alerts").string()
      << "\"\nfsync = \"never\"\n"
      // Every alert, copies of a story included, as `scan` writes by default.
      << "stories = \"all\"\n";
  for (const auto& l : lists) cfg << "[[watchlist]]\npath = \"" << l << "\"\n";
  e2e::write_file(dir / "c.toml", cfg.str());

  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  const auto replay = (e2e::fs::path(bin).parent_path() / "newshound-replay").string();
  e2e::Process replayer({replay, "--port", std::to_string(port), "--wait", "60", feed},
                        dir / "replay-out", dir / "replay-err");
  INFO("replayer: " << e2e::read_file(dir / "replay-err"));
  REQUIRE(replayer.wait(std::chrono::seconds(300)) == 0);
  // Every line taken by the pipeline (newshound_lines_total), then SIGTERM: the
  // daemon drains every batch in flight to the file before it exits 0. (Not
  // acknowledged input: the corpus has lines without text, which are never acked.)
  const std::string taken = "\nnewshound_lines_total " + std::to_string(lines) + "\n";
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (e2e::http(admin, "GET", "/metrics").body.find(taken) == std::string::npos &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  INFO("daemon: " << e2e::read_file(dir / "err").substr(0, 4000));
  REQUIRE(e2e::http(admin, "GET", "/metrics").body.find(taken) != std::string::npos);
  daemon.signal(SIGTERM);
  REQUIRE(daemon.wait(std::chrono::seconds(60)) == 0);
  CHECK(digest_line(e2e::read_file(dir / "alerts")) == expected_line());
}

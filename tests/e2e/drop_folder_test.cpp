// Tests (end-to-end): the drop folder (`[[input]] type = "directory"`) with the
// real daemon. Files written as *.tmp and renamed in, or written in place slowly,
// are alerted once and moved to done_dir; an undecodable file goes to failed_dir
// with a `.reason`; a FIFO and a file over max_file_bytes are refused without
// blocking the daemon; a daemon SIGKILLed after acceptance but before the move
// reads the file again at restart and the output gets its alert (same id) again.
#include <sys/stat.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "e2e/harness.hpp"
#include "e2e/hostile_util.hpp"

namespace {
using e2e::bin;
namespace fs = std::filesystem;
namespace h = e2e::hostile;

std::string config(const e2e::TempDir& dir, std::uint16_t admin_port, const std::string& extra) {
  return "[[input]]\ntype = \"directory\"\nname = \"drop\"\npath = \"" + (dir / "drop").string() +
         "\"\nmax_file_bytes = 65536\nretry_ms = 100\n" + extra +
         "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) +
         "\"\n[[output]]\ntype = \"file\"\npath = \"" + (dir / "alerts").string() +
         "\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n";
}

std::vector<std::string> alert_lines(const fs::path& p) {
  return e2e::complete_lines(p);
}

std::vector<std::string> wait_alerts(const fs::path& p, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (alert_lines(p).size() < n && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return alert_lines(p);
}

bool wait_exists(const fs::path& p) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!fs::exists(p) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return fs::exists(p);
}

std::string alert_id(const std::string& line) {
  return std::string(boost::json::parse(line).at("id").as_string());
}
}  // namespace

TEST_CASE("drop folder e2e: dropped files are alerted once, moved, or failed with a reason") {
  e2e::TempDir dir;
  fs::create_directory(dir / "drop");
  const auto admin_port = e2e::free_port();
  e2e::write_file(dir / "d.toml", config(dir, admin_port, ""));
  e2e::Process daemon({bin, "run", "--config", (dir / "d.toml").string()}, dir / "out",
                      dir / "err");
  REQUIRE(e2e::wait_for_text(dir / "err", "ready"));
  const fs::path drop = dir / "drop";

  // Special and huge files first (renamed in: a FIFO sends no close event), so
  // the good files after them show the daemon did not block on them.
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  fs::rename(dir / "pipe", drop / "pipe");
  e2e::write_file(dir / "huge.json", std::string(200000, ' ') + "{}");
  fs::rename(dir / "huge.json", drop / "huge.json");

  // A pretty-printed ninjs document, written as .tmp then renamed.
  e2e::write_file(drop / "a.json.tmp",
                  "{\n  \"uri\": \"a\",\n  \"body_text\": \"Sergei Lavrov spoke in Geneva.\"\n}\n");
  fs::rename(drop / "a.json.tmp", drop / "a.json");
  // Written in place, slowly: read only once closed.
  {
    std::ofstream slow(drop / "b.json", std::ios::binary);
    slow << "{\"uri\":\"b\"," << std::flush;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    slow << "\"body_text\":\"Lavrov again.\"}";
  }
  // NDJSON: one alert per line.
  e2e::write_file(drop / "c.ndjson",
                  e2e::article("c1", "Lavrov in Rome.") + e2e::article("c2", "Lavrov in Oslo."));
  // Not JSON at all.
  e2e::write_file(drop / "bad.json", "{\"uri\": \"bad\", oops\n");

  auto lines = wait_alerts(dir / "alerts", 4);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == 4);
  std::multiset<std::string> articles;
  for (const auto& l : lines) articles.insert(h::article_of(l));
  CHECK(articles == std::multiset<std::string>{"a", "b", "c1", "c2"});

  for (const char* name : {"a.json", "b.json", "c.ndjson"})
    CHECK(wait_exists(drop / ".done" / name));
  REQUIRE(wait_exists(drop / ".failed" / "bad.json.reason"));
  CHECK(e2e::read_file(drop / ".failed" / "bad.json.reason").find("not_json") != std::string::npos);
  REQUIRE(wait_exists(drop / ".failed" / "pipe.reason"));
  CHECK(e2e::read_file(drop / ".failed" / "pipe.reason").find("FIFO") != std::string::npos);
  REQUIRE(wait_exists(drop / ".failed" / "huge.json.reason"));
  CHECK(e2e::read_file(drop / ".failed" / "huge.json.reason").find("max_file_bytes") !=
        std::string::npos);
  CHECK(fs::is_empty(drop / ".failed") == false);

  auto m = h::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
  CHECK(m["newshound_input_files_done_total{input=\"drop\"}"] == 3);
  CHECK(m["newshound_input_files_failed_total{input=\"drop\"}"] == 3);
  CHECK(m["newshound_input_records_total{input=\"drop\"}"] == 5);
  CHECK(m["newshound_input_files_in_flight{input=\"drop\"}"] == 0);

  // Once alerted, never again (nothing left to read).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(alert_lines(dir / "alerts").size() == 4);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("drop folder e2e: SIGKILL after acceptance, before the move: read again at restart") {
  e2e::TempDir dir;
  fs::create_directory(dir / "drop");
  fs::create_directory(dir / "done");
  const auto admin_port = e2e::free_port();
  e2e::write_file(dir / "d.toml",
                  config(dir, admin_port, "done_dir = \"" + (dir / "done").string() + "\"\n"));
  e2e::Process first({bin, "run", "--config", (dir / "d.toml").string()}, dir / "out1",
                     dir / "err1");
  REQUIRE(e2e::wait_for_text(dir / "err1", "ready"));
  // The move cannot happen: done_dir is now a file (the daemon keeps trying).
  fs::remove(dir / "done");
  e2e::write_file(dir / "done", "in the way");
  e2e::write_file(dir / "drop" / "k.json",
                  "{\"uri\":\"k\",\"versioncreated\":\"2026-01-02T03:04:05Z\","
                  "\"body_text\":\"Sergei Lavrov arrived.\"}");
  auto lines = wait_alerts(dir / "alerts", 1);
  INFO(e2e::read_file(dir / "err1"));
  REQUIRE(lines.size() == 1);
  REQUIRE(e2e::wait_for_text(dir / "err1", "cannot move"));
  CHECK(fs::exists(dir / "drop" / "k.json"));
  first.signal(SIGKILL);
  CHECK(first.wait() == 128 + SIGKILL);

  fs::remove(dir / "done");
  fs::create_directory(dir / "done");
  e2e::Process second({bin, "run", "--config", (dir / "d.toml").string()}, dir / "out2",
                      dir / "err2");
  lines = wait_alerts(dir / "alerts", 2);
  INFO(e2e::read_file(dir / "err2"));
  REQUIRE(lines.size() == 2);
  CHECK(h::article_of(lines[1]) == "k");
  CHECK(alert_id(lines[0]) == alert_id(lines[1]));  // at least once, same alert id
  CHECK(wait_exists(dir / "done" / "k.json"));
  CHECK_FALSE(fs::exists(dir / "drop" / "k.json"));
  second.signal(SIGTERM);
  CHECK(second.wait() == 0);
}

TEST_CASE("drop folder e2e: check refuses folders that are missing or elsewhere") {
  e2e::TempDir dir;
  e2e::write_file(dir / "d.toml", config(dir, e2e::free_port(), ""));
  auto r = e2e::run({bin, "check", "--config", (dir / "d.toml").string()});
  CHECK(r.code != 0);
  CHECK(r.err.find("d.toml:4") != std::string::npos);  // the line of `path`
  CHECK(r.err.find("path") != std::string::npos);
  fs::create_directory(dir / "drop");
  e2e::write_file(dir / "d.toml", config(dir, e2e::free_port(),
                                         "failed_dir = \"" + (dir / "drop").string() + "\"\n"));
  r = e2e::run({bin, "check", "--config", (dir / "d.toml").string()});
  CHECK(r.code != 0);
  CHECK(r.err.find("drop folder itself") != std::string::npos);
}

TEST_CASE("drop folder e2e: a JSON array file gives one article per element") {
  e2e::TempDir dir;
  fs::create_directory(dir / "drop");
  e2e::write_file(dir / "d.toml", config(dir, e2e::free_port(), ""));
  e2e::Process daemon({bin, "run", "--config", (dir / "d.toml").string()}, dir / "out",
                      dir / "err");
  REQUIRE(e2e::wait_for_text(dir / "err", "ready"));
  const fs::path drop = dir / "drop";
  auto element = [](const std::string& id, const std::string& body) {
    std::string a = e2e::article(id, body);
    a.pop_back();  // its newline
    return a;
  };
  // Pretty-printed over several lines, as an export tool writes it.
  e2e::write_file(dir / "list.tmp", "[\n  " + element("arr1", "Lavrov in Rome.") + ",\n  " +
                                        element("arr2", "Lavrov in Oslo.") + "\n]\n");
  fs::rename(dir / "list.tmp", drop / "list.json");
  // A broken array is one record the decoder refuses: the file fails with a reason.
  e2e::write_file(dir / "broken.tmp", "[" + element("arr3", "Lavrov in Bern.") + ",,]");
  fs::rename(dir / "broken.tmp", drop / "broken.json");

  const auto lines = wait_alerts(dir / "alerts", 2);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == 2);
  std::multiset<std::string> articles;
  for (const auto& l : lines) articles.insert(h::article_of(l));
  CHECK(articles == std::multiset<std::string>{"arr1", "arr2"});
  CHECK(wait_exists(drop / ".done" / "list.json"));
  REQUIRE(wait_exists(drop / ".failed" / "broken.json.reason"));
  CHECK(e2e::read_file(drop / ".failed" / "broken.json.reason").find("not_json") !=
        std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

// Tests (end-to-end, hostile operator): signals and start-up of the real binary.
// A SIGHUP during the start-up compile is kept and reloads once the daemon runs
// (it used to kill it with a status systemd counts as clean); a FIFO where a
// regular file is meant (config, watch-list, file output, dead-letter file) is
// refused at once with file:line instead of hanging `check` or start-up.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "e2e/hostile_util.hpp"

namespace {
using e2e::bin;

/// True once /proc says `pid` catches SIGHUP (bit 0 of SigCgt).
bool catches_sighup(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("SigCgt:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) & 1) != 0;
  }
  return false;
}

/// Runs `newshound <argv...>` for at most 10 s; -1 when it was still running.
e2e::RunResult run_bounded(const std::vector<std::string>& argv) {
  e2e::TempDir dir;
  e2e::Process p(argv, dir / "out", dir / "err");
  const int code = p.wait(std::chrono::seconds(10));
  return {code, e2e::read_file(dir / "out"), e2e::read_file(dir / "err")};
}
}  // namespace

TEST_CASE("hostile start-up: a SIGHUP during the start-up compile reloads once running",
          "[hostile]") {
  e2e::TempDir dir;
  // Enough names that the start-up compile takes a while.
  std::string names;
  for (int i = 0; i < 20000; ++i)
    names += "Zorblat" + std::to_string(i) + " Quendrix" + std::to_string(i * 7) + "\n";
  e2e::write_file(dir / "many.names", names);
  const auto admin_port = e2e::free_port();
  const std::string config = (dir / "sighup.toml").string();
  e2e::write_file(config, "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) +
                              "\"\n[[watchlist]]\npath = \"many.names\"\n");
  e2e::Process daemon({bin, "run", "--config", config}, dir / "out", dir / "err");
  pid_t pid = 0;
  for (int i = 0; i < 500 && pid == 0; ++i) {
    pid = e2e::hostile::child_pid_with(config);
    if (pid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(pid != 0);
  // Wait until the handler exists, then send SIGHUP while still starting.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!catches_sighup(pid) && daemon.running() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // One connection attempt (e2e::http would retry until the port opens).
  e2e::asio::io_context io;
  e2e::tcp::socket probe(io);
  boost::system::error_code probe_ec;
  probe.connect(e2e::tcp::endpoint(e2e::asio::ip::address_v4::loopback(), admin_port), probe_ec);
  const bool ready_before = !probe_ec;
  probe.close(probe_ec);
  daemon.signal(SIGHUP);
  INFO(e2e::read_file(dir / "err"));
  CHECK_FALSE(ready_before);  // the SIGHUP came during start-up
  // The daemon survives it, becomes ready, and then reloads.
  double reloads = -1;
  for (int i = 0; i < 3000 && reloads < 1 && daemon.running(); ++i) {
    auto m = e2e::hostile::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
    reloads = m.count("newshound_reloads_total") ? m["newshound_reloads_total"] : -1;
    if (reloads < 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(daemon.running());
  CHECK(reloads == 1);
  CHECK(e2e::read_file(dir / "err").find("SIGHUP: reloading") != std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("hostile start-up: a FIFO where a regular file is meant is refused at once",
          "[hostile]") {
  e2e::TempDir dir;
  const std::string src = NEWSHOUND_SOURCE_DIR;
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  const std::string people =
      "[[watchlist]]\npath = \"" + src + "/config/watchlists/people.names\"\n";

  SECTION("a watch-list: `check` names the config line") {
    e2e::write_file(dir / "n.toml", e2e::admin_off + "[[watchlist]]\npath = \"fifo\"\n");
    const auto r = run_bounded({bin, "check", "--config", (dir / "n.toml").string()});
    CHECK(r.code == 78);
    CHECK(r.err.find("n.toml:4:") != std::string::npos);
    CHECK(r.err.find("FIFO") != std::string::npos);
  }
  SECTION("the config file itself") {
    const auto r = run_bounded({bin, "check", "--config", (dir / "fifo").string()});
    CHECK(r.code == 78);
    CHECK(r.err.find("FIFO") != std::string::npos);
  }
  SECTION("a file output: `run` stops before READY with the config line") {
    e2e::write_file(dir / "n.toml",
                    e2e::admin_off + people + "[[output]]\ntype = \"file\"\npath = \"fifo\"\n");
    const auto r = run_bounded({bin, "run", "--config", (dir / "n.toml").string()});
    CHECK(r.code == 78);
    CHECK(r.err.find("n.toml:7:") != std::string::npos);
    CHECK(r.err.find("FIFO") != std::string::npos);
  }
  SECTION("a webhook's dead-letter file") {
    e2e::write_file(dir / "n.toml",
                    e2e::admin_off + people +
                        "[[output]]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/x\"\n"
                        "dead_letter = \"fifo\"\n");
    const auto r = run_bounded({bin, "check", "--config", (dir / "n.toml").string()});
    CHECK(r.code == 78);
    CHECK(r.err.find("n.toml:8:") != std::string::npos);
    CHECK(r.err.find("FIFO") != std::string::npos);
  }
}

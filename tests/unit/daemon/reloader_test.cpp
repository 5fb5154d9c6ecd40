// Tests (daemon): the Reloader loads off the event loop, coalesces bursts of
// requests into at most one pending load, and reports failures without rules.
#include <boost/asio/executor_work_guard.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "newshound/daemon/reloader.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {
struct Dir {
  fs::path path = fs::temp_directory_path() / ("newshound-reloader-" + std::to_string(::getpid()));
  Dir() { fs::create_directories(path); }
  ~Dir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
};

/// Runs the loop until the reloader is idle.
void settle(boost::asio::io_context& io, const Reloader& r) {
  for (int i = 0; i < 100000 && r.busy(); ++i) io.run_one_for(std::chrono::milliseconds(10));
}
}  // namespace

TEST_CASE("reloader: a burst of requests coalesces into at most two loads") {
  Dir dir;
  dir.write("people.names", "Sergei Lavrov|Lavrov\n");
  dir.write("n.toml", "[[watchlist]]\npath = \"people.names\"\n");
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  int loaded = 0, failed = 0;
  std::string version;
  Reloader r(
      io, dir.path / "n.toml",
      [&](Config c, std::shared_ptr<const Rules> rules) {
        ++loaded;
        version = rules->version();
        CHECK(c.watchlists.size() == 1);
      },
      [&](const Diagnostics&) { ++failed; });
  for (int i = 0; i < 10; ++i) r.request();
  CHECK(r.busy());
  settle(io, r);
  CHECK(failed == 0);
  CHECK(loaded >= 1);
  CHECK(loaded <= 2);
  CHECK(version.size() == 12);
}

TEST_CASE("reloader: a broken watch-list reports file:line and no rules") {
  Dir dir;
  dir.write("people.names", "Sergei Lavrov|Lavrov\nBroken||Alias\n");
  dir.write("n.toml", "[[watchlist]]\npath = \"people.names\"\n");
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  int loaded = 0;
  Diagnostics got;
  Reloader r(
      io, dir.path / "n.toml", [&](Config, std::shared_ptr<const Rules>) { ++loaded; },
      [&](const Diagnostics& ds) { got = ds; });
  r.request();
  settle(io, r);
  CHECK(loaded == 0);
  REQUIRE(!got.empty());
  CHECK(got.front().format().find("people.names:2:") != std::string::npos);
}

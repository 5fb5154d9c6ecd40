// Stage: sink tests. FileSink when the disk fails it: a write cut short by a full
// disk (a real one: RLIMIT_FSIZE makes write() stop short, then fail with EFBIG)
// leaves only whole alerts and is retried on the backoff timer without new
// traffic; a rotation after a failed write starts the next file clean; a failed
// fdatasync (injected: no real way to make one fail here) with fsync = "always"
// does not count the alert sent, and syncs run off the event loop.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "newshound/sink/file_sink.hpp"
#include "sink_test_util.hpp"

using namespace newshound;
using sinktest::make_alert;
using sinktest::run_until;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// This process's soft RLIMIT_FSIZE lowered to `bytes` (SIGXFSZ ignored, so a
/// write past it stops short, then fails with EFBIG, as on a full disk) until
/// lift() or destruction.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit r = old_;
    r.rlim_cur = bytes;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &r) == 0);
  }
  ~FileSizeLimit() { lift(); }
  void lift() { ::setrlimit(RLIMIT_FSIZE, &old_); }

 private:
  rlimit old_{};
};

/// A sink at `path` that retries quickly and leaves syncing to the kernel.
FileSinkOptions quick_retry(std::filesystem::path path) {
  FileSinkOptions o;
  o.path = std::move(path);
  o.fsync = FsyncPolicy::never;
  o.queue.backoff = {std::chrono::milliseconds(5), std::chrono::milliseconds(20)};
  return o;
}

std::atomic<int> g_failing_syncs{0};
std::atomic<bool> g_synced_on_loop{false};
std::thread::id g_loop_thread;

int failing_datasync(int fd) {
  if (std::this_thread::get_id() == g_loop_thread) g_synced_on_loop = true;
  if (g_failing_syncs > 0) {
    --g_failing_syncs;
    errno = EIO;
    return -1;
  }
  return ::fdatasync(fd);
}

}  // namespace

TEST_CASE("FileSink: a write cut short by a full disk leaves whole alerts, the timer retries",
          "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "alerts.ndjson";
  boost::asio::io_context io;
  FileSink sink(io, "file:full", quick_retry(path));
  sink.start();
  REQUIRE(sink.submit(make_alert(0)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  const std::string first = make_alert(0)->json;
  std::string rest;
  for (int i = 1; i <= 5; ++i) rest += make_alert(i, 100)->json;
  {
    // Room for half of the next alert: its write stops short, the next fails.
    FileSizeLimit full(first.size() + make_alert(1, 100)->json.size() / 2);
    for (int i = 1; i <= 5; ++i) REQUIRE(sink.submit(make_alert(i, 100)));
    REQUIRE(run_until(io, [&] { return sink.stats().failed >= 2; }));
    CHECK(sink.stats().sent == 1);
    CHECK(sink.stats().queued == 5);
    CHECK(slurp(path) == first);  // the torn alert was cut off
  }
  // Room again, and no new alert: the backoff timer alone delivers the rest.
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 6; }));
  CHECK(slurp(path) == first + rest);
  CHECK(sink.stats().queued == 0);
}

TEST_CASE("FileSink: a rotation after a failed write starts the next file clean", "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "alerts.ndjson";
  const auto rotated = tmp.path / "alerts.ndjson.1";
  boost::asio::io_context io;
  FileSink sink(io, "file:rotfull", quick_retry(path));
  sink.start();
  REQUIRE(sink.submit(make_alert(0)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  std::string rest;
  for (int i = 1; i <= 3; ++i) rest += make_alert(i, 100)->json;
  {
    FileSizeLimit full(make_alert(0)->json.size() + 40);
    for (int i = 1; i <= 3; ++i) REQUIRE(sink.submit(make_alert(i, 100)));
    REQUIRE(run_until(io, [&] { return sink.stats().failed >= 1; }));
    CHECK(sink.stats().sent == 1);
    std::filesystem::rename(path, rotated);
    sink.reopen();
  }
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 4; }));
  CHECK(slurp(rotated) == make_alert(0)->json);
  CHECK(slurp(path) == rest);
}

TEST_CASE("FileSink: with fsync = always a failed fdatasync does not count the alert sent",
          "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "alerts.ndjson";
  boost::asio::io_context io;
  FileSinkOptions o = quick_retry(path);
  o.fsync = FsyncPolicy::always;
  o.datasync = &failing_datasync;
  g_loop_thread = std::this_thread::get_id();
  g_synced_on_loop = false;
  g_failing_syncs = 3;
  FileSink sink(io, "file:eio", o);
  int notified = 0;
  int failing_when_notified = -1;  // syncs still to fail when the alert was reported sent
  sink.set_sent_callback([&](const std::shared_ptr<const Alert>&) {
    ++notified;
    failing_when_notified = g_failing_syncs.load();
  });
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  CHECK(failing_when_notified == 0);  // not before every failing sync was behind it
  CHECK(g_failing_syncs == 0);
  CHECK(sink.stats().failed >= 3);
  CHECK(notified == 1);
  CHECK(sink.syncs() == 1);
  CHECK(slurp(path) == make_alert(1)->json);  // written again after each failure, once in all
  CHECK_FALSE(g_synced_on_loop);
}

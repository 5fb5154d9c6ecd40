// Stage: sink tests. FileSink and StdoutSink: appending, directories, reopen,
// fsync policies, retry after errors; and the RateLimiter they log through.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "newshound/sink/file_sink.hpp"
#include "newshound/sink/stdout_sink.hpp"
#include "newshound/util/rate_limit.hpp"
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
/// Options for a file sink at `path`, the queue bound as given.
FileSinkOptions file_options(std::filesystem::path path, std::size_t queue_bytes = 64u << 20) {
  FileSinkOptions o;
  o.path = std::move(path);
  o.queue.queue_bytes = queue_bytes;
  return o;
}

}  // namespace

TEST_CASE("FileSink appends to an existing file", "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "alerts.ndjson";
  { std::ofstream(path) << "{\"old\":1}\n"; }
  boost::asio::io_context io;
  FileSink sink(io, "file:alerts", file_options(path));
  sink.start();
  std::string expected = "{\"old\":1}\n";
  for (int i = 0; i < 5; ++i) {
    auto a = make_alert(i);
    expected += a->json;
    REQUIRE(sink.submit(a));
  }
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 5; }));
  CHECK(slurp(path) == expected);
  bool done = false;
  sink.stop(std::chrono::milliseconds(100), [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done; }));
  CHECK_FALSE(sink.submit(make_alert(9)));
  CHECK(sink.stats().rejected == 1);
  CHECK(sink.stats().accepted == 5);
}

TEST_CASE("FileSink creates missing parent directories and its file 0640", "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "not" / "there" / "yet" / "alerts.ndjson";
  boost::asio::io_context io;
  FileSink sink(io, "file:deep", file_options(path));
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  CHECK(slurp(path) == make_alert(1)->json);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0640 & ~[] {
          const mode_t m = ::umask(0);
          ::umask(m);
          return m;
        }()));
}

TEST_CASE("FileSink keeps alerts while the path is unusable and retries", "[sink][file]") {
  sinktest::TempDir tmp;
  const auto blocker = tmp.path / "blocker";
  { std::ofstream(blocker) << "a file where a folder should be"; }
  const auto path = blocker / "alerts.ndjson";
  boost::asio::io_context io;
  FileSink sink(io, "file:blocked", file_options(path));
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  sinktest::run_for(io, std::chrono::milliseconds(20));
  CHECK(sink.stats().sent == 0);
  CHECK(sink.stats().failed >= 1);
  CHECK(sink.stats().queued == 1);

  std::filesystem::remove(blocker);
  REQUIRE(sink.submit(make_alert(2)));  // the open is retried on the backoff timer
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 2; }));
  CHECK(slurp(path) == make_alert(1)->json + make_alert(2)->json);
  CHECK(sink.stats().queued == 0);
}

TEST_CASE("FileSink reopen() follows a rotated file", "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "alerts.ndjson";
  const auto rotated = tmp.path / "alerts.ndjson.1";
  boost::asio::io_context io;
  FileSink sink(io, "file:rot", file_options(path));
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  std::filesystem::rename(path, rotated);
  sink.reopen();
  REQUIRE(sink.submit(make_alert(2)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 2; }));
  CHECK(slurp(rotated) == make_alert(1)->json);
  CHECK(slurp(path) == make_alert(2)->json);
}

TEST_CASE("FileSink fsync policies: always syncs each write, interval coalesces, never none",
          "[sink][file]") {
  using F = FsyncPolicy;
  CHECK(parse_fsync_policy("always") == F::always);
  CHECK(parse_fsync_policy("interval") == F::interval);
  CHECK(parse_fsync_policy("never") == F::never);
  CHECK_FALSE(parse_fsync_policy("sometimes"));
  sinktest::TempDir tmp;
  boost::asio::io_context io;
  auto make = [&](const char* file, F policy) {
    FileSinkOptions o;
    o.path = tmp.path / file;
    o.fsync = policy;
    o.fsync_interval = std::chrono::milliseconds(20);
    return std::make_unique<FileSink>(io, std::string("file:") + file, o);
  };
  auto always = make("always.ndjson", F::always);
  auto interval = make("interval.ndjson", F::interval);
  auto never = make("never.ndjson", F::never);
  std::vector<std::string> notified;
  always->set_sent_callback([&](const std::shared_ptr<const Alert>& a) {
    CHECK(always->syncs() >= 1);  // on disk before it counts as delivered
    notified.push_back(a->id);
  });
  for (auto* s : {always.get(), interval.get(), never.get()}) s->start();
  for (int i = 0; i < 3; ++i) {
    for (auto* s : {always.get(), interval.get(), never.get()}) REQUIRE(s->submit(make_alert(i)));
    // Each round waits for the `always` sink too: its sync runs on a disk thread,
    // and an alert submitted meanwhile would join the next write (one sync for both).
    REQUIRE(run_until(io, [&] {
      return never->stats().sent == std::uint64_t(i + 1) &&
             always->stats().sent == std::uint64_t(i + 1);
    }));
  }
  REQUIRE(run_until(io, [&] { return always->stats().sent == 3 && interval->syncs() >= 1; }));
  CHECK(always->syncs() == 3);
  CHECK(notified == std::vector<std::string>{"id-0", "id-1", "id-2"});
  sinktest::run_for(io, std::chrono::milliseconds(60));
  CHECK(interval->syncs() <= 3);
  const auto interval_syncs = interval->syncs();
  sinktest::run_for(io, std::chrono::milliseconds(60));
  CHECK(interval->syncs() == interval_syncs);  // nothing new written: no more syncs
  CHECK(never->syncs() == 0);
  for (auto* s : {always.get(), interval.get(), never.get()}) {
    CHECK(slurp(tmp.path / (s->name().substr(5))) ==
          make_alert(0)->json + make_alert(1)->json + make_alert(2)->json);
  }
}

TEST_CASE("FileSink reopen() after a rename keeps queued alerts and reports each once",
          "[sink][file]") {
  sinktest::TempDir tmp;
  const auto path = tmp.path / "alerts.ndjson";
  boost::asio::io_context io;
  FileSinkOptions o;
  o.path = path;
  o.fsync = FsyncPolicy::always;
  FileSink sink(io, "file:rot2", o);
  int notified = 0;
  sink.set_sent_callback([&](const std::shared_ptr<const Alert>&) { ++notified; });
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  std::filesystem::rename(path, tmp.path / "alerts.ndjson.1");
  REQUIRE(sink.submit(make_alert(2)));  // queued, not yet written
  sink.reopen();
  CHECK(std::filesystem::exists(path));  // recreated at once, empty
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 2; }));
  CHECK(slurp(tmp.path / "alerts.ndjson.1") == make_alert(1)->json);
  CHECK(slurp(path) == make_alert(2)->json);
  CHECK(notified == 2);
}

TEST_CASE("FileSink queue is bounded in bytes", "[sink][file]") {
  sinktest::TempDir tmp;
  boost::asio::io_context io;
  const auto one = make_alert(1)->json.size();
  FileSink sink(io, "file:small", file_options(tmp.path / "a.ndjson", 2 * one));
  // Not run yet: everything stays queued.
  CHECK(sink.submit(make_alert(1)));
  CHECK(sink.submit(make_alert(2)));
  CHECK_FALSE(sink.submit(make_alert(3)));
  CHECK(sink.stats().rejected == 1);
  CHECK(sink.stats().queued_bytes == 2 * one);
}

TEST_CASE("StdoutSink writes lines to its descriptor", "[sink][stdout]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  boost::asio::io_context io;
  StdoutSinkOptions so;
  so.fd = fds[1];
  StdoutSink sink(io, "stdout", so);
  sink.start();
  std::string expected;
  for (int i = 0; i < 3; ++i) {
    expected += make_alert(i)->json;
    REQUIRE(sink.submit(make_alert(i)));
  }
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 3; }));
  std::string got(expected.size(), '\0');
  std::size_t have = 0;
  while (have < got.size()) {
    const ssize_t r = ::read(fds[0], got.data() + have, got.size() - have);
    REQUIRE(r > 0);
    have += static_cast<std::size_t>(r);
  }
  CHECK(got == expected);
  ::close(fds[0]);
  // Reader gone: writes fail (EPIPE; SIGPIPE is ignored here), are counted, kept.
  std::signal(SIGPIPE, SIG_IGN);
  REQUIRE(sink.submit(make_alert(7)));
  sinktest::run_for(io, std::chrono::milliseconds(20));
  CHECK(sink.stats().failed >= 1);
  CHECK(sink.stats().queued == 1);
  ::close(fds[1]);
}

TEST_CASE("RateLimiter allows one per interval and counts the rest", "[sink][util]") {
  using namespace std::chrono;
  RateLimiter rl(seconds(10));
  const auto t0 = RateLimiter::clock::time_point{} + hours(1);
  std::uint64_t quiet = 99;
  CHECK(rl.allow(&quiet, t0));
  CHECK(quiet == 0);
  CHECK_FALSE(rl.allow(&quiet, t0 + seconds(1)));
  CHECK_FALSE(rl.allow(&quiet, t0 + seconds(9)));
  CHECK(rl.suppressed() == 2);
  CHECK(rl.allow(&quiet, t0 + seconds(10)));
  CHECK(quiet == 2);
  CHECK(rl.suppressed() == 0);
}

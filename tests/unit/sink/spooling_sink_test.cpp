// Stage: sink tests. SpoolingSink around a scripted fake sink: pass-through while
// the inner sink accepts, spooling when it refuses or is down, order kept while
// draining, restart redelivery, the full spool refusing, one sent notification
// per alert, group commit off the event loop (notified only after the sync that
// covers it), shutdown, and the record encoding.
#include <catch2/catch.hpp>

#include <deque>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "newshound/sink/spooling_sink.hpp"
#include "sink_test_util.hpp"

using newshound::Alert;
using newshound::FsyncPolicy;
using newshound::SinkStats;
using newshound::SpoolingSink;
using newshound::SpoolingSinkOptions;

namespace {

/// A sink that takes alerts while `accepting` (up to `cap`) and delivers them
/// only when the test calls deliver().
class FakeSink final : public newshound::Sink {
 public:
  const std::string& name() const override { return name_; }
  void start() override { started = true; }
  bool submit(std::shared_ptr<const Alert> a) override {
    if (!accepting || queue.size() >= cap) {
      ++st.rejected;
      return false;
    }
    queue.push_back(std::move(a));
    ++st.accepted;
    return true;
  }
  void stop(std::chrono::milliseconds, std::function<void()> done) override {
    stopped = true;
    if (done) done();
  }
  SinkStats stats() const override {
    SinkStats s = st;
    s.queued = queue.size();
    return s;
  }
  /// Delivers up to `n` queued alerts, oldest first.
  void deliver(std::size_t n = SIZE_MAX) {
    while (n-- > 0 && !queue.empty()) {
      auto a = queue.front();
      queue.pop_front();
      delivered.push_back(a->id);
      ++st.sent;
      notify_sent(a);
    }
  }

  bool accepting = true, ready = true, started = false, stopped = false;
  std::size_t cap = 1000;
  std::deque<std::shared_ptr<const Alert>> queue;
  std::vector<std::string> delivered;
  SinkStats st;

 private:
  std::string name_ = "fake";
};

struct Rig {
  boost::asio::io_context io;
  FakeSink* inner = nullptr;
  std::unique_ptr<SpoolingSink> sink;
  std::map<std::string, int> notified;  ///< alert id -> sent notifications
  /// Per notification: group commits finished at that moment, and on which thread.
  std::vector<std::uint64_t> syncs_at_notify;
  bool notified_off_loop = false;

  Rig(const std::filesystem::path& dir, FsyncPolicy policy = FsyncPolicy::never,
      std::uint64_t max_bytes = 1u << 20) {
    auto f = std::make_unique<FakeSink>();
    inner = f.get();
    SpoolingSinkOptions o;
    o.spool.dir = dir;
    o.spool.max_bytes = max_bytes;
    o.spool.fsync = policy;
    o.fsync_interval = std::chrono::milliseconds(20);
    o.poll = std::chrono::milliseconds(5);
    o.inner_ready = [f = inner] { return f->ready; };
    sink = std::make_unique<SpoolingSink>(io, std::move(f), o);
    sink->set_sent_callback(
        [this, loop = std::this_thread::get_id()](const std::shared_ptr<const Alert>& a) {
          ++notified[a->id];
          syncs_at_notify.push_back(sink->sync_stats().syncs);
          if (std::this_thread::get_id() != loop) notified_off_loop = true;
        });
    sink->start();
  }

  void submit_range(int from, int to) {
    for (int i = from; i <= to; ++i) REQUIRE(sink->submit(sinktest::make_alert(i)));
  }

  /// Delivers until `n` alerts arrived at the fake destination.
  bool deliver_until(std::size_t n) {
    return sinktest::run_until(io, [&] {
      inner->deliver();
      return inner->delivered.size() >= n;
    });
  }
};

std::vector<std::string> ids(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i <= to; ++i) v.push_back("id-" + std::to_string(i));
  return v;
}

}  // namespace

TEST_CASE("spooling sink: alerts go straight through while the inner sink accepts",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  Rig r(tmp.path / "spool");
  REQUIRE(r.sink->spool_open());
  CHECK(r.inner->started);
  r.submit_range(1, 5);
  CHECK(r.inner->queue.size() == 5);
  CHECK(r.sink->spool_stats().appended == 0);
  CHECK(r.notified.empty());  // not yet delivered
  REQUIRE(r.deliver_until(5));
  CHECK(r.inner->delivered == ids(1, 5));
  for (const auto& id : ids(1, 5)) CHECK(r.notified[id] == 1);
  const SinkStats s = r.sink->stats();
  CHECK(s.accepted == 5);
  CHECK(s.sent == 5);
  CHECK(s.rejected == 0);
}

TEST_CASE("spooling sink: spools what the inner sink refuses and drains it in order",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  FsyncPolicy policy = FsyncPolicy::never;
  SECTION("fsync never") {
    policy = FsyncPolicy::never;
  }
  SECTION("fsync always") {
    policy = FsyncPolicy::always;
  }
  SECTION("fsync interval") {
    policy = FsyncPolicy::interval;
  }
  Rig r(tmp.path / "spool", policy);
  r.submit_range(1, 3);        // straight through
  r.inner->accepting = false;  // queue full
  r.submit_range(4, 10);       // spooled
  CHECK(r.sink->spool_stats().appended == 7);
  // Spooled alerts count as accepted for good once written (and synced).
  REQUIRE(sinktest::run_until(r.io, [&] { return r.notified.size() == 7; }));
  CHECK(r.notified.count("id-4") == 1);
  CHECK(r.notified.count("id-1") == 0);
  r.inner->accepting = true;
  r.submit_range(11, 12);  // behind the spooled ones, although the inner sink has room
  CHECK(r.sink->spool_stats().appended == 9);
  REQUIRE(r.deliver_until(12));
  CHECK(r.inner->delivered == ids(1, 12));
  // 11 and 12 may be delivered before their sync: notified then, once.
  REQUIRE(sinktest::run_until(r.io, [&] { return r.notified.size() == 12; }));
  for (const auto& id : ids(1, 12)) CHECK(r.notified[id] == 1);  // exactly once each
  REQUIRE(sinktest::run_until(r.io, [&] { return r.sink->spool_stats().records == 0; }));
  CHECK(r.sink->spool_stats().released == 9);
  // Drained: back to pass-through.
  r.submit_range(13, 13);
  CHECK(r.sink->spool_stats().appended == 9);
  CHECK(r.inner->queue.size() == 1);
}

TEST_CASE("spooling sink: with fsync on, spooled alerts are notified after their group commit",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  FsyncPolicy policy = FsyncPolicy::always;
  SECTION("fsync always") {
    policy = FsyncPolicy::always;
  }
  SECTION("fsync interval") {
    policy = FsyncPolicy::interval;
  }
  Rig r(tmp.path / "spool", policy);
  r.inner->ready = false;
  r.submit_range(1, 50);
  // Written, not yet synced: nothing counts as accepted for good yet.
  CHECK(r.notified.empty());
  CHECK(r.sink->sync_stats().pending == 50);
  REQUIRE(sinktest::run_until(r.io, [&] { return r.notified.size() == 50; }));
  CHECK(r.sink->sync_stats().pending == 0);
  CHECK(r.sink->sync_stats().syncs >= 1);
  CHECK(r.sink->sync_stats().seconds >= 0.0);
  for (auto n : r.syncs_at_notify) CHECK(n >= 1);  // every notification followed a commit
  CHECK_FALSE(r.notified_off_loop);                // and came on the event loop
  CHECK(r.sink->spool_stats().write_errors == 0);
  r.inner->ready = true;
  REQUIRE(r.deliver_until(50));
  CHECK(r.inner->delivered == ids(1, 50));
  for (const auto& id : ids(1, 50)) CHECK(r.notified[id] == 1);
}

TEST_CASE("spooling sink: stop settles the commit in flight, joins its thread, notifies once",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  {
    Rig r(tmp.path / "spool", FsyncPolicy::always);
    r.inner->ready = false;
    r.submit_range(1, 10);
    r.io.poll();  // the group commit starts on the disk thread
    r.submit_range(11, 20);
    bool stopped = false;
    r.sink->stop(std::chrono::milliseconds(10), [&] { stopped = true; });
    CHECK(stopped);
    // Everything was synced by stop() itself: notified, once each.
    CHECK(r.notified.size() == 20);
    sinktest::run_for(r.io, std::chrono::milliseconds(20));  // late completions change nothing
    for (const auto& id : ids(1, 20)) CHECK(r.notified[id] == 1);
    CHECK(r.sink->sync_stats().pending == 0);
  }
  {
    Rig r(tmp.path / "spool", FsyncPolicy::always);  // destroyed without stop()
    CHECK(r.sink->spool_stats().recovered == 20);
    r.inner->ready = false;
    r.submit_range(21, 25);
    r.io.poll();
  }
  Rig r(tmp.path / "spool", FsyncPolicy::always);
  CHECK(r.sink->spool_stats().recovered == 25);
  REQUIRE(r.deliver_until(25));
  CHECK(r.inner->delivered == ids(1, 25));
}

TEST_CASE("spooling sink: while the inner sink is down, alerts go to the spool",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  Rig r(tmp.path / "spool");
  r.inner->ready = false;
  r.submit_range(1, 4);
  CHECK(r.inner->queue.empty());
  CHECK(r.sink->spool_stats().records == 4);
  CHECK(r.sink->stats().queued == 4);
  sinktest::run_for(r.io, std::chrono::milliseconds(30));
  CHECK(r.inner->queue.empty());  // not drained while down
  r.inner->ready = true;
  REQUIRE(r.deliver_until(4));
  CHECK(r.inner->delivered == ids(1, 4));
}

TEST_CASE("spooling sink: a restart delivers what the previous run left, first",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  {
    Rig r(tmp.path / "spool");
    r.inner->ready = false;
    r.submit_range(1, 5);
    r.inner->ready = true;
    r.inner->cap = 2;  // two drained into the inner queue, never delivered
    REQUIRE(sinktest::run_until(r.io, [&] { return r.inner->queue.size() == 2; }));
    bool stopped = false;
    r.sink->stop(std::chrono::milliseconds(10), [&] { stopped = true; });
    CHECK(stopped);
    CHECK(r.inner->stopped);
    CHECK_FALSE(r.sink->spool_open());
  }
  Rig r(tmp.path / "spool");
  CHECK(r.sink->spool_stats().recovered == 5);  // in flight at the stop: redelivered
  r.submit_range(6, 6);
  REQUIRE(r.deliver_until(6));
  CHECK(r.inner->delivered == ids(1, 6));
  // Left-over records were accepted by the previous run: not notified again.
  CHECK(r.notified.count("id-1") == 0);
  CHECK(r.notified["id-6"] == 1);
}

TEST_CASE("spooling sink: a full spool refuses alerts until it drains", "[spooling_sink]") {
  sinktest::TempDir tmp;
  Rig r(tmp.path / "spool", FsyncPolicy::never, 64 * 1024);
  r.inner->ready = false;
  int n = 0;
  while (r.sink->submit(sinktest::make_alert(n, 2000))) ++n;
  CHECK(n > 10);
  CHECK(r.sink->stats().rejected == 1);
  CHECK_FALSE(r.sink->submit(sinktest::make_alert(n, 2000)));
  CHECK(r.sink->stats().rejected == 2);
  r.inner->ready = true;
  REQUIRE(r.deliver_until(std::size_t(n)));
  REQUIRE(sinktest::run_until(r.io, [&] { return r.sink->spool_stats().records == 0; }));
  CHECK(r.sink->submit(sinktest::make_alert(n, 2000)));
}

TEST_CASE("spooling sink: an unusable spool directory degrades to pass-through",
          "[spooling_sink]") {
  sinktest::TempDir tmp;
  { std::ofstream(tmp.path / "file") << "x"; }
  Rig r(tmp.path / "file" / "spool");
  CHECK_FALSE(r.sink->spool_open());
  r.submit_range(1, 2);
  REQUIRE(r.deliver_until(2));
  r.inner->accepting = false;
  CHECK_FALSE(r.sink->submit(sinktest::make_alert(3)));
  CHECK(r.sink->stats().rejected == 1);
}

TEST_CASE("spooling sink: records encode every field an alert needs after a restart",
          "[spooling_sink]") {
  auto a = std::make_shared<Alert>();
  a->id = "a1b2c3";
  a->article = "urn:x:\xE2\x80\x94";
  a->rules_version = "0123456789ab";
  a->json = "{\"id\":\"a1b2c3\"}\n";
  std::string buf;
  newshound::encode_spool_record(*a, buf);
  const auto b = newshound::decode_spool_record(buf);
  REQUIRE(b != nullptr);
  CHECK(b->id == a->id);
  CHECK(b->article == a->article);
  CHECK(b->rules_version == a->rules_version);
  CHECK(b->json == a->json);
  CHECK(newshound::decode_spool_record(buf.substr(0, buf.size() / 2)) == nullptr);
  CHECK(newshound::decode_spool_record("") == nullptr);
  buf[0] = 9;  // unknown version
  CHECK(newshound::decode_spool_record(buf) == nullptr);
}

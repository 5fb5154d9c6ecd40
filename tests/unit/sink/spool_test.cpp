// Stage: sink tests. Spool: append/read/release order, segment rollover and
// deletion, the size cap, reopening (cursor persisted), and recovery from damaged
// files: bad checksums, torn tails, zero-filled tails, corrupted cursors, foreign
// files, and a second user of the same directory. Detached syncs (SpoolSync) and
// the disk thread (SpoolWorker).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <thread>

#include "newshound/sink/spool.hpp"
#include "newshound/sink/spool_worker.hpp"
#include "sink_test_util.hpp"

namespace fs = std::filesystem;
using newshound::Spool;
using newshound::SpoolAppend;
using newshound::SpoolOptions;

namespace {

std::unique_ptr<Spool> open_ok(const SpoolOptions& o) {
  std::string err;
  auto s = Spool::open(o, err);
  INFO(err);
  REQUIRE(s != nullptr);
  return s;
}

std::string rec(int n, std::size_t pad = 0) {
  return "record-" + std::to_string(n) + std::string(pad, '.');
}

// Reads every record left (without releasing) and returns them.
std::vector<std::string> read_all(Spool& s) {
  std::vector<std::string> out;
  std::string p;
  while (s.read(p)) out.push_back(p);
  return out;
}

std::vector<fs::path> segments(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".seg") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
}

SpoolOptions options(const fs::path& dir) {
  SpoolOptions o;
  o.dir = dir / "spool";
  o.fsync = newshound::FsyncPolicy::never;  // tests do not need the disk
  return o;
}

}  // namespace

TEST_CASE("spool: CRC32C is the Castagnoli checksum", "[spool]") {
  CHECK(newshound::crc32c("123456789") == 0xE3069283u);
  CHECK(newshound::crc32c("") == 0u);
}

TEST_CASE("spool: records come back oldest first, released ones stay gone after reopen",
          "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  {
    auto s = open_ok(o);
    CHECK(s->empty());
    for (int i = 1; i <= 10; ++i) REQUIRE(s->append(rec(i)) == SpoolAppend::ok);
    CHECK(s->stats().records == 10);
    std::string p;
    for (int i = 1; i <= 5; ++i) {
      REQUIRE(s->read(p));
      CHECK(p == rec(i));
    }
    CHECK(s->outstanding() == 5);
    for (int i = 0; i < 3; ++i) s->release();
    CHECK(s->stats().records == 7);
    CHECK(s->stats().released == 3);
    CHECK(s->has_unread());
  }  // closed: records 4 and 5 were read but not released
  auto s = open_ok(o);
  CHECK(s->stats().recovered == 7);
  const auto left = read_all(*s);
  REQUIRE(left.size() == 7);
  CHECK(left.front() == rec(4));
  CHECK(left.back() == rec(10));
  for (std::size_t i = 0; i < left.size(); ++i) s->release();
  CHECK(s->empty());
  CHECK_FALSE(s->has_unread());
}

TEST_CASE("spool: segments roll over at their size and delivered ones are deleted", "[spool]") {
  sinktest::TempDir tmp;
  SpoolOptions o = options(tmp.path);
  o.segment_bytes = 4096;
  auto s = open_ok(o);
  for (int i = 0; i < 100; ++i) REQUIRE(s->append(rec(i, 200)) == SpoolAppend::ok);
  const auto segs = segments(o.dir);
  CHECK(segs.size() >= 5);
  for (const auto& p : segs) CHECK(fs::file_size(p) <= 4096);
  CHECK(s->stats().segments == segs.size());
  // Reading alone deletes nothing; releasing does, oldest first.
  const auto all = read_all(*s);
  REQUIRE(all.size() == 100);
  CHECK(segments(o.dir).size() == segs.size());
  for (int i = 0; i < 50; ++i) s->release();
  const auto half = segments(o.dir);
  CHECK(half.size() < segs.size());
  CHECK(half.front() != segs.front());
  for (int i = 0; i < 50; ++i) s->release();
  CHECK(s->empty());
  CHECK(segments(o.dir).size() == 1);  // the one still written to
  CHECK(s->stats().disk_bytes == fs::file_size(segments(o.dir).front()));
}

TEST_CASE("spool: the size cap refuses appends until delivered records make room", "[spool]") {
  sinktest::TempDir tmp;
  SpoolOptions o = options(tmp.path);
  o.max_bytes = 64 * 1024;
  o.segment_bytes = 8 * 1024;
  auto s = open_ok(o);
  int n = 0;
  while (s->append(rec(n, 1000)) == SpoolAppend::ok) ++n;
  CHECK(n >= 50);
  CHECK(n <= 64);
  CHECK(s->stats().disk_bytes <= o.max_bytes);
  CHECK(s->append(rec(n, 1000)) == SpoolAppend::full);
  std::string p;
  for (int i = 0; i < 20; ++i) {
    REQUIRE(s->read(p));
    s->release();
  }
  CHECK(s->append(rec(n, 1000)) == SpoolAppend::ok);

  SECTION("an empty spool takes one record larger than the cap") {
    sinktest::TempDir tmp2;
    SpoolOptions o2 = options(tmp2.path);
    o2.max_bytes = 4096;
    auto s2 = open_ok(o2);
    CHECK(s2->append(std::string(10000, 'x')) == SpoolAppend::ok);
    CHECK(s2->append("small") == SpoolAppend::full);
    REQUIRE(s2->read(p));
    CHECK(p.size() == 10000);
  }
}

TEST_CASE("spool: the cursor is persisted, a corrupted cursor restarts at the oldest record",
          "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  {
    auto s = open_ok(o);
    for (int i = 1; i <= 5; ++i) REQUIRE(s->append(rec(i)) == SpoolAppend::ok);
    std::string p;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(s->read(p));
      s->release();
    }
    CHECK(s->cursor_dirty());
    REQUIRE(s->save_cursor());
    CHECK_FALSE(s->cursor_dirty());
  }
  {
    auto s = open_ok(o);
    CHECK(s->stats().bad_cursors == 0);
    CHECK(read_all(*s) == std::vector<std::string>{rec(4), rec(5)});
  }
  SECTION("garbage in the cursor file") {
    spit(o.dir / "cursor", "this is not a cursor at all, not at all");
  }
  SECTION("a cursor with one flipped bit") {
    std::string c = slurp(o.dir / "cursor");
    REQUIRE(c.size() == 36);
    c[20] ^= 0x04;
    spit(o.dir / "cursor", c);
  }
  auto s = open_ok(o);
  CHECK(s->stats().bad_cursors == 1);
  const auto all = read_all(*s);
  REQUIRE(all.size() == 5);  // redelivered from the oldest: at-least-once
  CHECK(all.front() == rec(1));
}

TEST_CASE("spool: a record with a bad checksum is skipped and counted", "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  {
    auto s = open_ok(o);
    for (int i = 1; i <= 3; ++i) REQUIRE(s->append(rec(i, 10)) == SpoolAppend::ok);
  }
  const auto seg = segments(o.dir).at(0);
  std::string bytes = slurp(seg);
  const auto at = bytes.find(rec(2, 10));
  REQUIRE(at != std::string::npos);
  bytes[at + 3] ^= 0x20;  // one flipped bit in the payload
  spit(seg, bytes);

  auto s = open_ok(o);
  CHECK(s->stats().recovered == 3);  // framing is intact: found, not yet checked
  CHECK(read_all(*s) == std::vector<std::string>{rec(1, 10), rec(3, 10)});
  CHECK(s->stats().bad_records == 1);
  s->release();
  s->release();
  CHECK(s->empty());
  CHECK_FALSE(s->has_unread());
}

TEST_CASE("spool: a torn tail is truncated and counted, appends continue after it", "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  {
    auto s = open_ok(o);
    for (int i = 1; i <= 3; ++i) REQUIRE(s->append(rec(i, 100)) == SpoolAppend::ok);
  }
  const auto seg = segments(o.dir).at(0);
  const auto full = fs::file_size(seg);
  SECTION("cut inside the payload") {
    fs::resize_file(seg, full - 5);
  }
  SECTION("cut inside the record header") {
    fs::resize_file(seg, full - (100 + 8 + 8) + 3);
  }
  {
    auto s = open_ok(o);
    CHECK(s->stats().torn_tails == 1);
    CHECK(s->stats().recovered == 2);
    CHECK(fs::file_size(seg) == full - (8 + rec(3, 100).size()));
    REQUIRE(s->append(rec(4)) == SpoolAppend::ok);
    CHECK(read_all(*s) == std::vector<std::string>{rec(1, 100), rec(2, 100), rec(4)});
  }
  auto s = open_ok(o);
  CHECK(s->stats().torn_tails == 0);
  CHECK(s->stats().recovered == 3);
}

TEST_CASE("spool: a zero-filled tail is skipped and counted, never blocks start-up", "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  {
    auto s = open_ok(o);
    for (int i = 1; i <= 2; ++i) REQUIRE(s->append(rec(i)) == SpoolAppend::ok);
  }
  const auto seg = segments(o.dir).at(0);
  std::ofstream(seg, std::ios::binary | std::ios::app) << std::string(4096, '\0');
  auto s = open_ok(o);
  CHECK(s->stats().bad_records == 1);
  CHECK(read_all(*s) == std::vector<std::string>{rec(1), rec(2)});
  s->release();
  s->release();
  CHECK(s->empty());
}

TEST_CASE("spool: foreign files are left alone, bad segments set aside", "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  fs::create_directories(o.dir);
  spit(o.dir / "notes.txt", "left here by someone");
  spit(o.dir / "0000000000000007.seg", "not a segment header");
  auto s = open_ok(o);
  CHECK(s->stats().garbage_files == 2);
  CHECK(fs::exists(o.dir / "notes.txt"));
  CHECK(fs::exists(o.dir / "0000000000000007.seg.corrupt"));
  REQUIRE(s->append("after") == SpoolAppend::ok);
  const auto segs = segments(o.dir);
  REQUIRE(segs.size() == 1);
  CHECK(segs[0].filename() == "0000000000000008.seg");  // numbering never goes back
  CHECK(read_all(*s) == std::vector<std::string>{"after"});
}

TEST_CASE("spool: one user per directory, open errors name the path", "[spool]") {
  sinktest::TempDir tmp;
  const SpoolOptions o = options(tmp.path);
  auto first = open_ok(o);
  std::string err;
  CHECK(Spool::open(o, err) == nullptr);
  CHECK(err.find(o.dir.string()) != std::string::npos);
  CHECK(err.find("spool_dir") != std::string::npos);
  first.reset();
  CHECK(Spool::open(o, err) != nullptr);

  spit(tmp.path / "file", "x");
  SpoolOptions bad = o;
  bad.dir = tmp.path / "file" / "spool";
  err.clear();
  CHECK(Spool::open(bad, err) == nullptr);
  CHECK(err.find((tmp.path / "file" / "spool").string()) != std::string::npos);
}

TEST_CASE("spool: everything released across segments leaves no old segment behind on reopen",
          "[spool]") {
  sinktest::TempDir tmp;
  SpoolOptions o = options(tmp.path);
  o.segment_bytes = 4096;
  {
    auto s = open_ok(o);
    for (int i = 0; i < 60; ++i) REQUIRE(s->append(rec(i, 300)) == SpoolAppend::ok);
    const std::size_t n = read_all(*s).size();
    CHECK(n == 60);
    for (std::size_t i = 0; i < n; ++i) s->release();
    CHECK(s->empty());
  }
  {
    auto s = open_ok(o);
    CHECK(s->stats().recovered == 0);
    CHECK_FALSE(s->has_unread());
    REQUIRE(s->append("next") == SpoolAppend::ok);
    CHECK(read_all(*s) == std::vector<std::string>{"next"});
    s->release();
  }
  auto s = open_ok(o);
  CHECK(s->empty());
  CHECK(segments(o.dir).size() <= 1);
}

TEST_CASE("spool: a detached sync covers rolled-over segments and runs on another thread",
          "[spool]") {
  sinktest::TempDir tmp;
  SpoolOptions o = options(tmp.path);
  o.fsync = newshound::FsyncPolicy::always;
  o.segment_bytes = 4096;
  auto s = open_ok(o);
  for (int i = 0; i < 60; ++i) REQUIRE(s->append(rec(i, 200)) == SpoolAppend::ok);
  REQUIRE(segments(o.dir).size() >= 3);
  newshound::SpoolSync sync = s->take_sync();
  CHECK_FALSE(sync.empty());
  // Appending goes on meanwhile: the sync owns its own descriptors.
  bool ok = false;
  std::string err;
  std::thread t([&] { ok = sync.run(err); });
  for (int i = 60; i < 80; ++i) REQUIRE(s->append(rec(i, 200)) == SpoolAppend::ok);
  t.join();
  INFO(err);
  CHECK(ok);
  CHECK(sync.empty());
  CHECK(s->sync());
  CHECK(s->stats().write_errors == 0);
  CHECK(read_all(*s).size() == 80);
  // A cursor taken on one thread is written on another and read back after reopen.
  for (int i = 0; i < 30; ++i) s->release();
  const std::string cursor = s->take_cursor();
  REQUIRE(cursor.size() == 36);
  CHECK(s->take_cursor().empty());  // saved (taken) once
  std::string cerr;
  std::thread([&] { cerr = Spool::write_cursor(o.dir, cursor, true); }).join();
  CHECK(cerr.empty());
  CHECK(Spool::write_cursor(o.dir / "missing", cursor, true).find("missing") != std::string::npos);
  s.reset();
  auto again = open_ok(o);
  CHECK(again->stats().recovered == 50);
}

TEST_CASE("spool worker: runs jobs in order off the calling thread, stop joins", "[spool]") {
  std::vector<int> order;
  std::thread::id ran_on;
  {
    newshound::SpoolWorker w;
    for (int i = 0; i < 20; ++i)
      w.run([&order, &ran_on, i] {
        order.push_back(i);
        ran_on = std::this_thread::get_id();
      });
    w.stop();  // every queued job ran
    CHECK(w.pending() == 0);
    REQUIRE(order.size() == 20);
    for (int i = 0; i < 20; ++i) CHECK(order[std::size_t(i)] == i);
    CHECK(ran_on != std::this_thread::get_id());
    w.run([&] { ran_on = std::this_thread::get_id(); });  // after stop: inline
    CHECK(ran_on == std::this_thread::get_id());
    w.stop();  // idempotent
  }
  newshound::SpoolWorker unused;  // never started: destroys cleanly
}

// Tests (stories): the SQLite store keeps stories, alerted versions and holds across
// a close and reopen, keeps every committed batch and no torn one across a SIGKILL,
// starts empty with a warning from a corrupt file, refuses a newer schema, creates a
// missing directory and names an unwritable one.
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "newshound/stories/story_store.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {

const Clock::time_point kStoreT0 = Clock::time_point(std::chrono::hours(24 * 365 * 56));

struct StoreTempDir {
  fs::path path;
  StoreTempDir() {
    std::string t = (fs::temp_directory_path() / "newshound-store-XXXXXX").string();
    path = mkdtemp(t.data());
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  }
  ~StoreTempDir() {
    std::error_code ec;
    fs::permissions(path / "ro", fs::perms::owner_all, ec);
    fs::remove_all(path, ec);
  }
};

std::uint64_t store_mix(std::uint64_t x) {  // splitmix64: far-apart test signatures
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Signature store_sig(std::uint64_t n) {
  return {store_mix(n), 100};
}

Arrival store_arrival(std::string_view id, std::string_view version, std::uint64_t matches,
                      std::string_view alert) {
  Arrival a;
  a.article_id = id;
  a.version = version;
  a.matches = matches;
  a.alert_id = alert;
  return a;
}

// The tables schemas 1 and 2 both had, as they wrote them (their `alerts` differ).
const char* const kStoreOldTables =
    "CREATE TABLE stories(id TEXT PRIMARY KEY, first_article TEXT NOT NULL,"
    " simhash INTEGER NOT NULL, seq INTEGER NOT NULL, used INTEGER NOT NULL,"
    " copies INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL, indexed INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE articles(id TEXT PRIMARY KEY, version TEXT NOT NULL,"
    " matches INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL, used INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE holds(article_id TEXT PRIMARY KEY, release_ns INTEGER NOT NULL,"
    " matches INTEGER NOT NULL, alert_id TEXT NOT NULL, payload BLOB NOT NULL)"
    " WITHOUT ROWID;";

std::string store_ns(Clock::time_point t) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

// Writes batch `k` (50 stories and 50 alerted articles) without committing it.
void store_fill_batch(StoryIndex& index, Lifecycle& life, int k) {
  for (int i = 0; i < 50; ++i) {
    const std::string id = "b" + std::to_string(k) + "-" + std::to_string(i);
    index.add(id, store_sig(static_cast<std::uint64_t>(k * 1000 + i)), kStoreT0);
    life.decide(store_arrival(id, "1", 7, "alert-" + id), kStoreT0);
  }
}

}  // namespace

TEST_CASE("store: stories, alerted versions and holds survive a close and reopen") {
  StoreTempDir dir;
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    const StoryStoreOpened o = store.open(dir.path, index, life);
    REQUIRE(o.error.empty());
    CHECK(o.warning.empty());
    CHECK(o.stories == 0);
    index.add("s1", store_sig(1), kStoreT0);
    index.add("s1-copy", store_sig(1), kStoreT0 + std::chrono::minutes(1));
    index.add("s2", store_sig(2), kStoreT0);
    life.decide(store_arrival("a", "1", 1, "a1"), kStoreT0);
    life.decide(store_arrival("a", "2", 2, "a2"), kStoreT0);  // update
    Arrival held = store_arrival("h", "1", 1, "h1");
    held.embargo = kStoreT0 + std::chrono::hours(3);
    const std::string payload("{\"x\":1}\0bytes", 13);  // outlives decide(): a view
    held.payload = payload;
    life.decide(held, kStoreT0);
    Arrival kill = store_arrival("k", "1", 0, "");
    kill.pubstatus = PubStatus::canceled;
    life.decide(kill, kStoreT0);
    REQUIRE(store.commit(index, life).empty());
    CHECK(store.counts().commits == 1);
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  INFO(o.error);
  REQUIRE(o.error.empty());
  CHECK(o.warning.empty());
  CHECK(o.stories == 2);
  CHECK(o.articles == 3);
  CHECK(o.held == 1);

  const auto s1 = index.find(store_sig(1), kStoreT0);
  REQUIRE(s1);
  CHECK(s1->duplicate_of == "s1");
  CHECK(s1->copies == 2);
  const StoryHit join = index.add("s2-copy", store_sig(2), kStoreT0);
  CHECK_FALSE(join.is_new);
  CHECK(join.duplicate_of == "s2");

  CHECK(life.decide(store_arrival("a", "2", 2, "x"), kStoreT0).reason == LifecycleReason::replay);
  CHECK(life.decide(store_arrival("k", "0", 1, "x"), kStoreT0).reason == LifecycleReason::stale);
  std::vector<Release> out;
  life.due(kStoreT0 + std::chrono::hours(3), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].alert_id == "h1");
  CHECK(out[0].payload == std::string("{\"x\":1}\0bytes", 13));
  CHECK(out[0].decision.event == LifecycleEvent::new_alert);
  Arrival kill = store_arrival("a", "3", 0, "");
  kill.pubstatus = PubStatus::withheld;
  CHECK(life.decide(kill, kStoreT0).retracts == std::vector<std::string>{"a1", "a2"});

  // The changes since the reopen are written too; the released hold is gone.
  REQUIRE(store.commit(index, life).empty());
  store.close();
  StoryIndex index2;
  Lifecycle life2;
  const StoryStoreOpened o2 = store.open(dir.path, index2, life2);
  REQUIRE(o2.error.empty());
  CHECK(o2.held == 0);
  CHECK(index2.find(store_sig(2), kStoreT0)->copies == 2);
  CHECK(life2.decide(store_arrival("h", "2", 1, "h2"), kStoreT0).reason ==
        LifecycleReason::unchanged);
}

// Stories and articles go into the store in statements of 16, 8, 4, 2 and 1 rows
// (story_store_write.cpp): 37 of each use every size but 8; each row must read back
// as its own.
TEST_CASE("store: every row of a many-row commit reads back as written") {
  StoreTempDir dir;
  constexpr int kRows = 37;
  auto name = [](const char* prefix, int i) { return prefix + std::to_string(i); };
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    for (int i = 0; i < kRows; ++i) {
      const auto sig = store_sig(static_cast<std::uint64_t>(i));
      index.add(name("s", i), sig, kStoreT0);
      for (int c = 0; c < i % 3; ++c)
        index.add(name("s", i) + "-copy" + std::to_string(c), sig, kStoreT0);
      const std::string id = name("a", i), alert = name("al", i);  // Arrival holds views
      Arrival a = store_arrival(id, "1", static_cast<std::uint64_t>(i + 1), alert);
      const std::string payload = name("payload", i);
      if (i % 5 == 0) {
        a.embargo = kStoreT0 + std::chrono::hours(1);
        a.payload = payload;
      }
      life.decide(a, kStoreT0);
      if (i % 5 != 0) life.took(name("a", i), name("al", i), {name("out", i)});
    }
    REQUIRE(store.commit(index, life).empty());
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  REQUIRE(o.error.empty());
  CHECK(o.stories == kRows);
  CHECK(o.articles == kRows);
  CHECK(o.held == (kRows + 4) / 5);
  for (int i = 0; i < kRows; ++i) {
    INFO("row " << i);
    const auto hit = index.find(store_sig(static_cast<std::uint64_t>(i)), kStoreT0);
    REQUIRE(hit);
    CHECK(hit->duplicate_of == name("s", i));
    CHECK(hit->copies == static_cast<std::uint32_t>(1 + i % 3));
    if (i % 5 == 0) continue;
    const std::string id = name("a", i);
    Arrival kill = store_arrival(id, "2", 0, "");
    kill.pubstatus = PubStatus::canceled;
    const LifecycleDecision d = life.decide(kill, kStoreT0);
    CHECK(d.retracts == std::vector<std::string>{name("al", i)});
    CHECK(d.retract_to.names == std::vector<std::string>{name("out", i)});
  }
  std::vector<Release> released;
  life.due(kStoreT0 + std::chrono::hours(1), released);
  REQUIRE(released.size() == (kRows + 4) / 5);
  for (const Release& r : released) {
    const int i = std::stoi(r.alert_id.substr(2));
    CHECK(r.payload == name("payload", i));
  }
}

// A new article's rows are inserted without deleting first (StoryStore::
// write_hold, ArticleRecord::fresh): one evicted and seen again in the same
// batch must still lose its old alerts and hold, and a restored one its replaced rows.
TEST_CASE("store: an article evicted and seen again is written afresh, its old rows gone") {
  StoreTempDir dir;
  LifecycleOptions lo;
  lo.max_articles = 1;
  const std::string payload = "{}";
  {
    StoryIndex index;
    Lifecycle life(lo);
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    life.decide(store_arrival("x", "1", 1, "x1"), kStoreT0);
    life.decide(store_arrival("x", "2", 2, "x2"), kStoreT0);  // update: two alerts in force
    Arrival held = store_arrival("x", "3", 3, "x3");
    held.embargo = kStoreT0 + std::chrono::hours(3);
    held.payload = payload;
    CHECK(life.decide(held, kStoreT0).event == LifecycleEvent::hold);
    REQUIRE(store.commit(index, life).empty());
    life.decide(store_arrival("y", "1", 1, "y1"), kStoreT0);  // evicts x
    life.decide(store_arrival("x", "5", 1, "x5"), kStoreT0);  // evicts y: x anew, one alert
    REQUIRE(store.commit(index, life).empty());
  }
  {
    StoryIndex index;
    Lifecycle life(lo);
    StoryStore store;
    const StoryStoreOpened o = store.open(dir.path, index, life);
    REQUIRE(o.error.empty());
    CHECK(o.articles == 1);
    CHECK(o.held == 0);
    // Restored, then updated: its alert rows are replaced, not added to.
    CHECK(life.decide(store_arrival("x", "6", 2, "x6"), kStoreT0).event == LifecycleEvent::update);
    REQUIRE(store.commit(index, life).empty());
  }
  StoryIndex index;
  Lifecycle life(lo);
  StoryStore store;
  REQUIRE(store.open(dir.path, index, life).error.empty());
  Arrival kill = store_arrival("x", "7", 0, "");
  kill.pubstatus = PubStatus::canceled;
  CHECK(life.decide(kill, kStoreT0).retracts == std::vector<std::string>{"x5", "x6"});
}

TEST_CASE("store: stories and articles dropped by the caps are deleted") {
  StoreTempDir dir;
  StoryOptions so;
  so.max_stories = 2;
  LifecycleOptions lo;
  lo.max_articles = 2;
  {
    StoryIndex index(so);
    Lifecycle life(lo);
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    for (int i = 0; i < 5; ++i) {
      const std::string id = "a" + std::to_string(i);
      index.add(id, store_sig(static_cast<std::uint64_t>(i)), kStoreT0);
      life.decide(store_arrival(id, "1", 1, id), kStoreT0);
      if (i % 2 == 0) REQUIRE(store.commit(index, life).empty());
    }
  }
  StoryIndex index(so);
  Lifecycle life(lo);
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  CHECK(o.stories == 2);
  CHECK(o.articles == 2);
  CHECK(index.find(store_sig(4), kStoreT0));
  CHECK(index.find(store_sig(3), kStoreT0));
  CHECK_FALSE(index.find(store_sig(2), kStoreT0));
  CHECK(life.known("a4"));
  CHECK_FALSE(life.known("a2"));
}

TEST_CASE("store: a lower cap at reopen evicts, and the next commit deletes what it evicted") {
  StoreTempDir dir;
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    for (int i = 0; i < 5; ++i) index.add("s" + std::to_string(i), store_sig(i), kStoreT0);
    REQUIRE(store.commit(index, life).empty());
    CHECK(store.counts().commits == 1);
    REQUIRE(store.commit(index, life).empty());  // nothing changed: no transaction
    CHECK(store.counts().commits == 1);
  }
  StoryOptions small;
  small.max_stories = 2;
  {
    StoryIndex index(small);
    Lifecycle life;
    StoryStore store;
    CHECK(store.open(dir.path, index, life).stories == 5);
    CHECK(index.counts().stories == 2);
    CHECK(index.counts().evicted == 3);
    REQUIRE(store.commit(index, life).empty());
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  CHECK(store.open(dir.path, index, life).stories == 2);
  CHECK(index.find(store_sig(4), kStoreT0));
  CHECK(index.find(store_sig(3), kStoreT0));
}

namespace {
int store_crash_fd = -1;
// Inside the last batch's transaction: tell the parent, then wait for the kill.
void store_crash_hook() {
  const int k = -1;
  if (write(store_crash_fd, &k, sizeof k) != sizeof k) _exit(6);
  for (;;) pause();
}
}  // namespace

// The child commits ten batches, then writes a large one (bigger than SQLite's page
// cache, so uncommitted pages spill into the WAL) and is killed before its COMMIT.
TEST_CASE("store: a SIGKILL mid-batch keeps every committed batch and no torn one") {
  StoreTempDir dir;
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    store_crash_fd = fds[1];
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    if (!store.open(dir.path, index, life).error.empty()) _exit(3);
    for (int k = 0; k < 10; ++k) {
      store_fill_batch(index, life, k);
      if (!store.commit(index, life).empty()) _exit(4);
      if (write(fds[1], &k, sizeof k) != sizeof k) _exit(5);
    }
    for (int k = 10; k < 400; ++k) store_fill_batch(index, life, k);
    store.set_commit_hook(store_crash_hook);
    store.commit(index, life);
    _exit(7);
  }
  close(fds[1]);
  int last = -2, k = 0;
  std::uintmax_t committed_wal = 0;
  while (last != -1 && read(fds[0], &k, sizeof k) == sizeof k) {
    last = k;
    if (k == 9) committed_wal = fs::file_size(dir.path / "stories.db-wal");
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(fds[0]);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(last == -1);
  // Uncommitted pages were spilled into the WAL before the kill.
  CHECK(fs::file_size(dir.path / "stories.db-wal") > committed_wal + 256 * 1024);

  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  REQUIRE(o.error.empty());
  CHECK(o.warning.empty());
  CHECK(o.stories == 500);
  CHECK(o.articles == 500);
  for (int b = 0; b <= 10; ++b) {
    for (int i = 0; i < 50; ++i) {
      const std::string id = "b" + std::to_string(b) + "-" + std::to_string(i);
      const bool committed = b < 10;
      CHECK(life.known(id) == committed);
      CHECK(index.find(store_sig(static_cast<std::uint64_t>(b * 1000 + i)), kStoreT0).has_value() ==
            committed);
    }
  }
  // The store goes on from there.
  store_fill_batch(index, life, 10);
  REQUIRE(store.commit(index, life).empty());
}

TEST_CASE("store: a corrupt file starts empty with a warning and is moved aside") {
  StoreTempDir dir;
  {
    std::ofstream garbage(dir.path / StoryStore::kFileName, std::ios::binary);
    for (int i = 0; i < 8192; ++i) garbage.put(static_cast<char>(store_mix(i) & 0xff));
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  REQUIRE(o.error.empty());
  CHECK(o.warning.find("stories.db") != std::string::npos);
  CHECK(o.warning.find("starting empty") != std::string::npos);
  CHECK(o.stories == 0);
  CHECK(fs::exists(dir.path / "stories.db.corrupt"));
  // The fresh store works.
  index.add("s", store_sig(9), kStoreT0);
  REQUIRE(store.commit(index, life).empty());
  store.close();
  StoryIndex again;
  Lifecycle life2;
  const StoryStoreOpened o2 = store.open(dir.path, again, life2);
  CHECK(o2.warning.empty());
  CHECK(o2.stories == 1);
}

TEST_CASE("store: damaged pages found while loading start empty, nothing half loaded") {
  StoreTempDir dir;
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    for (int k = 0; k < 40; ++k) store_fill_batch(index, life, k);
    REQUIRE(store.commit(index, life).empty());
  }
  const fs::path file = dir.path / StoryStore::kFileName;
  REQUIRE(fs::file_size(file) > 64 * 1024);
  {
    // Keep the first page (header and schema), overwrite the rest.
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    for (std::uintmax_t i = 4096; i < fs::file_size(file); ++i)
      f.put(static_cast<char>(store_mix(i) & 0xff));
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  REQUIRE(o.error.empty());
  CHECK(o.warning.find("starting empty") != std::string::npos);
  CHECK(o.stories == 0);
  CHECK(index.counts().stories == 0);
  CHECK(life.counts().articles == 0);
  CHECK(fs::exists(dir.path / "stories.db.corrupt"));
}

TEST_CASE("store: another SQLite file is not taken for a store") {
  StoreTempDir dir;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path / StoryStore::kFileName).c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "PRAGMA application_id=42; CREATE TABLE t(x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  REQUIRE(o.error.empty());
  CHECK(o.warning.find("not a newshound stories store") != std::string::npos);
}

TEST_CASE("store: a store from a newer schema is refused and left as it is") {
  StoreTempDir dir;
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    index.add("s", store_sig(1), kStoreT0);
    REQUIRE(store.commit(index, life).empty());
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path / StoryStore::kFileName).c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  CHECK(o.error.find("schema version 99") != std::string::npos);
  CHECK(o.error.find("newer than this build's " + std::to_string(kStoryStoreSchema)) !=
        std::string::npos);
  CHECK(o.error.find((dir.path / "stories.db").string()) != std::string::npos);
  CHECK_FALSE(store.is_open());
  CHECK(index.counts().stories == 0);
  CHECK_FALSE(fs::exists(dir.path / "stories.db.corrupt"));
  CHECK(store.commit(index, life).find("not open") != std::string::npos);
}

TEST_CASE("store: a missing directory is created") {
  StoreTempDir dir;
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const fs::path deep = dir.path / "state" / "stories";
  const StoryStoreOpened o = store.open(deep, index, life);
  REQUIRE(o.error.empty());
  CHECK(fs::exists(deep / "stories.db"));
}

// Root may write anywhere, so the attempt runs in a child that, when root, first
// becomes nobody.
TEST_CASE("store: an unwritable directory is an error naming the path") {
  StoreTempDir dir;
  const fs::path ro = dir.path / "ro";
  fs::create_directory(ro);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  for (const fs::path& target : {ro, ro / "sub"}) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
      StoryIndex index;
      Lifecycle life;
      StoryStore store;
      const StoryStoreOpened o = store.open(target, index, life);
      const bool named = o.error.find(target.string()) != std::string::npos;
      _exit(!o.error.empty() && named && !store.is_open() ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    INFO(target.string());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

TEST_CASE("store: the outputs that took each alert survive a reopen") {
  StoreTempDir dir;
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    life.decide(store_arrival("a", "1", 1, "a1"), kStoreT0);
    life.took("a", "a1", {"web", "desk"});
    life.decide(store_arrival("n", "1", 1, "n1"), kStoreT0);
    life.took("n", "n1", {});
    REQUIRE(store.commit(index, life).empty());
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  REQUIRE(store.open(dir.path, index, life).error.empty());
  Arrival kill = store_arrival("a", "2", 0, "");
  kill.pubstatus = PubStatus::canceled;
  const LifecycleDecision d = life.decide(kill, kStoreT0);
  CHECK(d.retracts == std::vector<std::string>{"a1"});
  CHECK(d.retract_to.known());
  CHECK(d.retract_to.names == std::vector<std::string>{"desk", "web"});
  kill.article_id = "n";
  const LifecycleDecision n = life.decide(kill, kStoreT0);
  CHECK(n.retract_to.known());
  CHECK(n.retract_to.names.empty());
}

TEST_CASE("store: each of an article's alerts keeps its own outputs across a reopen") {
  StoreTempDir dir;
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    // "b": two alerts in force, each taken by other outputs; "p": its update's
    // alert not taken yet when committed (pending: read back as not known).
    for (const char* id : {"b", "p"}) {
      const std::string a = id;
      life.decide(store_arrival(a, "1", 1, a + "1"), kStoreT0);
      life.took(a, a + "1", {"web"});
      life.decide(store_arrival(a, "2", 2, a + "2"), kStoreT0);
    }
    life.took("b", "b2", {"desk", "app"});
    REQUIRE(store.commit(index, life).empty());
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  REQUIRE(store.open(dir.path, index, life).error.empty());
  Arrival kill = store_arrival("b", "3", 0, "");
  kill.pubstatus = PubStatus::canceled;
  const LifecycleDecision b = life.decide(kill, kStoreT0);
  CHECK(b.retracts == std::vector<std::string>{"b1", "b2"});
  CHECK(b.retract_to.known());
  CHECK(b.retract_to.names == std::vector<std::string>{"app", "desk", "web"});
  kill.article_id = "p";
  const LifecycleDecision p = life.decide(kill, kStoreT0);
  CHECK(p.retracts == std::vector<std::string>{"p1", "p2"});
  CHECK_FALSE(p.retract_to.known());
}

TEST_CASE("store: a schema 2 store is migrated: each article's alerts move into its row") {
  StoreTempDir dir;
  {
    // A store as schema 2 wrote it: "m" has two alerts, one taken by two outputs
    // and one of schema 1 (outputs NULL); "k" one alert taken by no output.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path / StoryStore::kFileName).c_str(), &db) == SQLITE_OK);
    const std::string seen = store_ns(kStoreT0);
    const std::string v2 =
        std::string(kStoreOldTables) +
        "CREATE TABLE alerts(article_id TEXT NOT NULL, n INTEGER NOT NULL,"
        " alert_id TEXT NOT NULL, outputs TEXT, PRIMARY KEY(article_id, n)) WITHOUT ROWID;"
        "CREATE TABLE digests(output TEXT NOT NULL, list TEXT NOT NULL, grp TEXT NOT NULL,"
        " story_id TEXT NOT NULL, opened_ns INTEGER NOT NULL, due_ns INTEGER NOT NULL,"
        " copies INTEGER NOT NULL, left_out INTEGER NOT NULL, items TEXT NOT NULL,"
        " PRIMARY KEY(output, list, grp)) WITHOUT ROWID;"
        "INSERT INTO articles VALUES('m','2',2," +
        seen + ",1);INSERT INTO articles VALUES('k','1',1," + seen +
        ",2);INSERT INTO articles VALUES('q','1',1," + seen +
        ",3);"
        "INSERT INTO alerts VALUES('m',1,'m2','web');"
        "INSERT INTO alerts VALUES('m',0,'m1',NULL);"
        "INSERT INTO alerts VALUES('k',0,'k1','');"
        "INSERT INTO alerts VALUES('q',0,'q1','desk' || char(10) || 'web');"
        "PRAGMA application_id=1313362772;PRAGMA user_version=2;";
    REQUIRE(sqlite3_exec(db, v2.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  for (int open = 0; open < 2; ++open) {  // migrated, then read again as schema 3
    INFO("open " << open);
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    const StoryStoreOpened o = store.open(dir.path, index, life);
    INFO(o.error);
    REQUIRE(o.error.empty());
    CHECK(o.warning.empty());
    CHECK(o.articles == 3);
    Arrival kill = store_arrival("m", "3", 0, "");
    kill.pubstatus = PubStatus::canceled;
    const LifecycleDecision m = life.decide(kill, kStoreT0);
    CHECK(m.retracts == std::vector<std::string>{"m1", "m2"});
    CHECK_FALSE(m.retract_to.known());
    kill.article_id = "k";
    const LifecycleDecision k = life.decide(kill, kStoreT0);
    CHECK(k.retracts == std::vector<std::string>{"k1"});
    CHECK(k.retract_to.known());
    CHECK(k.retract_to.names.empty());
    kill.article_id = "q";
    const LifecycleDecision q = life.decide(kill, kStoreT0);
    CHECK(q.retracts == std::vector<std::string>{"q1"});
    CHECK(q.retract_to.known());
    CHECK(q.retract_to.names == std::vector<std::string>{"desk", "web"});
    // Not committed: the second open reads the migrated rows again.
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path / StoryStore::kFileName).c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name='alerts'", -1, &s,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == 0);
  sqlite3_finalize(s);
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == kStoryStoreSchema);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_CASE("store: a schema 1 store is migrated: its alerts retract to every output") {
  StoreTempDir dir;
  {
    // A store as schema 1 wrote it.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path / StoryStore::kFileName).c_str(), &db) == SQLITE_OK);
    const std::string seen = store_ns(kStoreT0);
    const std::string v1 = std::string(kStoreOldTables) +
                           "CREATE TABLE alerts(article_id TEXT NOT NULL, n INTEGER NOT NULL,"
                           " alert_id TEXT NOT NULL, PRIMARY KEY(article_id, n)) WITHOUT ROWID;"
                           "INSERT INTO articles VALUES('a','1',1," +
                           seen +
                           ",1);"
                           "INSERT INTO alerts VALUES('a',0,'a1');"
                           "PRAGMA application_id=1313362772;PRAGMA user_version=1;";
    REQUIRE(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  INFO(o.error);
  REQUIRE(o.error.empty());
  CHECK(o.warning.empty());
  CHECK(o.articles == 1);
  Arrival kill = store_arrival("a", "2", 0, "");
  kill.pubstatus = PubStatus::canceled;
  const LifecycleDecision d = life.decide(kill, kStoreT0);
  CHECK(d.retracts == std::vector<std::string>{"a1"});
  CHECK_FALSE(d.retract_to.known());
  // Written as this build's schema from now on.
  life.decide(store_arrival("b", "1", 1, "b1"), kStoreT0);
  life.took("b", "b1", {"web"});
  REQUIRE(store.commit(index, life).empty());
  store.close();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path / StoryStore::kFileName).c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == kStoryStoreSchema);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_CASE("store: pending digests are written with a commit, read back and removed") {
  StoreTempDir dir;
  DigestRecord r;
  r.key = {"desk", "", "0123456789abcdef"};
  r.story_id = "0123456789abcdef";
  r.opened = kStoreT0;
  r.due = kStoreT0 + std::chrono::minutes(10);
  r.copies = 3;
  r.left_out = 1;
  r.items = {"{\"article\":\"a1\"}", "{\"article\":\"a2\"}"};
  {
    StoryIndex index;
    Lifecycle life;
    StoryStore store;
    REQUIRE(store.open(dir.path, index, life).error.empty());
    std::vector<DigestRecord> up{r};
    std::vector<DigestKey> removed;
    DigestRecord other = r;
    other.key = {"web", "people", ""};
    up.push_back(other);
    store.stage_digests(up, removed);
    CHECK(up.empty());
    REQUIRE(store.commit(index, life).empty());
  }
  StoryIndex index;
  Lifecycle life;
  StoryStore store;
  const StoryStoreOpened o = store.open(dir.path, index, life);
  REQUIRE(o.error.empty());
  CHECK(o.digests == 2);
  auto loaded = store.take_digests();
  REQUIRE(loaded.size() == 2);
  const DigestRecord& d = loaded[0].key.output == "desk" ? loaded[0] : loaded[1];
  CHECK(d.story_id == r.story_id);
  CHECK(d.opened == r.opened);
  CHECK(d.due == r.due);
  CHECK(d.copies == 3);
  CHECK(d.left_out == 1);
  CHECK(d.items == r.items);
  std::vector<DigestRecord> up;
  std::vector<DigestKey> removed{r.key};
  store.stage_digests(up, removed);
  REQUIRE(store.commit(index, life).empty());
  store.close();
  StoryIndex index2;
  Lifecycle life2;
  CHECK(store.open(dir.path, index2, life2).digests == 1);
  const auto left = store.take_digests();
  REQUIRE(left.size() == 1);
  CHECK(left[0].key.list == "people");
}

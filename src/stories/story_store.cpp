// Stage: stories. The SQLite store of stories, alerted versions and holds: schema
// (and its migration from older ones), open (with the corrupt-file and
// newer-schema cases), load, and the batched write. Times are stored as
// nanoseconds since the epoch, hashes as their 64 bits in a signed INTEGER. The
// pending digests' table: story_store_digests.cpp.
#include "newshound/stories/story_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <system_error>
#include <unordered_map>

#include "story_store_sql.hpp"

namespace newshound {

using namespace story_sql;  // NOLINT(google-build-using-namespace): the store's own helpers

namespace {

// Application id "NHST": tells a newshound stories store from another SQLite file.
constexpr int kApplicationId = 0x4e485354;

const char* const kSchemaSql =
    "CREATE TABLE stories(id TEXT PRIMARY KEY, first_article TEXT NOT NULL,"
    " simhash INTEGER NOT NULL, seq INTEGER NOT NULL, used INTEGER NOT NULL,"
    " copies INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL, indexed INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE articles(id TEXT PRIMARY KEY, version TEXT NOT NULL,"
    " matches INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL, used INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE alerts(article_id TEXT NOT NULL, n INTEGER NOT NULL,"
    " alert_id TEXT NOT NULL, outputs TEXT, PRIMARY KEY(article_id, n)) WITHOUT ROWID;"
    "CREATE TABLE holds(article_id TEXT PRIMARY KEY, release_ns INTEGER NOT NULL,"
    " matches INTEGER NOT NULL, alert_id TEXT NOT NULL, payload BLOB NOT NULL)"
    " WITHOUT ROWID;";

// Schema 1 to 2: the outputs that took each alert (`alerts.outputs`, the names
// joined by '\n'). A row of schema 1 has none (NULL): the outputs of its alert are
// not known, so a retraction of it goes to every output, as schema 1 did.
// Schema 2 also keeps the pending digests (kDigestsSchemaSql).
const char* const kMigrate1To2Sql = "ALTER TABLE alerts ADD COLUMN outputs TEXT;";

// The prepared statements, in stmts_ order.
enum Stmt : std::size_t {
  put_story,
  del_story,
  put_article,
  del_article,
  del_alerts,
  put_alert,
  put_hold,
  del_hold,
  kStmts
};
const char* const kStmtSql[kStmts] = {
    "INSERT OR REPLACE INTO stories VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    "DELETE FROM stories WHERE id=?1",
    "INSERT OR REPLACE INTO articles VALUES(?1,?2,?3,?4,?5)",
    "DELETE FROM articles WHERE id=?1",
    "DELETE FROM alerts WHERE article_id=?1",
    "INSERT INTO alerts VALUES(?1,?2,?3,?4)",
    "INSERT OR REPLACE INTO holds VALUES(?1,?2,?3,?4,?5)",
    "DELETE FROM holds WHERE article_id=?1",
};

}  // namespace

StoryStore::~StoryStore() {
  close();
}

void StoryStore::close() {
  for (sqlite3_stmt* s : stmts_) sqlite3_finalize(s);
  stmts_.clear();
  for (sqlite3_stmt*& s : digest_stmts_) {
    sqlite3_finalize(s);
    s = nullptr;
  }
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

std::string StoryStore::sqlite_error(const char* doing) const {
  return "stories store " + file_.string() + ": " + doing + ": " +
         (db_ ? sqlite3_errmsg(db_) : "out of memory");
}

bool StoryStore::exec(const char* sql, std::string& message) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  message = sqlite_error(sql);
  return false;
}

StoryStoreOpened StoryStore::open(const std::filesystem::path& dir, StoryIndex& index,
                                  Lifecycle& lifecycle) {
  close();
  pending_.clear();
  loaded_digests_.clear();
  StoryStoreOpened out;
  file_ = dir / kFileName;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    out.error = "stories store: cannot create directory " + dir.string() + ": " + ec.message();
    return out;
  }
  std::vector<StoryRecord> stories;
  std::vector<ArticleRecord> articles;
  std::string message;
  Failure f = connect(message);
  if (f == Failure::none) f = load(stories, articles, message);
  if (f == Failure::none) f = load_digests(message);
  if (f == Failure::corrupt) {
    close();
    const std::filesystem::path aside = file_.string() + ".corrupt";
    std::filesystem::rename(file_, aside, ec);
    if (ec) {
      out.error = "stories store " + file_.string() + " is unreadable (" + message +
                  ") and cannot be moved aside: " + ec.message();
      return out;
    }
    for (const char* suffix : {"-wal", "-shm"})
      std::filesystem::remove(file_.string() + suffix, ec);
    out.warning = "stories store " + file_.string() + " is unreadable (" + message +
                  "): moved to " + aside.string() + ", starting empty";
    stories.clear();
    articles.clear();
    loaded_digests_.clear();
    f = connect(message);
    if (f == Failure::none) f = load(stories, articles, message);
  }
  if (f != Failure::none) {
    close();
    out.error = message;
    return out;
  }
  // Tracking first: what a lowered cap evicts while restoring is deleted at the
  // next commit.
  index.track_changes(true);
  lifecycle.track_changes(true);
  for (const StoryRecord& r : stories) index.restore(r);
  for (const ArticleRecord& r : articles) {
    lifecycle.restore(r);
    out.held += r.held ? 1 : 0;
  }
  out.stories = stories.size();
  out.articles = articles.size();
  out.digests = loaded_digests_.size();
  return out;
}

// Opens the file and sets the journal; creates the schema in a new file; refuses a
// newer schema.
StoryStore::Failure StoryStore::connect(std::string& message) {
  const int rc =
      sqlite3_open_v2(file_.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    message = sqlite_error("cannot open");
    return Failure::error;
  }
  sqlite3_busy_timeout(db_, 2000);
  sqlite3_stmt* s = nullptr;
  int app = 0, version = 0;
  for (const char* pragma : {"PRAGMA application_id", "PRAGMA user_version"}) {
    if (sqlite3_prepare_v2(db_, pragma, -1, &s, nullptr) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
      const int code = sqlite3_errcode(db_);
      message = sqlite_error("cannot read the header");
      sqlite3_finalize(s);
      return is_corrupt(code) ? Failure::corrupt : Failure::error;
    }
    (pragma[7] == 'a' ? app : version) = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    s = nullptr;
  }
  if (version > kStoryStoreSchema) {
    message = "stories store " + file_.string() + " has schema version " + std::to_string(version) +
              ", newer than this build's " + std::to_string(kStoryStoreSchema) +
              " (written by a newer newshound): refusing to open it";
    return Failure::error;
  }
  if (app != 0 && app != kApplicationId) {
    message = "not a newshound stories store (application id " + std::to_string(app) + ")";
    return Failure::corrupt;
  }
  if (!exec("PRAGMA journal_mode=WAL", message) || !exec("PRAGMA synchronous=NORMAL", message))
    return is_corrupt(sqlite3_errcode(db_)) ? Failure::corrupt : Failure::error;
  if (version == 0 || version < kStoryStoreSchema) {
    const Failure f = version == 0 ? create_schema(message) : migrate(version, message);
    if (f != Failure::none) return f;
  }
  return prepare(message) ? Failure::none : Failure::error;
}

StoryStore::Failure StoryStore::create_schema(std::string& message) {
  const std::string sql = std::string("BEGIN IMMEDIATE;") + kSchemaSql + kDigestsSchemaSql +
                          "PRAGMA application_id=" + std::to_string(kApplicationId) +
                          ";PRAGMA user_version=" + std::to_string(kStoryStoreSchema) + ";COMMIT;";
  if (exec(sql.c_str(), message)) return Failure::none;
  const int code = sqlite3_errcode(db_);
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return is_corrupt(code) ? Failure::corrupt : Failure::error;
}

// Brings a store of an older schema to this build's, in one transaction.
StoryStore::Failure StoryStore::migrate(int from, std::string& message) {
  std::string sql = "BEGIN IMMEDIATE;";
  if (from < 2) sql += std::string(kMigrate1To2Sql) + kDigestsSchemaSql;
  sql += "PRAGMA user_version=" + std::to_string(kStoryStoreSchema) + ";COMMIT;";
  if (exec(sql.c_str(), message)) return Failure::none;
  const int code = sqlite3_errcode(db_);
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return is_corrupt(code) ? Failure::corrupt : Failure::error;
}

bool StoryStore::prepare(std::string& message) {
  stmts_.assign(kStmts, nullptr);
  for (std::size_t i = 0; i < kStmts; ++i) {
    if (sqlite3_prepare_v3(db_, kStmtSql[i], -1, SQLITE_PREPARE_PERSISTENT, &stmts_[i], nullptr) !=
        SQLITE_OK) {
      message = sqlite_error("cannot prepare");
      return false;
    }
  }
  return prepare_digests(message);
}

// Reads everything, in LRU order (ascending `used`), into the records.
StoryStore::Failure StoryStore::load(std::vector<StoryRecord>& stories,
                                     std::vector<ArticleRecord>& articles, std::string& message) {
  auto query = [&](const char* sql, auto&& row) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &s, nullptr);
    if (rc == SQLITE_OK)
      while ((rc = sqlite3_step(s)) == SQLITE_ROW) row(s);
    const bool ok = rc == SQLITE_DONE;
    const int code = sqlite3_errcode(db_);
    if (!ok) message = sqlite_error("cannot load");
    sqlite3_finalize(s);
    return ok ? Failure::none : is_corrupt(code) ? Failure::corrupt : Failure::error;
  };
  Failure f = query(
      "SELECT id,first_article,simhash,seq,used,copies,last_seen_ns,indexed FROM stories"
      " ORDER BY used",
      [&](sqlite3_stmt* s) {
        stories.push_back({text(s, 0), text(s, 1), u64(s, 2), u64(s, 3), u64(s, 4),
                           static_cast<std::uint32_t>(sqlite3_column_int64(s, 5)),
                           time_of(sqlite3_column_int64(s, 6)), sqlite3_column_int(s, 7) != 0});
      });
  if (f != Failure::none) return f;
  std::unordered_map<std::string, std::size_t> at;
  f = query(
      "SELECT a.id,a.version,a.matches,a.last_seen_ns,a.used,h.release_ns,h.matches,"
      "h.alert_id,h.payload FROM articles a LEFT JOIN holds h ON h.article_id=a.id"
      " ORDER BY a.used",
      [&](sqlite3_stmt* s) {
        ArticleRecord r;
        r.id = text(s, 0);
        r.version = text(s, 1);
        r.matches = u64(s, 2);
        r.last_seen = time_of(sqlite3_column_int64(s, 3));
        r.used = u64(s, 4);
        r.held = sqlite3_column_type(s, 5) != SQLITE_NULL;
        if (r.held) {
          r.release_at = time_of(sqlite3_column_int64(s, 5));
          r.hold_matches = u64(s, 6);
          r.hold_alert = text(s, 7);
          const auto* p = static_cast<const char*>(sqlite3_column_blob(s, 8));
          if (p) r.payload.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, 8)));
        }
        at.emplace(r.id, articles.size());
        articles.push_back(std::move(r));
      });
  if (f != Failure::none) return f;
  return query("SELECT article_id,alert_id,outputs FROM alerts ORDER BY article_id,n",
               [&](sqlite3_stmt* s) {
                 const auto it = at.find(text(s, 0));
                 if (it == at.end()) return;
                 articles[it->second].alerts.push_back(text(s, 1));
                 articles[it->second].alert_outputs.push_back(outputs_of(s, 2));
               });
}

std::string StoryStore::commit(StoryIndex& index, Lifecycle& lifecycle) {
  if (!db_) return "stories store " + file_.string() + ": not open";
  Batch& b = pending_.emplace_back();
  index.take_changes(b.stories, b.stories_removed);
  lifecycle.take_changes(b.articles, b.articles_removed);
  b.digests.swap(staged_digests_);
  b.digests_removed.swap(staged_digest_removals_);
  staged_digests_.clear();
  staged_digest_removals_.clear();
  if (pending_.size() == 1 && b.stories.empty() && b.stories_removed.empty() &&
      b.articles.empty() && b.articles_removed.empty() && b.digests.empty() &&
      b.digests_removed.empty()) {
    pending_.clear();  // nothing changed: no transaction
    return "";
  }
  std::string message;
  if (!exec("BEGIN IMMEDIATE", message)) {
    ++counts_.failed_commits;
    return message;
  }
  for (const Batch& p : pending_) {
    if (!write(p, message)) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      ++counts_.failed_commits;
      return message;
    }
  }
  if (hook_) hook_();
  if (!exec("COMMIT", message)) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    ++counts_.failed_commits;
    return message;
  }
  ++counts_.commits;
  for (const Batch& p : pending_)
    counts_.rows += p.stories.size() + p.stories_removed.size() + p.articles.size() +
                    p.articles_removed.size() + p.digests.size() + p.digests_removed.size();
  pending_.clear();
  return "";
}

// One batch: the removals first (an id removed may have been started again since).
bool StoryStore::write(const Batch& b, std::string& message) {
  auto fail = [&] {
    message = sqlite_error("cannot write");
    return false;
  };
  for (const std::string& id : b.stories_removed) {
    bind_text(stmts_[del_story], 1, id);
    if (!run(stmts_[del_story])) return fail();
  }
  for (const std::string& id : b.articles_removed) {
    for (const Stmt st : {del_article, del_alerts, del_hold}) {
      bind_text(stmts_[st], 1, id);
      if (!run(stmts_[st])) return fail();
    }
  }
  for (const StoryRecord& r : b.stories) {
    sqlite3_stmt* s = stmts_[put_story];
    bind_text(s, 1, r.id);
    bind_text(s, 2, r.first_article);
    sqlite3_bind_int64(s, 3, i64(r.simhash));
    sqlite3_bind_int64(s, 4, i64(r.seq));
    sqlite3_bind_int64(s, 5, i64(r.used));
    sqlite3_bind_int64(s, 6, r.copies);
    sqlite3_bind_int64(s, 7, ns_of(r.last_seen));
    sqlite3_bind_int(s, 8, r.indexed ? 1 : 0);
    if (!run(s)) return fail();
  }
  for (const ArticleRecord& a : b.articles)
    if (!write_article(a, message)) return false;
  return write_digests(b, message);
}

bool StoryStore::write_article(const ArticleRecord& a, std::string& message) {
  auto fail = [&] {
    message = sqlite_error("cannot write");
    return false;
  };
  sqlite3_stmt* s = stmts_[put_article];
  bind_text(s, 1, a.id);
  bind_text(s, 2, a.version);
  sqlite3_bind_int64(s, 3, i64(a.matches));
  sqlite3_bind_int64(s, 4, ns_of(a.last_seen));
  sqlite3_bind_int64(s, 5, i64(a.used));
  if (!run(s)) return fail();
  // A fresh article has no rows yet (a removed one's were deleted by an earlier
  // batch or earlier in this one): two statements of five saved per new alert.
  if (!a.fresh) {
    bind_text(stmts_[del_alerts], 1, a.id);
    if (!run(stmts_[del_alerts])) return fail();
  }
  for (std::size_t n = 0; n < a.alerts.size(); ++n) {
    s = stmts_[put_alert];
    bind_text(s, 1, a.id);
    sqlite3_bind_int64(s, 2, static_cast<std::int64_t>(n));
    bind_text(s, 3, a.alerts[n]);
    bind_outputs(s, 4, n < a.alert_outputs.size() ? a.alert_outputs[n] : AlertOutputs{}, scratch_);
    if (!run(s)) return fail();
  }
  if (!a.held) {
    if (a.fresh) return true;
    bind_text(stmts_[del_hold], 1, a.id);
    return run(stmts_[del_hold]) || fail();
  }
  s = stmts_[put_hold];
  bind_text(s, 1, a.id);
  sqlite3_bind_int64(s, 2, ns_of(a.release_at));
  sqlite3_bind_int64(s, 3, i64(a.hold_matches));
  bind_text(s, 4, a.hold_alert);
  sqlite3_bind_blob(s, 5, a.payload.data(), static_cast<int>(a.payload.size()), SQLITE_STATIC);
  return run(s) || fail();
}

}  // namespace newshound

// Stage: stories. The SQLite store of stories, alerted versions and holds: schema
// (and its migration from older ones), open (with the corrupt-file and
// newer-schema cases) and load. Times are stored as nanoseconds since the epoch,
// hashes as their 64 bits in a signed INTEGER. The batched write:
// story_store_write.cpp; the pending digests' table: story_store_digests.cpp.
#include "newshound/stories/story_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <system_error>

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
    " matches INTEGER NOT NULL, last_seen_ns INTEGER NOT NULL, used INTEGER NOT NULL,"
    " alerts TEXT NOT NULL, outputs TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE holds(article_id TEXT PRIMARY KEY, release_ns INTEGER NOT NULL,"
    " matches INTEGER NOT NULL, alert_id TEXT NOT NULL, payload BLOB NOT NULL)"
    " WITHOUT ROWID;";

// Schema 1 to 2: the outputs that took each alert (`alerts.outputs`, the names
// joined by '\n'). A row of schema 1 has none (NULL): the outputs of its alert are
// not known, so a retraction of it goes to every output, as schema 1 did.
// Schema 2 also keeps the pending digests (kDigestsSchemaSql).
const char* const kMigrate1To2Sql = "ALTER TABLE alerts ADD COLUMN outputs TEXT;";

// Schema 2 to 3: an article's alerts move into its row (`articles.alerts` and
// `articles.outputs`, story_store_sql.hpp), one row written per alerted article
// instead of two; fold_alerts() copies them over and drops the `alerts` table.
const char* const kMigrate2To3Sql =
    "ALTER TABLE articles ADD COLUMN alerts TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE articles ADD COLUMN outputs TEXT NOT NULL DEFAULT '';";

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
  if (from < 3) sql += kMigrate2To3Sql;
  const std::string done = "PRAGMA user_version=" + std::to_string(kStoryStoreSchema) + ";COMMIT;";
  if (exec(sql.c_str(), message) && (from >= 3 || fold_alerts(message)) &&
      exec(done.c_str(), message))
    return Failure::none;
  const int code = sqlite3_errcode(db_);
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return is_corrupt(code) ? Failure::corrupt : Failure::error;
}

// Schema 2 to 3, inside migrate()'s transaction: each article's rows of the
// `alerts` table, in their order `n`, into its `alerts` and `outputs` columns.
bool StoryStore::fold_alerts(std::string& message) {
  sqlite3_stmt* read = nullptr;
  sqlite3_stmt* put = nullptr;
  bool ok = sqlite3_prepare_v2(db_,
                               "SELECT article_id,alert_id,outputs FROM alerts"
                               " ORDER BY article_id,n",
                               -1, &read, nullptr) == SQLITE_OK &&
            sqlite3_prepare_v2(db_, "UPDATE articles SET alerts=?2,outputs=?3 WHERE id=?1", -1,
                               &put, nullptr) == SQLITE_OK;
  std::string article, ids, outputs;
  std::vector<std::string> alerts;
  std::vector<AlertOutputs> took;
  auto flush = [&] {
    if (alerts.empty()) return true;
    join_lines(alerts, ids);
    join_alert_outputs(took, alerts.size(), outputs);
    bind_text(put, 1, article);
    bind_text(put, 2, ids);
    bind_text(put, 3, outputs);
    alerts.clear();
    took.clear();
    return run(put);
  };
  int rc = SQLITE_DONE;
  while (ok && (rc = sqlite3_step(read)) == SQLITE_ROW) {
    std::string id = text(read, 0);
    if (id != article) {
      ok = flush();
      article = std::move(id);
    }
    alerts.push_back(text(read, 1));
    took.push_back(outputs_of(read, 2));
  }
  ok = ok && rc == SQLITE_DONE && flush();
  if (!ok) message = sqlite_error("cannot migrate the alerts to schema 3");
  sqlite3_finalize(read);
  sqlite3_finalize(put);
  return ok && exec("DROP TABLE alerts", message);
}

bool StoryStore::prepare(std::string& message) {
  return prepare_writes(message) && prepare_digests(message);
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
  return query(
      "SELECT a.id,a.version,a.matches,a.last_seen_ns,a.used,a.alerts,a.outputs,h.release_ns,"
      "h.matches,h.alert_id,h.payload FROM articles a LEFT JOIN holds h ON h.article_id=a.id"
      " ORDER BY a.used",
      [&](sqlite3_stmt* s) {
        ArticleRecord r;
        r.id = text(s, 0);
        r.version = text(s, 1);
        r.matches = u64(s, 2);
        r.last_seen = time_of(sqlite3_column_int64(s, 3));
        r.used = u64(s, 4);
        r.alerts = split_lines(text(s, 5));
        r.alert_outputs = split_alert_outputs(text(s, 6), r.alerts.size());
        r.held = sqlite3_column_type(s, 7) != SQLITE_NULL;
        if (r.held) {
          r.release_at = time_of(sqlite3_column_int64(s, 7));
          r.hold_matches = u64(s, 8);
          r.hold_alert = text(s, 9);
          const auto* p = static_cast<const char*>(sqlite3_column_blob(s, 10));
          if (p) r.payload.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(s, 10)));
        }
        articles.push_back(std::move(r));
      });
}

}  // namespace newshound

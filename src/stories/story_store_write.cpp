// Stage: stories. The store's batched write (see story_store.hpp): commit() takes
// the index's and the lifecycle's changes and writes every pending batch in one
// transaction. Stories and articles go in statements of 16, 8, 4, 2 or 1 rows
// (a row costs SQLite about a fifth less in a statement of many: measured in
// docs/performance.md, "The daemon in instructions").
#include <sqlite3.h>

#include <string>

#include "newshound/stories/story_store.hpp"
#include "story_store_sql.hpp"

namespace newshound {

using namespace story_sql;  // NOLINT(google-build-using-namespace): the store's own helpers

namespace {

constexpr std::size_t kRowSizes = 5;  // rows per insert: 16, 8, 4, 2, 1
constexpr std::size_t kMaxRows = std::size_t{1} << (kRowSizes - 1);
constexpr int kStoryColumns = 8;
constexpr int kArticleColumns = 7;

// The prepared statements, in stmts_ order: four of one row, then the inserts of
// stories and of articles, kRowSizes of each (most rows first).
enum Stmt : std::size_t {
  del_story,
  del_article,
  put_hold,
  del_hold,
  put_stories,
  put_articles = put_stories + kRowSizes,
  kStmts = put_articles + kRowSizes
};
const char* const kOneRowSql[] = {
    "DELETE FROM stories WHERE id=?1",
    "DELETE FROM articles WHERE id=?1",
    "INSERT OR REPLACE INTO holds VALUES(?1,?2,?3,?4,?5)",
    "DELETE FROM holds WHERE article_id=?1",
};

// "INSERT OR REPLACE INTO table VALUES(?,?),(?,?)...": `rows` rows of `columns`.
std::string insert_sql(const char* table, int columns, std::size_t rows) {
  std::string row = "(?";
  for (int c = 1; c < columns; ++c) row += ",?";
  row += ')';
  std::string sql = std::string("INSERT OR REPLACE INTO ") + table + " VALUES" + row;
  for (std::size_t r = 1; r < rows; ++r) sql += "," + row;
  return sql;
}

void bind_story(sqlite3_stmt* s, int at, const StoryRecord& r) {
  bind_text(s, at + 1, r.id);
  bind_text(s, at + 2, r.first_article);
  sqlite3_bind_int64(s, at + 3, i64(r.simhash));
  sqlite3_bind_int64(s, at + 4, i64(r.seq));
  sqlite3_bind_int64(s, at + 5, i64(r.used));
  sqlite3_bind_int64(s, at + 6, r.copies);
  sqlite3_bind_int64(s, at + 7, ns_of(r.last_seen));
  sqlite3_bind_int(s, at + 8, r.indexed ? 1 : 0);
}

// `ids` and `outputs` are bound as they are: they must outlive the statement's run.
void bind_article(sqlite3_stmt* s, int at, const ArticleRecord& a, std::string& ids,
                  std::string& outputs) {
  bind_text(s, at + 1, a.id);
  bind_text(s, at + 2, a.version);
  sqlite3_bind_int64(s, at + 3, i64(a.matches));
  sqlite3_bind_int64(s, at + 4, ns_of(a.last_seen));
  sqlite3_bind_int64(s, at + 5, i64(a.used));
  join_lines(a.alerts, ids);
  bind_text(s, at + 6, ids);
  join_alert_outputs(a.alert_outputs, a.alerts.size(), outputs);
  bind_text(s, at + 7, outputs);
}

}  // namespace

bool StoryStore::prepare_writes(std::string& message) {
  stmts_.assign(kStmts, nullptr);
  row_scratch_.resize(2 * kMaxRows);
  for (std::size_t i = 0; i < kStmts; ++i) {
    std::string sql;
    if (i < put_stories) {
      sql = kOneRowSql[i];
    } else {
      const bool story = i < put_articles;
      const std::size_t rows = kMaxRows >> (i - (story ? put_stories : put_articles));
      sql = story ? insert_sql("stories", kStoryColumns, rows)
                  : insert_sql("articles", kArticleColumns, rows);
    }
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmts_[i], nullptr) !=
        SQLITE_OK) {
      message = sqlite_error("cannot prepare");
      return false;
    }
  }
  return true;
}

std::string StoryStore::commit(StoryIndex& index, Lifecycle& lifecycle) {
  if (!db_) return "stories store " + file_.string() + ": not open";
  // The last committed batch's vectors and records, reused: their strings keep
  // their memory (a few mallocs fewer per changed row).
  Batch& b = pending_.emplace_back(std::move(spare_));
  spare_ = Batch();
  index.take_changes(b.stories, b.stories_removed);
  lifecycle.take_changes(b.articles, b.articles_removed);
  b.digests.swap(staged_digests_);
  b.digests_removed.swap(staged_digest_removals_);
  staged_digests_.clear();
  staged_digest_removals_.clear();
  if (pending_.size() == 1 && b.stories.empty() && b.stories_removed.empty() &&
      b.articles.empty() && b.articles_removed.empty() && b.digests.empty() &&
      b.digests_removed.empty()) {
    spare_ = std::move(b);
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
  spare_ = std::move(pending_.back());
  pending_.clear();
  return "";
}

// One batch: the removals first (an id removed may have been started again since).
// A row replaced twice in one statement ends as the later one, as in two.
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
    for (const Stmt st : {del_article, del_hold}) {
      bind_text(stmts_[st], 1, id);
      if (!run(stmts_[st])) return fail();
    }
  }
  for (std::size_t at = 0, size = 0; at < b.stories.size(); at += kMaxRows >> size) {
    while ((kMaxRows >> size) > b.stories.size() - at) ++size;
    sqlite3_stmt* s = stmts_[put_stories + size];
    for (std::size_t r = 0; r < (kMaxRows >> size); ++r)
      bind_story(s, int(r) * kStoryColumns, b.stories[at + r]);
    if (!run(s)) return fail();
  }
  for (std::size_t at = 0, size = 0; at < b.articles.size(); at += kMaxRows >> size) {
    while ((kMaxRows >> size) > b.articles.size() - at) ++size;
    sqlite3_stmt* s = stmts_[put_articles + size];
    for (std::size_t r = 0; r < (kMaxRows >> size); ++r)
      bind_article(s, int(r) * kArticleColumns, b.articles[at + r], row_scratch_[2 * r],
                   row_scratch_[2 * r + 1]);
    if (!run(s)) return fail();
  }
  for (const ArticleRecord& a : b.articles)
    if (!write_hold(a, message)) return false;
  return write_digests(b, message);
}

// An article's hold row: written when held, else deleted (a fresh article has
// none: a removed one's was deleted by an earlier batch or earlier in this one).
bool StoryStore::write_hold(const ArticleRecord& a, std::string& message) {
  auto fail = [&] {
    message = sqlite_error("cannot write");
    return false;
  };
  if (!a.held) {
    if (a.fresh) return true;
    bind_text(stmts_[del_hold], 1, a.id);
    return run(stmts_[del_hold]) || fail();
  }
  sqlite3_stmt* s = stmts_[put_hold];
  bind_text(s, 1, a.id);
  sqlite3_bind_int64(s, 2, ns_of(a.release_at));
  sqlite3_bind_int64(s, 3, i64(a.hold_matches));
  bind_text(s, 4, a.hold_alert);
  sqlite3_bind_blob(s, 5, a.payload.data(), static_cast<int>(a.payload.size()), SQLITE_STATIC);
  return run(s) || fail();
}

}  // namespace newshound

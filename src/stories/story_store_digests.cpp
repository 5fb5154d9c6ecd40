// Stage: stories. The store's table of pending digests (schema 2): the digests an
// output with `stories = "digest"` or a throttled list is collecting from inputs
// without acknowledgements, written with the rest of a commit and loaded at open,
// so that a SIGKILL does not lose them (docs/stories.md, Policies).
#include <sqlite3.h>

#include "newshound/stories/story_store.hpp"
#include "story_store_sql.hpp"

namespace newshound {

namespace {

enum DigestStmt : std::size_t { put_digest, del_digest };
const char* const kDigestStmtSql[] = {
    "INSERT OR REPLACE INTO digests VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    "DELETE FROM digests WHERE output=?1 AND list=?2 AND grp=?3",
};

void bind_key(sqlite3_stmt* s, const DigestKey& k) {
  story_sql::bind_text(s, 1, k.output);
  story_sql::bind_text(s, 2, k.list);
  story_sql::bind_text(s, 3, k.group);
}

}  // namespace

void StoryStore::stage_digests(std::vector<DigestRecord>& upserts,
                               std::vector<DigestKey>& removed) {
  for (auto& r : upserts) staged_digests_.push_back(std::move(r));
  for (auto& k : removed) staged_digest_removals_.push_back(std::move(k));
  upserts.clear();
  removed.clear();
}

bool StoryStore::prepare_digests(std::string& message) {
  for (std::size_t i = 0; i < 2; ++i) {
    if (sqlite3_prepare_v3(db_, kDigestStmtSql[i], -1, SQLITE_PREPARE_PERSISTENT, &digest_stmts_[i],
                           nullptr) != SQLITE_OK) {
      message = sqlite_error("cannot prepare");
      return false;
    }
  }
  return true;
}

StoryStore::Failure StoryStore::load_digests(std::string& message) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_,
                              "SELECT output,list,grp,story_id,opened_ns,due_ns,copies,left_out,"
                              "items FROM digests ORDER BY due_ns",
                              -1, &s, nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      DigestRecord r;
      r.key = {story_sql::text(s, 0), story_sql::text(s, 1), story_sql::text(s, 2)};
      r.story_id = story_sql::text(s, 3);
      r.opened = story_sql::time_of(sqlite3_column_int64(s, 4));
      r.due = story_sql::time_of(sqlite3_column_int64(s, 5));
      r.copies = story_sql::u64(s, 6);
      r.left_out = story_sql::u64(s, 7);
      r.items = story_sql::split_lines(story_sql::text(s, 8));
      loaded_digests_.push_back(std::move(r));
    }
  }
  const bool ok = rc == SQLITE_DONE;
  const int code = sqlite3_errcode(db_);
  if (!ok) message = sqlite_error("cannot load");
  sqlite3_finalize(s);
  if (ok) return Failure::none;
  return story_sql::is_corrupt(code) ? Failure::corrupt : Failure::error;
}

// The removals first: a key is in one list of a batch only, but an earlier batch
// may have written it.
bool StoryStore::write_digests(const Batch& b, std::string& message) {
  auto fail = [&] {
    message = sqlite_error("cannot write");
    return false;
  };
  for (const DigestKey& k : b.digests_removed) {
    bind_key(digest_stmts_[del_digest], k);
    if (!story_sql::run(digest_stmts_[del_digest])) return fail();
  }
  for (const DigestRecord& r : b.digests) {
    sqlite3_stmt* s = digest_stmts_[put_digest];
    bind_key(s, r.key);
    story_sql::bind_text(s, 4, r.story_id);
    sqlite3_bind_int64(s, 5, story_sql::ns_of(r.opened));
    sqlite3_bind_int64(s, 6, story_sql::ns_of(r.due));
    sqlite3_bind_int64(s, 7, story_sql::i64(r.copies));
    sqlite3_bind_int64(s, 8, story_sql::i64(r.left_out));
    story_sql::join_lines(r.items, scratch_);
    story_sql::bind_text(s, 9, scratch_);
    if (!story_sql::run(s)) return fail();
  }
  return true;
}

}  // namespace newshound

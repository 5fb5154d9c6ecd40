// Stage: stories. The stories' state that survives a restart: the story index's
// stories, the lifecycle's alerted versions and held embargoes, in one SQLite file
// (WAL mode, synchronous=NORMAL) under a directory (later `state_dir/stories/`).
// Loaded whole on open; written in batches, one transaction per commit(). Errors
// are values. Why SQLite: docs/stories.md, "The store".
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "newshound/stories/lifecycle.hpp"
#include "newshound/stories/story_index.hpp"
#include "newshound/util/clock.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace newshound {

/// The schema this build writes; a store with a higher `PRAGMA user_version` is
/// refused, an older one migrated on open (2: the outputs that took each alert;
/// 3: an article's alerts kept in its own row).
inline constexpr int kStoryStoreSchema = 3;

/// Which pending digest (dispatch/digest_desk.hpp): its output's name, its list
/// ("" for a story's digest) and its group (the story id, or "article:" and the
/// article id).
struct DigestKey {
  std::string output;
  std::string list;
  std::string group;
};

/// A pending digest as the store keeps it: only the alerts of inputs without
/// acknowledgements (an acknowledged feed resends what its digest did not
/// deliver), so that a SIGKILL does not lose them.
struct DigestRecord {
  DigestKey key;
  std::string story_id;
  Clock::time_point opened{};
  Clock::time_point due{};
  std::uint64_t copies = 0;
  std::uint64_t left_out = 0;
  std::vector<std::string> items;  ///< the digest items' JSON, oldest first
};

/// What open() found. Both empty: the store was loaded (or created).
struct StoryStoreOpened {
  /// Not opened (nothing loaded; run in memory): an unwritable or uncreatable
  /// directory or file, a store written by a newer schema. Names the path.
  std::string error;
  /// Opened, but the file was unreadable (not SQLite, corrupt, not ours): it was
  /// moved to `<file>.corrupt` and the store starts empty. Names both paths.
  std::string warning;
  std::size_t stories = 0;   ///< stories loaded
  std::size_t articles = 0;  ///< articles (alerted versions, kills) loaded
  std::size_t held = 0;      ///< held embargoes among them
  std::size_t digests = 0;   ///< pending digests (take_digests())
};

/// Counters for /metrics.
struct StoryStoreCounts {
  std::uint64_t commits = 0;         ///< transactions committed
  std::uint64_t failed_commits = 0;  ///< transactions rolled back (changes kept)
  std::uint64_t rows = 0;            ///< stories and articles written or deleted
};

/// One store, one owner, not thread-safe. Owns its SQLite connection. Never throws
/// except std::bad_alloc.
class StoryStore {
 public:
  static constexpr const char* kFileName = "stories.db";

  StoryStore() = default;
  ~StoryStore();
  StoryStore(const StoryStore&) = delete;
  StoryStore& operator=(const StoryStore&) = delete;

  /// Creates `dir` if missing, opens (or creates) `dir/stories.db`, turns on the
  /// change tracking of `index` and `lifecycle` and loads its stories and articles
  /// into them (both should be empty; the caps apply as they are restored and what
  /// they evict is deleted at the next commit). On error neither is touched and
  /// the store stays closed.
  StoryStoreOpened open(const std::filesystem::path& dir, StoryIndex& index, Lifecycle& lifecycle);

  bool is_open() const { return db_ != nullptr; }
  const std::filesystem::path& file() const { return file_; }

  /// Writes every change of `index` and `lifecycle` since the last commit in one
  /// transaction (none when nothing changed). "" or an error sentence naming the
  /// file; on error the changes are kept and written by the next commit.
  std::string commit(StoryIndex& index, Lifecycle& lifecycle);

  /// Pending digests to write with the next commit(): `upserts` their current
  /// state, `removed` those sent or given up (a key is in one of them only).
  void stage_digests(std::vector<DigestRecord>& upserts, std::vector<DigestKey>& removed);
  /// The pending digests open() loaded, moved out (once).
  std::vector<DigestRecord> take_digests() { return std::move(loaded_digests_); }

  /// Closes the connection (uncommitted changes stay in memory only).
  void close();

  StoryStoreCounts counts() const { return counts_; }

  /// For tests: called inside commit()'s transaction after the writes, before
  /// COMMIT (the crash test kills its child there). nullptr: none.
  void set_commit_hook(void (*hook)()) { hook_ = hook; }

 private:
  struct Batch {
    std::vector<StoryRecord> stories;
    std::vector<std::string> stories_removed;
    std::vector<ArticleRecord> articles;
    std::vector<std::string> articles_removed;
    std::vector<DigestRecord> digests;
    std::vector<DigestKey> digests_removed;
  };
  enum class Failure { none, corrupt, error };

  Failure connect(std::string& message);
  Failure load(std::vector<StoryRecord>& stories, std::vector<ArticleRecord>& articles,
               std::string& message);
  Failure create_schema(std::string& message);
  Failure migrate(int from, std::string& message);
  bool fold_alerts(std::string& message);
  bool prepare(std::string& message);
  // story_store_write.cpp
  bool prepare_writes(std::string& message);
  bool write(const Batch& b, std::string& message);
  bool write_hold(const ArticleRecord& a, std::string& message);
  // story_store_digests.cpp
  bool prepare_digests(std::string& message);
  Failure load_digests(std::string& message);
  bool write_digests(const Batch& b, std::string& message);
  bool exec(const char* sql, std::string& message);
  std::string sqlite_error(const char* doing) const;

  sqlite3* db_ = nullptr;
  std::filesystem::path file_;
  std::vector<sqlite3_stmt*> stmts_;  // prepared statements, by Stmt (story_store_write.cpp)
  std::vector<Batch> pending_;        // taken from the index/lifecycle, not yet committed
  Batch spare_;                       // the last committed batch, for its memory
  StoryStoreCounts counts_;
  std::string scratch_;                   // a digest's items, joined
  std::vector<std::string> row_scratch_;  // per row of an insert: alert ids, outputs, joined
  sqlite3_stmt* digest_stmts_[2] = {nullptr, nullptr};  // put, delete
  std::vector<DigestRecord> staged_digests_;            // for the next commit
  std::vector<DigestKey> staged_digest_removals_;
  std::vector<DigestRecord> loaded_digests_;  // take_digests()
  void (*hook_)() = nullptr;
};

}  // namespace newshound

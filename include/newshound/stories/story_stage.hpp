// Stage: stories. The near-duplicate stage as the pipeline runs it: one StoryIndex
// behind a mutex (the critical section is the lookup and the add only; the workers
// sign the articles outside it), filed in input order by the code that emits the
// alerts (dispatch/story_filer.hpp), its counters (read by /metrics), and the store
// that keeps its stories across restarts (opened, committed and closed by the
// daemon on its event loop). The version lifecycle sits next to the index under the
// same mutex: decided in input order by the same code that files the stories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/stories/lifecycle.hpp"
#include "newshound/stories/signature.hpp"
#include "newshound/stories/story_index.hpp"
#include "newshound/stories/story_store.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// Which alerts an output gets (`[[output]] stories`): `first` only those of a
/// story's first copy (and its replays), `all` every alert, `digest` one digest
/// per story per interval listing its copies (dispatch/digest_desk.hpp).
enum class StoryPolicy { first, all, digest };

/// "first", "all" or "digest" as a policy; nothing for anything else. Inline: the config
/// loader uses it without linking the stories stage (tests/fuzz: config).
inline std::optional<StoryPolicy> parse_story_policy(std::string_view text) {
  if (text == "first") return StoryPolicy::first;
  if (text == "all") return StoryPolicy::all;
  if (text == "digest") return StoryPolicy::digest;
  return std::nullopt;
}

/// The story an article was filed in, copied out of the index. One per worker:
/// its strings keep their capacity, so filing allocates nothing once warmed up.
struct StoryFiling {
  std::string story_id;
  std::string duplicate_of;  ///< the story's first article id; empty for the first copy
  std::uint32_t copies = 0;  ///< copies seen so far, this one included (1: the first)
  unsigned distance = 0;     ///< signature distance to the story's first copy (0 when new)
};

/// Counters for /metrics.
struct StoryStageCounts {
  StoryCounts index;         ///< stories in the window, evicted (cap), expired (window)
  std::uint64_t copies = 0;  ///< articles that joined an existing story as a copy
  StoryStoreCounts store;
  LifecycleCounts lifecycle;  ///< articles, holds, decisions by reason
};

/// Thread-safe: file(), the store calls and counts() from any thread (file()
/// must be called in input order for the first copy to be the first filed). Never throws except
/// std::bad_alloc.
class StoryStage {
 public:
  /// `options` must pass story_options_error(), `lifecycle`
  /// lifecycle_options_error() (config checks both).
  explicit StoryStage(const StoryOptions& options, const LifecycleOptions& lifecycle = {});

  /// Files one article with signature `sig` at article time `at` into `out`.
  /// An article whose id is the first copy's id of the story it falls in is
  /// that first copy again (a replay, a resend, a new version): it gets the
  /// same answer as the first time and changes nothing. Any other article
  /// within the threshold of a story joins it as a copy; else it starts one.
  void file(std::string_view article_id, const Signature& sig, Clock::time_point at,
            StoryFiling& out);

  /// The lifecycle's decision for one arriving article version (Lifecycle::decide),
  /// in input order. Hold payloads are persisted by the next commit().
  LifecycleDecision decide(const Arrival& arrival, Clock::time_point now);
  /// The outputs named in `outputs` took the alert `alert_id` of `article_id`
  /// (Lifecycle::took): a retraction of it goes to those only.
  void took(std::string_view article_id, std::string_view alert_id,
            const std::vector<std::string_view>& outputs);
  /// Whether the lifecycle remembers the article (Lifecycle::known): an article
  /// that matched nothing and is not known needs no decision.
  bool known(std::string_view article_id) const;
  /// Releases the holds due at `now` into `out` (Lifecycle::due).
  void due(Clock::time_point now, std::vector<Release>& out);
  /// When the earliest hold is due (Lifecycle::next_due).
  std::optional<Clock::time_point> next_due() const;

  /// Opens (or creates) the store under `dir` and loads its stories. Call once,
  /// before the first file(). On an error the stage runs in memory only.
  StoryStoreOpened open_store(const std::filesystem::path& dir);
  /// Writes the changes since the last commit (holds the lock while writing: a
  /// few milliseconds a second at most). "" when done or when no store is open,
  /// else an error sentence (the changes are kept for the next commit).
  std::string commit();
  /// Pending digests to write with the next commit() (StoryStore::stage_digests;
  /// dropped when no store is open). Both vectors are left empty.
  void stage_digests(std::vector<DigestRecord>& upserts, std::vector<DigestKey>& removed);
  /// The pending digests the store loaded at open_store(), moved out (once).
  std::vector<DigestRecord> take_digests();
  /// Commits (returning commit()'s answer) and closes the store.
  std::string close_store();
  bool store_open() const;

  StoryStageCounts counts() const;
  const StoryOptions& options() const { return index_.options(); }

 private:
  mutable std::mutex mu_;
  StoryIndex index_;          // guarded by mu_
  Lifecycle lifecycle_;       // guarded by mu_
  StoryStore store_;          // guarded by mu_
  std::uint64_t copies_ = 0;  // guarded by mu_
};

}  // namespace newshound

// Stage: stories. The lifecycle of an article's versions: given each arriving
// version (its id, version, pubstatus, embargo and what it matched), decides the
// alert event: new, update, retraction, hold (embargo) or nothing (a replay, an
// unchanged version). Remembers per article the newest version seen, the alert ids
// in force and a held embargo; bounded by a window and a count cap like the story
// index. Synchronous, no I/O, single-threaded (one owner). Rules: docs/stories.md.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "newshound/stories/id_filter.hpp"
#include "newshound/stories/slot_lru.hpp"

#include "newshound/decode/article.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// The alert event of an arriving version (the alert field `event`; `hold` and
/// `none` send nothing now).
enum class LifecycleEvent : std::uint8_t { none, new_alert, update, retraction, hold };

/// Why: one per row of the table in docs/stories.md.
enum class LifecycleReason : std::uint8_t {
  first,               ///< new: the first alerted version of the article
  matches_changed,     ///< update: a newer version matching other entities/topics
  unmatched,           ///< retraction: a newer version of an alerted article matches nothing
  killed,              ///< retraction: pubstatus canceled or withheld of an alerted article
  embargoed,           ///< hold: embargoed until a time after now
  no_match,            ///< none: matches nothing and nothing is alerted
  unchanged,           ///< none: a newer version matching the same things
  replay,              ///< none: the same version again
  stale,               ///< none: an older version than one already seen
  nothing_to_retract,  ///< none: canceled/withheld (or unmatched) with nothing alerted
  /// update: the same version again under another alert id (matched by other
  /// rules after a reload or restart) of an alerted article
  rules_changed,
};
inline constexpr std::size_t kLifecycleReasons = 11;

/// "new", "update", "retraction", "hold", "none".
const char* lifecycle_event_name(LifecycleEvent e);
/// The event a reason belongs to (first: new, matches_changed: update, unmatched
/// and killed: retraction, embargoed: hold, the others none).
LifecycleEvent lifecycle_reason_event(LifecycleReason r);
/// The reason's name as in docs/stories.md ("first", "matches_changed", ...).
const char* lifecycle_reason_name(LifecycleReason r);

/// Orders two version strings: dot-separated parts compared in turn, numerically
/// when both are digits ("2" < "10", "1.9" < "1.10"), else bytewise; a missing part
/// sorts first ("" < "1" < "1.1"). <0, 0, >0.
int compare_versions(std::string_view a, std::string_view b);

/// The version the lifecycle orders an article by: ninjs `version` / NewsML-G2
/// @version, or `versioncreated` when the feed gives no version.
std::string_view lifecycle_version(const Article& article);

/// One arriving article version. The views are copied as needed.
struct Arrival {
  std::string_view article_id;
  std::string_view version;  ///< see lifecycle_version()
  PubStatus pubstatus = PubStatus::unknown;
  /// Embargoed until (ninjs `embargoed`, parsed by the caller); none: not embargoed.
  std::optional<Clock::time_point> embargo;
  std::uint64_t matches = 0;  ///< match_hash() of what it matched; kNoMatches: nothing
  std::string_view alert_id;  ///< the id of the alert the caller would send for it
  std::string_view payload;   ///< kept with a hold and handed back at release (opaque)
  /// `matches` names the rules it was matched with (the pipeline's fingerprint,
  /// match_hash() with a rules version), so the same version again under another
  /// alert id with other matches was matched by other rules: an update
  /// (`rules_changed`) instead of a replay. Off: such a version is a replay.
  bool rules_in_matches = false;
};

/// The outputs that took an alert (their `[[output]]` names, sorted, distinct).
/// A retraction of an alert whose outputs are not `known` goes to every output:
/// `pending`, no router reported it (as in `scan`), or `unknown`, read from a
/// store written before schema 2 (which did not keep them).
struct AlertOutputs {
  enum class State : std::uint8_t { pending, known, unknown };
  State state = State::pending;
  std::vector<std::string> names;
  bool known() const { return state == State::known; }
  /// Adds `other`'s names: a pending one takes them, an unknown one stays
  /// unknown, and an `other` not known makes it unknown.
  void merge(const AlertOutputs& other);
  bool operator==(const AlertOutputs&) const = default;
};

/// The decision for one arrival (or one released hold).
struct LifecycleDecision {
  LifecycleEvent event = LifecycleEvent::none;
  LifecycleReason reason = LifecycleReason::no_match;
  std::string previous_alert;         ///< update: the alert id it supersedes
  std::vector<std::string> retracts;  ///< retraction: the alert ids taken back, oldest first
  /// retraction: the outputs that took the alerts in `retracts` (their union;
  /// unknown when any of them is): it goes to these only.
  AlertOutputs retract_to;
  Clock::time_point release_at{};  ///< hold: when due() releases it
  /// replay: the replayed version's alert (Arrival::alert_id) is still in force,
  /// so a caller may send it again (an at-least-once feed resending after a
  /// crash); `previous_alert` then names the alert in force before it, if any.
  bool in_force = false;
};

/// A held version whose embargo has passed (due()): its decision is taken at
/// release against the article's state then (new, update, retraction or none).
struct Release {
  std::string article_id;
  std::string version;
  std::string alert_id;
  std::string payload;
  LifecycleDecision decision;
};

/// Limits (config `[stories]`, once wired).
struct LifecycleOptions {
  /// An article not seen for this long (by the `now` of decide()/due()) is
  /// forgotten; a held one not before its release plus the window.
  std::chrono::seconds window = std::chrono::hours(24 * 7);
  /// At most this many articles (>= 1); the least recently seen is dropped first,
  /// held or not (a dropped hold is counted, never released).
  std::size_t max_articles = 200000;
};

/// Why `options` cannot be used ("" when they can): a zero cap, a non-positive window.
std::string lifecycle_options_error(const LifecycleOptions& options);

/// Alert ids kept per article (the oldest dropped beyond): a retraction lists these.
inline constexpr std::size_t kMaxAlertIdsPerArticle = 16;

/// Counters for /metrics.
struct LifecycleCounts {
  std::size_t articles = 0;         ///< articles remembered now
  std::size_t held = 0;             ///< holds pending now
  std::uint64_t evicted = 0;        ///< articles dropped by the cap
  std::uint64_t expired = 0;        ///< articles dropped by the window
  std::uint64_t holds_dropped = 0;  ///< holds dropped with their article by the cap
  std::uint64_t released = 0;       ///< holds released by due()
  std::array<std::uint64_t, kLifecycleReasons> decisions{};  ///< by LifecycleReason
};

/// One article as the store keeps it (take_changes(), restore()).
struct ArticleRecord {
  std::string id;
  std::string version;              ///< newest version seen (held or not)
  std::uint64_t matches = 0;        ///< match hash of the alerted version
  std::vector<std::string> alerts;  ///< alert ids in force, oldest first
  /// The outputs that took each of `alerts` (same order; a missing one: unknown).
  std::vector<AlertOutputs> alert_outputs;
  Clock::time_point last_seen{};
  std::uint64_t used = 0;  ///< last-seen order (the LRU order survives a restart)
  bool held = false;
  Clock::time_point release_at{};
  std::uint64_t hold_matches = 0;
  std::string hold_alert;
  std::string payload;
  /// Never written to the store before (created since the last commit, not
  /// restored): the store has no rows of it to delete first.
  bool fresh = false;
};

/// The lifecycle tracker. Owns copies of ids, versions, alert ids and payloads.
/// Never throws except std::bad_alloc; there are no errors after construction.
class Lifecycle {
 public:
  /// `options` should pass lifecycle_options_error(); a zero cap is read as 1, a
  /// non-positive window as one second.
  explicit Lifecycle(const LifecycleOptions& options = {});

  /// Decides the event for `a` arriving at `now` and updates the article's state
  /// (docs/stories.md, "Lifecycle"). Forgets articles the window has passed first.
  /// An unknown article that matches nothing and is not a kill is not remembered.
  LifecycleDecision decide(const Arrival& a, Clock::time_point now);

  /// Releases every hold whose time is at or before `now`, earliest first, into
  /// `out` (cleared first).
  void due(Clock::time_point now, std::vector<Release>& out);

  /// When the earliest hold is due, or nothing when none is held.
  std::optional<Clock::time_point> next_due() const;

  /// The outputs in `outputs` took the alert `alert_id` of `article_id` (added to
  /// those recorded before, e.g. a replay's); a retraction of it goes to those
  /// only. Unknown article or alert id: nothing. Recorded as a change.
  void took(std::string_view article_id, std::string_view alert_id,
            const std::vector<std::string_view>& outputs);

  /// True when the article is remembered (a caller may skip decide() for an
  /// article that matched nothing and is not known).
  bool known(std::string_view article_id) const;
  /// False when the article is surely not remembered; true when it may be (then
  /// ask known()). Unlike the rest of the class, safe to call without the
  /// owner's lock while another thread calls the others (IdFilter).
  bool maybe_known(std::string_view article_id) const { return ids_.may_contain(article_id); }

  LifecycleCounts counts() const;
  const LifecycleOptions& options() const { return options_; }

  /// Files an article read back from the store; restore in ascending `used` order.
  /// Evicts beyond the cap (counted). Not recorded as a change.
  void restore(const ArticleRecord& record);

  /// Change tracking for the store (off by default), as StoryIndex::track_changes.
  void track_changes(bool on);

  /// Moves the changes since the last call out: `removed` the article ids dropped
  /// (apply first), `upserts` the current state of every article changed. Both are
  /// replaced; the records `upserts` held are assigned over (their memory reused).
  void take_changes(std::vector<ArticleRecord>& upserts, std::vector<std::string>& removed);

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  struct Entry {
    std::string id;
    std::string version;
    std::uint64_t matches = 0;
    std::vector<std::string> alerts;
    std::vector<AlertOutputs> alert_outputs;  // parallel to alerts
    Clock::time_point last_seen{};
    std::uint64_t used = 0;
    bool held = false;
    Clock::time_point release_at{};
    std::uint64_t hold_matches = 0;
    std::string hold_alert;
    std::string payload;
    std::uint32_t lru_prev = kNone, lru_next = kNone;
    bool live = false;
    bool changed = false;
    bool stored = false;  // restored, or handed to the store by take_changes()
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  LifecycleDecision settle(Entry& e, std::uint64_t matches, std::string_view alert_id);
  LifecycleDecision decide_known(std::uint32_t slot, const Arrival& a, Clock::time_point now);
  static LifecycleDecision none(LifecycleReason r);
  static void push_alert(Entry& e, std::string_view alert_id);
  static void retract_all(Entry& e, LifecycleDecision& d);
  void hold(std::uint32_t slot, const Arrival& a);
  void drop_hold(std::uint32_t slot);
  std::uint32_t create(std::string_view id, std::string_view version, Clock::time_point now);
  void touch(std::uint32_t slot, Clock::time_point now);
  bool expired(const Entry& e, Clock::time_point now) const;
  void expire(Clock::time_point now);
  void remove(std::uint32_t slot);
  void note_change(std::uint32_t slot);
  LifecycleDecision counted(LifecycleDecision d);

  LifecycleOptions options_;
  IdFilter ids_;  // the ids of by_id_, counted: maybe_known() without the lock
  std::vector<Entry> slots_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> by_id_;
  std::set<std::pair<Clock::time_point, std::uint32_t>> holds_;  // (release, slot)
  SlotLru lru_;  // recency of slots_ (head: most recent) and its free slots
  std::uint64_t use_ = 0;
  LifecycleCounts counts_;
  bool tracking_ = false;
  std::vector<std::uint32_t> changed_;
  std::vector<std::string> removed_;
  std::vector<std::string_view> took_;  // took()'s names, sorted (scratch)
};

}  // namespace newshound

// Stage: stories. The stories of a time window: each a SimHash, the first copy's
// article id and a copy count, found by Hamming distance through a banded index
// (four tables keyed by the 16-bit bands of the SimHash, probed within a radius),
// so a lookup is never a scan. Bounded: a count cap with LRU eviction, a window by
// article time. Synchronous, no I/O, single-threaded (one owner).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/stories/slot_lru.hpp"

#include "newshound/stories/signature.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// The default join threshold in bits of Hamming distance (chosen on the
/// evaluation set, docs/stories.md), and the largest the index accepts.
inline constexpr unsigned kDefaultStoryThreshold = 10;
inline constexpr unsigned kMaxStoryThreshold = 15;

/// The index's limits and join threshold (config `[stories]`, once wired).
struct StoryOptions {
  /// A story whose last copy is older (by article time) than the newest article
  /// seen minus `window` is gone.
  std::chrono::seconds window = std::chrono::hours(48);
  /// At most this many stories; the least recently joined is evicted first (>= 1).
  std::size_t max_stories = 100000;
  /// A copy joins the nearest story within this Hamming distance (<= kMaxStoryThreshold).
  unsigned threshold = kDefaultStoryThreshold;
};

/// Why `options` cannot be used ("" when they can): a threshold over
/// kMaxStoryThreshold, a zero cap, a non-positive window.
std::string story_options_error(const StoryOptions& options);

/// The story an article belongs to. The views point into the index and are valid
/// until its next add().
struct StoryHit {
  std::string_view story_id;      ///< stable: derived from the first copy's article id
  std::string_view duplicate_of;  ///< the first copy's article id
  std::uint32_t copies = 0;       ///< copies seen so far, this one included (add) or not (find)
  unsigned distance = 0;          ///< Hamming distance to the story's signature
  bool is_new = false;            ///< add(): this article started the story
};

/// One story as the store keeps it (StoryIndex::take_changes, restore()).
struct StoryRecord {
  std::string id;
  std::string first_article;
  std::uint64_t simhash = 0;
  std::uint64_t seq = 0;   ///< creation order (ties between equally near stories)
  std::uint64_t used = 0;  ///< last-join order (the LRU order survives a restart)
  std::uint32_t copies = 0;
  Clock::time_point last_seen{};
  bool indexed = true;  ///< false: an article without words (nothing joins it)
};

/// Counters for /metrics.
struct StoryCounts {
  std::size_t stories = 0;    ///< stories in the index now
  std::uint64_t evicted = 0;  ///< stories dropped by the count cap (LRU)
  std::uint64_t expired = 0;  ///< stories dropped by the window
};

/// The stories of the window. Owns its stories (ids and first copies' article ids
/// copied in); memory is bounded by max_stories. One owner, not thread-safe. Never
/// throws except std::bad_alloc (a new slot, a story id); errors are not possible
/// after construction.
class StoryIndex {
 public:
  /// `options` must pass story_options_error(); out-of-range values are clamped.
  /// Allocates the four band tables (4 x 65536 x 4 bytes, and a bitmap of the
  /// buckets in use, 4 x 8 KiB) up front.
  explicit StoryIndex(const StoryOptions& options = {});

  /// The nearest live story within the threshold of `sig` at article time `at`
  /// (ties: the older story), or nothing. A signature without shingles finds
  /// nothing. Does not change the index.
  std::optional<StoryHit> find(const Signature& sig, Clock::time_point at) const;

  /// Files an article: joins the nearest story (copies + 1; the story becomes the
  /// most recently used and keeps its signature, the first copy's) or starts a
  /// new one, evicting the least recently used story if the cap is reached. Expires
  /// the stories the window has passed first. An article without shingles starts
  /// a story of its own that is never indexed (nothing can join it).
  StoryHit add(std::string_view article_id, const Signature& sig, Clock::time_point at);

  /// As add(), with one lookup, except for an article filed again: when the
  /// nearest story's first copy is `article_id` itself (a redelivery, a new
  /// version), the story is left as it is and `again` is set.
  StoryHit file(std::string_view article_id, const Signature& sig, Clock::time_point at,
                bool& again);

  StoryCounts counts() const;
  const StoryOptions& options() const { return options_; }

  /// Files a story read back from the store as it was (copies, times, order);
  /// restore in ascending `used` order so the LRU order is the one saved. Evicts
  /// the least recently used story beyond the cap (counted). Not recorded as a
  /// change. The window is applied by the next add().
  void restore(const StoryRecord& record);

  /// Change tracking for the store (off by default, so an index without a store
  /// keeps no list): once on, every story started or joined and every story id
  /// evicted or expired is remembered until take_changes().
  void track_changes(bool on);

  /// Moves the changes since the last call out: `removed` gets the ids dropped
  /// (apply these first: a dropped id may have been started again since), `upserts`
  /// the current state of every story started or joined. Both are replaced; the
  /// records `upserts` held are assigned over, so their strings keep their memory.
  void take_changes(std::vector<StoryRecord>& upserts, std::vector<std::string>& removed);

  /// Bytes the index holds on the heap: band tables, slots, id strings beyond
  /// their short buffers, free list and change list (for docs/stories.md).
  std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  static constexpr unsigned kBands = 4;

  struct Story {
    std::uint64_t simhash = 0;
    std::uint64_t seq = 0;   // creation order, for ties
    std::uint64_t used = 0;  // last-join order
    std::string id;
    std::string first_article;
    std::uint32_t copies = 0;
    Clock::time_point last_seen{};
    std::uint32_t lru_prev = kNone, lru_next = kNone;
    std::array<std::uint32_t, kBands> band_prev{}, band_next{};
    bool indexed = false;
    bool live = false;
    bool changed = false;  // in changed_ (change tracking)
  };

  static std::uint16_t band(std::uint64_t h, unsigned b) {
    return static_cast<std::uint16_t>(h >> (16 * b));
  }
  bool expired(const Story& s, Clock::time_point at) const;
  StoryHit join_or_start(std::string_view article_id, const Signature& sig, Clock::time_point at,
                         bool same_id_again, bool& again);
  std::uint32_t nearest(std::uint64_t simhash, Clock::time_point at, unsigned& distance) const;
  void expire(Clock::time_point at);
  void remove(std::uint32_t slot);
  void link_bands(std::uint32_t slot);
  void unlink_bands(std::uint32_t slot);
  StoryHit hit_of(const Story& s, unsigned distance, bool is_new) const;
  void note_change(std::uint32_t slot);

  StoryOptions options_;
  /// The probe masks within the radius, by their top 10 bits (which 64-bucket word
  /// of occupied_ they reach): `high`, and the bits the low 6 may still differ by.
  struct WordProbe {
    std::uint16_t high;
    std::uint8_t low_radius;
  };
  std::vector<WordProbe> word_probes_;
  /// near_[r][x]: bit y set when the 6-bit values x and y differ in at most r bits.
  std::array<std::array<std::uint64_t, 64>, 4> near_{};
  std::vector<Story> slots_;
  std::array<std::vector<std::uint32_t>, kBands> heads_;
  std::array<std::vector<std::uint64_t>, kBands> occupied_;  // bit k: heads_[b][k] in use
  SlotLru lru_;  // recency of slots_ (head: most recent) and its free slots
  std::size_t live_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t use_ = 0;
  bool tracking_ = false;
  std::vector<std::uint32_t> changed_;  // slots started or joined since take_changes()
  std::vector<std::string> removed_;    // ids dropped since take_changes()
  std::uint64_t evicted_ = 0, expired_ = 0;
  Clock::time_point newest_{};
  bool any_ = false;
};

}  // namespace newshound

// Stage: dispatch. The digest desk: for outputs with `stories = "digest"` and for
// throttled lists (`max_alerts_per_minute`), the alerts that are folded into a
// digest instead of being sent (sort()), the digests pending until their interval
// ends (fold(), take_due()), and the digests sent whose sink has not reported
// them delivered, with the alerts whose acknowledgement waits for them
// (sending(), delivered()). No Asio: the dispatcher runs the timer and gives the
// time (docs/stories.md, Policies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "newshound/dispatch/list_throttle.hpp"
#include "newshound/dispatch/sink_router.hpp"
#include "newshound/encode/alert.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/stories/story_store.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// Bounds of the pending digests, over all outputs: past any of them the digest
/// due first is sent early (counted), so memory stays bounded and nothing is dropped.
struct DigestDeskLimits {
  std::size_t max_digests = 10000;                     ///< pending digests
  std::size_t max_kept_alerts = 100000;                ///< alerts whose acknowledgement waits
  std::size_t max_item_bytes = std::size_t{64} << 20;  ///< listed items' bytes
};

/// Per-output counters for /metrics.
struct DigestCounts {
  std::uint64_t pending = 0;          ///< digests collecting now
  std::uint64_t pending_copies = 0;   ///< alerts folded into them
  std::uint64_t sent = 0;             ///< digests handed to the sink
  std::uint64_t sent_early = 0;       ///< of which sent before their interval ended (bounds)
  std::uint64_t folded_story = 0;     ///< alerts folded by `stories = "digest"`
  std::uint64_t folded_throttle = 0;  ///< alerts folded by the throttle
};

/// Event-loop thread only. Never throws except std::bad_alloc.
class DigestDesk {
 public:
  /// One alert going into one output's digest: a story's (`list` empty) or a
  /// throttled list's.
  struct Fold {
    Sink* sink = nullptr;
    const Route* route = nullptr;
    std::string_view list;  ///< the throttled list's name; empty: the story's digest
  };
  /// A digest out of the desk, to hand to its sink; `folded` are the alerts
  /// whose acknowledgement waits for it (acknowledged streams only).
  struct Ready {
    Sink* sink = nullptr;
    std::shared_ptr<const Alert> alert;
    std::vector<std::shared_ptr<const Alert>> folded;
    bool early = false;
  };

  explicit DigestDesk(DigestDeskLimits limits = {}) : limits_(limits) {}

  /// Moves out of `targets` (with their `classes` and `routes`, same order) the
  /// outputs that fold `alert` into a digest at `now`, into `folds`: every
  /// output with `stories = "digest"`, and a throttled output when every list of
  /// the alert it takes is over its limit this minute (the alert is then counted
  /// against the lists with room). `rules` names the alert's lists.
  void sort(const Alert& alert, const Rules& rules, std::vector<Sink*>& targets,
            std::vector<std::uint32_t>& classes, std::vector<const Route*>& routes,
            Clock::time_point now, std::vector<Fold>& folds);
  /// Folds `alert` into each fold's digest (opened at `now` when new, due one
  /// interval later). `keep`: its acknowledgement waits for the digest (the
  /// alert is kept until delivered()).
  void fold(std::span<const Fold> folds, const std::shared_ptr<const Alert>& alert, bool keep,
            Clock::time_point now);
  /// When the next digest is due (nothing pending: nullopt).
  std::optional<Clock::time_point> next_due() const;
  /// The digests due at `now` (every one with `all`: shutdown), and those past
  /// the limits, encoded, into `out` (appended), oldest first.
  void take_due(Clock::time_point now, bool all, std::vector<Ready>& out);
  /// `ready` was handed to its sink: its folded alerts wait for delivered().
  void sending(Ready ready);
  /// `sink` reported `alert` delivered: when it is a digest the desk sent there,
  /// calls `settle` with each alert folded into it.
  void delivered(const Sink* sink, const Alert* alert,
                 const std::function<void(const Alert*)>& settle);
  /// Sinks no longer routed: their pending digests and sent ones are given up
  /// (their alerts stay unacknowledged: the feed resends them). Returns how many
  /// alerts the pending ones held.
  std::size_t forget_sinks(std::span<const Sink* const> removed);

  /// What changed in the part of the pending digests that must survive a
  /// SIGKILL (the alerts folded without `keep`: their lines are not acknowledged
  /// later, so nothing resends them) since the last call: `upserts` the current
  /// state of those digests, `removed` those sent or given up (cleared first).
  void take_changes(std::vector<DigestRecord>& upserts, std::vector<DigestKey>& removed);
  /// Files a pending digest read back from the store for `sink` (its `route`),
  /// due at its time (at once when that has passed). False when `sink` already
  /// collects that digest (nothing filed).
  bool restore(const DigestRecord& record, Sink* sink, const Route& route);

  DigestCounts counts(const Sink* sink) const;
  const ListThrottle& throttle() const { return throttle_; }
  /// Whether any route may fold (so emit can skip sort()).
  static bool folds_any(std::span<const Route* const> routes);

 private:
  // (sink, list or "", story id or "article:" id).
  using Key = std::tuple<const Sink*, std::string, std::string>;
  struct Pending {
    Sink* sink = nullptr;
    std::string output;
    std::size_t max_bytes = 0;
    std::string list;
    std::string story_id;
    Clock::time_point opened{};
    Clock::time_point due{};
    std::uint64_t copies = 0;
    std::uint64_t left_out = 0;  // not kept: over the digest's bytes
    std::size_t item_bytes = 0;
    std::vector<std::string> items;
    std::vector<std::shared_ptr<const Alert>> kept;
    // The part that survives a SIGKILL (take_changes()): per item whether it is
    // of an alert folded without `keep`, and those alerts' copies and left_out.
    std::vector<bool> durable;
    std::uint64_t durable_copies = 0;
    std::uint64_t durable_left_out = 0;
  };
  Pending& open(const Key& key, Sink* sink, const Route& route, std::string_view list,
                Clock::time_point now);
  void note_change(const Key& key, const Pending& p);
  Ready close(std::map<Key, Pending>::iterator it, Clock::time_point now, bool early);
  bool over_limits() const;

  DigestDeskLimits limits_;
  std::map<Key, Pending> pending_;
  std::set<std::pair<Clock::time_point, Key>> due_;
  std::size_t kept_ = 0;
  std::size_t item_bytes_ = 0;
  std::unordered_map<const Alert*, Ready> sent_;  // digests awaiting delivered()
  std::unordered_map<const Sink*, DigestCounts> counts_;
  ListThrottle throttle_;
  std::map<Key, DigestKey> changed_;  // durable digests changed since take_changes()
};

}  // namespace newshound

// Stage: encode. The fifth hand-off type: one encoded alert, ready for any sink.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/util/clock.hpp"

namespace newshound {

/// The story an alert's article belongs to and its lifecycle event (the story
/// stage's answer), written as the alert's `event`, `previous_alert`, `retracts`,
/// `story_id`, `duplicate_of` and `copies` by set_alert_story()
/// (encode/alert_story.hpp). An empty `story_id`: the story members null (no
/// story stage).
struct AlertStory {
  AlertStory() = default;
  /// A new alert of that story.
  AlertStory(std::string_view id, std::string_view first, std::uint32_t n)
      : story_id(id), duplicate_of(first), copies(n) {}
  std::string_view story_id;
  std::string_view duplicate_of;  ///< empty: the story's first copy (null)
  std::uint32_t copies = 0;
  std::string_view event = "new";         ///< "new", "update" or "retraction"
  std::string_view previous_alert;        ///< an update's superseded alert id; empty: null
  std::span<const std::string> retracts;  ///< a retraction's alert ids taken back
};

/// An alert as the sinks see it. Immutable once built and shared between sinks
/// (std::shared_ptr<const Alert>), so fan-out copies nothing.
struct Alert {
  std::string id;                    ///< stable alert id (see alert_id())
  std::string article;               ///< the article id
  std::string json;                  ///< one NDJSON line, '\n'-terminated
  std::vector<std::uint32_t> lists;  ///< indexes of the lists that hit (for routing)
  std::string rules_version;
  Clock::time_point received_at{};  ///< when the article's line was read (for latency)
  /// Matches left out at the alert bounds (its "truncated" field; 0 = none).
  std::uint64_t truncated = 0;
  /// Entity matches + topic hits the alert lists (in `matches`).
  std::size_t listed = 0;
  /// A copy of a story seen before (its `duplicate_of` is not null): outputs with
  /// `stories = "first"` do not get it. Set by set_alert_story().
  bool duplicate = false;
  /// Where the lifecycle and story members (`,"event":...` to the end) start in
  /// `json`.
  std::size_t story_at = 0;
  /// The same alert cut for outputs with smaller bounds: `cuts[k - 1]` is for
  /// bound class k (dispatch/alert_bounds.hpp), null where this alert fits that
  /// class. Filled by the worker before the alert is shared; empty with one class.
  std::vector<std::shared_ptr<const Alert>> cuts;
};

}  // namespace newshound

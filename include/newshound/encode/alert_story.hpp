// Stage: encode. An alert's lifecycle and story members, `event`,
// `previous_alert`, `retracts`, `story_id`, `duplicate_of` and `copies`, the last
// members of every alert (docs/alerts.md). The encoder writes them as a new alert
// without a story; the story stage fills them in once it has filed the article and
// decided its event, in input order (after encoding, which runs on several workers
// at once). Also builds the small alert a retraction sends (retraction_alert()).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "newshound/encode/alert.hpp"
#include "newshound/encode/json_writer.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// Writes the lifecycle and story members of `story` (`event` "new" or as given,
/// `previous_alert` null when empty, `retracts` [] when empty, the story members
/// null when its story_id is empty).
void write_alert_story(JsonWriter& w, const AlertStory& story);

/// Rewrites `alert`'s lifecycle and story members (Alert::story_at to the end of
/// `json`) and those of each of its cuts as `story`, and sets Alert::duplicate.
/// Only for an alert not shared yet (no sink has it). `scratch` is reused. Never
/// throws except std::bad_alloc.
void set_alert_story(Alert& alert, const AlertStory& story, std::string& scratch);

/// What a retraction alert says: the article version that takes the alerts back.
struct RetractionSource {
  std::string_view article_id;
  std::string_view version;  ///< the lifecycle's version (part of the retraction's id)
  std::string_view headline;
  std::string_view versioncreated;  ///< empty: null
  std::string_view rules_version;
  std::uint8_t urgency = 0;  ///< 0: null
  Clock::time_point received_at{};
};

/// The alert of a retraction: the fields of every alert in the same order, with
/// no matches, no tags and no lists (it is routed to every output: docs/alerts.md),
/// `event` "retraction" and `retracts` the alert ids it takes back; its `id` is
/// the XXH3-128 of ("retraction", article id, version, the ids taken back), so a
/// resent kill gives the same id. `story` gives the story members (its event,
/// previous_alert and retracts are ignored). Never throws except std::bad_alloc.
std::shared_ptr<Alert> retraction_alert(const RetractionSource& source,
                                        std::span<const std::string> retracts,
                                        const AlertStory& story, Clock::time_point alerted_at);

/// Writes an `urgency` member: 1 to 9, null for 0.
void write_alert_urgency(JsonWriter& w, std::uint8_t urgency);

}  // namespace newshound

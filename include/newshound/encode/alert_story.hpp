// Stage: encode. An alert's story members, `story_id`, `duplicate_of` and
// `copies`, the last members of every alert (docs/alerts.md). The encoder writes
// them as nulls; the story stage fills them in once it has filed the article, in
// input order (after encoding, which runs on several workers at once).
#pragma once

#include <string>

#include "newshound/encode/alert.hpp"
#include "newshound/encode/json_writer.hpp"

namespace newshound {

/// Writes the three story members of `story` (nulls when its story_id is empty).
void write_alert_story(JsonWriter& w, const AlertStory& story);

/// Rewrites `alert`'s story members (Alert::story_at to the end of `json`) and
/// those of each of its cuts as `story`, and sets Alert::duplicate. Only for an
/// alert not shared yet (no sink has it). `scratch` is reused. Never throws except
/// std::bad_alloc.
void set_alert_story(Alert& alert, const AlertStory& story, std::string& scratch);

}  // namespace newshound

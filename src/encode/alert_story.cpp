// Stage: encode. An alert's story members (see alert_story.hpp).
#include "newshound/encode/alert_story.hpp"

#include <charconv>

namespace newshound {

void write_alert_story(JsonWriter& w, const AlertStory& story) {
  w.plain_key("story_id");
  w.string_or_null(story.story_id);
  w.plain_key("duplicate_of");
  w.string_or_null(story.duplicate_of);
  w.plain_key("copies");
  if (story.story_id.empty())
    w.null();
  else
    w.number(story.copies);
}

namespace {
void rewrite(Alert& alert, const AlertStory& story, std::string& scratch) {
  std::string& json = alert.json;
  if (alert.story_at == 0 || alert.story_at > json.size()) return;  // not an encoder's alert
  json.resize(alert.story_at);
  // The members as write_alert_story() gives them, after alerted_at, and the end.
  json += ",\"story_id\":";
  if (story.story_id.empty()) {
    json += "null,\"duplicate_of\":null,\"copies\":null}\n";
  } else {
    append_json_string(json, story.story_id, scratch);
    json += ",\"duplicate_of\":";
    if (story.duplicate_of.empty())
      json += "null";
    else
      append_json_string(json, story.duplicate_of, scratch);
    json += ",\"copies\":";
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, story.copies).ptr;
    json.append(digits, end);
    json += "}\n";
  }
  alert.duplicate = !story.story_id.empty() && !story.duplicate_of.empty();
}
}  // namespace

void set_alert_story(Alert& alert, const AlertStory& story, std::string& scratch) {
  rewrite(alert, story, scratch);
  // Cuts are created non-const by the encoder and shared only with their alert.
  for (const auto& cut : alert.cuts)
    if (cut) rewrite(const_cast<Alert&>(*cut), story, scratch);
}

}  // namespace newshound

// Stage: encode. An alert's lifecycle and story members, and the retraction alert
// (see alert_story.hpp).
#include "newshound/encode/alert_story.hpp"

#include <charconv>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

void write_alert_urgency(JsonWriter& w, std::uint8_t urgency) {
  w.plain_key("urgency");
  if (urgency == 0)
    w.null();
  else
    w.number(urgency);
}

void write_alert_story(JsonWriter& w, const AlertStory& story) {
  w.plain_key("event");
  w.plain_string(story.event);
  w.plain_key("previous_alert");
  w.string_or_null(story.previous_alert);
  w.plain_key("retracts");
  w.begin_array();
  for (const auto& id : story.retracts) w.string(id);
  w.end_array();
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
void append_string_or_null(std::string& json, std::string_view s, std::string& scratch) {
  if (s.empty())
    json += "null";
  else
    append_json_string(json, s, scratch);
}

void rewrite(Alert& alert, const AlertStory& story, std::string& scratch) {
  std::string& json = alert.json;
  if (alert.story_at == 0 || alert.story_at > json.size()) return;  // not an encoder's alert
  json.resize(alert.story_at);
  // The members as write_alert_story() gives them, after urgency, and the end.
  json += ",\"event\":\"";
  json += story.event;
  json += "\",\"previous_alert\":";
  append_string_or_null(json, story.previous_alert, scratch);
  json += ",\"retracts\":[";
  for (std::size_t i = 0; i < story.retracts.size(); ++i) {
    if (i > 0) json += ',';
    append_json_string(json, story.retracts[i], scratch);
  }
  json += "],\"story_id\":";
  if (story.story_id.empty()) {
    json += "null,\"duplicate_of\":null,\"copies\":null}\n";
  } else {
    append_json_string(json, story.story_id, scratch);
    json += ",\"duplicate_of\":";
    append_string_or_null(json, story.duplicate_of, scratch);
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

std::shared_ptr<Alert> retraction_alert(const RetractionSource& source,
                                        std::span<const std::string> retracts,
                                        const AlertStory& story, Clock::time_point alerted_at) {
  auto alert = std::make_shared<Alert>();
  std::string ids;
  for (const auto& r : retracts) (ids += r) += ',';
  alert->id = stable_hash_hex({"retraction", source.article_id, source.version, ids});
  alert->article = source.article_id;
  alert->rules_version = source.rules_version;
  alert->received_at = source.received_at;
  std::string scratch;
  JsonWriter w(alert->json, scratch);
  w.begin_object();
  w.plain_key("id");
  w.string(alert->id);
  w.plain_key("article");
  w.string(source.article_id);
  w.plain_key("headline");
  w.string(source.headline);
  w.plain_key("versioncreated");
  w.string_or_null(source.versioncreated);
  w.plain_key("matches");
  w.begin_array();
  w.end_array();
  w.plain_key("tags");
  w.begin_array();
  w.end_array();
  w.plain_key("lists");
  w.begin_array();
  w.end_array();
  w.plain_key("rules_version");
  w.string(source.rules_version);
  w.plain_key("received_at");
  w.string(format_time(source.received_at));
  w.plain_key("alerted_at");
  w.string(format_time(alerted_at));
  write_alert_urgency(w, source.urgency);
  alert->story_at = alert->json.size();
  AlertStory s = story;
  s.event = "retraction";
  s.previous_alert = {};
  s.retracts = retracts;
  write_alert_story(w, s);
  w.end_object();
  alert->json += '\n';
  return alert;
}

}  // namespace newshound

// Stage: encode tests. An alert's story members: written as nulls by the encoder,
// rewritten by set_alert_story() (the alert and each of its cuts) with the bytes
// Boost.JSON gives, Alert::duplicate set for a later copy only.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/encode/alert_story.hpp"
#include "newshound/match/watchlist.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

struct StoryFixture {
  std::vector<ListInfo> lists{{"people", "p.names", {}}};
  std::vector<Entity> entities{{"Sergey Lavrov", 0}};
  std::vector<Topic> topics;
  std::string version = "0123456789ab";
  Article article;
  MatchSet matches;
  AlertEncoder enc;

  StoryFixture() {
    article.id = "urn:\"2\"";
    article.headline = "Lavrov says";
    Match m;
    m.entity = 0;
    m.field = Field::headline;
    m.value = 0;
    m.start = 0;
    m.end = 6;
    matches.matches.push_back(m);
  }
  std::shared_ptr<Alert> encode(const AlertLimits& limits = {}) {
    const RulesView view{lists, entities, version, topics};
    return std::const_pointer_cast<Alert>(
        enc.encode(article, matches, view, Clock::time_point{}, limits));
  }
};

// What Boost.JSON writes for the alert with its story members replaced.
std::string story_test_expected(const std::string& line, const json::value& id,
                                const json::value& dup, const json::value& copies) {
  json::object o = json::parse(line).as_object();
  o["story_id"] = id;
  o["duplicate_of"] = dup;
  o["copies"] = copies;
  return json::serialize(o) + "\n";
}

}  // namespace

TEST_CASE("alert story: the encoder writes a new alert with null story members last",
          "[encoder][stories]") {
  StoryFixture f;
  const auto alert = f.encode();
  CHECK(alert->json.ends_with(
      ",\"urgency\":null,\"event\":\"new\",\"previous_alert\":null,\"retracts\":[],"
      "\"story_id\":null,\"duplicate_of\":null,\"copies\":null}\n"));
  CHECK(alert->json.substr(alert->story_at, 9) == ",\"event\":");
  CHECK_FALSE(alert->duplicate);
}

TEST_CASE("alert story: set_alert_story writes the story as Boost.JSON would",
          "[encoder][stories]") {
  StoryFixture f;
  std::string scratch;
  auto first = f.encode();
  const std::string before = first->json;
  set_alert_story(*first, {"0123456789abcdef", "", 1}, scratch);
  CHECK(first->json == story_test_expected(before, "0123456789abcdef", nullptr, 1));
  CHECK_FALSE(first->duplicate);

  auto copy = f.encode();
  set_alert_story(*copy, {"0123456789abcdef", "urn:\"1\"\n", 4294967295u}, scratch);
  CHECK(copy->json == story_test_expected(before, "0123456789abcdef", "urn:\"1\"\n", 4294967295u));
  CHECK(copy->duplicate);
  // Written again (the same alert filed twice): the same bytes, no growth.
  set_alert_story(*copy, {"0123456789abcdef", "urn:\"1\"\n", 4294967295u}, scratch);
  CHECK(copy->json == story_test_expected(before, "0123456789abcdef", "urn:\"1\"\n", 4294967295u));
  // And back to no story: the encoder's bytes.
  set_alert_story(*copy, {}, scratch);
  CHECK(copy->json == before);
  CHECK_FALSE(copy->duplicate);
}

TEST_CASE("alert story: cuts get the same story", "[encoder][stories]") {
  StoryFixture f;
  auto alert = f.encode();
  AlertLimits no_snippets;
  no_snippets.snippets = false;
  alert->cuts.push_back(nullptr);  // a class the alert fits
  alert->cuts.push_back(f.encode(no_snippets));
  std::string scratch;
  set_alert_story(*alert, {"fedcba9876543210", "urn:1", 2}, scratch);
  const json::value cut = json::parse(alert->cuts[1]->json);
  CHECK(cut.at("story_id") == "fedcba9876543210");
  CHECK(cut.at("duplicate_of") == "urn:1");
  CHECK(cut.at("copies") == 2);
  CHECK(alert->cuts[1]->duplicate);
}

TEST_CASE("alert story: urgency is copied, null when absent", "[encoder][stories]") {
  StoryFixture f;
  f.article.urgency = 3;
  CHECK(json::parse(f.encode()->json).at("urgency") == 3);
  f.article.urgency = 0;
  CHECK(json::parse(f.encode()->json).at("urgency").is_null());
}

TEST_CASE("alert story: an update names the alert it supersedes", "[encoder][stories]") {
  StoryFixture f;
  std::string scratch;
  auto alert = f.encode();
  AlertStory story{"0123456789abcdef", "", 1};
  story.event = "update";
  story.previous_alert = "00112233445566778899aabbccddeeff";
  set_alert_story(*alert, story, scratch);
  json::object o = json::parse(alert->json).as_object();
  CHECK(o.at("event") == "update");
  CHECK(o.at("previous_alert") == "00112233445566778899aabbccddeeff");
  CHECK(o.at("retracts") == json::array{});
  // Back to a new alert: the same bytes as a first filing.
  auto fresh = f.encode();
  set_alert_story(*alert, {"0123456789abcdef", "", 1}, scratch);
  set_alert_story(*fresh, {"0123456789abcdef", "", 1}, scratch);
  CHECK(alert->json == fresh->json);
}

TEST_CASE("alert story: a retraction alert lists what it takes back", "[encoder][stories]") {
  const std::vector<std::string> ids{"00112233445566778899aabbccddeeff",
                                     "ffeeddccbbaa99887766554433221100"};
  RetractionSource src;
  src.article_id = "urn:\"kill\"";
  src.version = "3";
  src.headline = "KILL: Lavrov says";
  src.rules_version = "0123456789ab";
  src.urgency = 1;
  const auto a = retraction_alert(src, ids, {"0123456789abcdef", "urn:first", 2}, {});
  const json::object o = json::parse(a->json).as_object();
  CHECK(a->json.ends_with("}\n"));
  CHECK(o.at("event") == "retraction");
  CHECK(o.at("retracts") == json::array{json::value(ids[0]), json::value(ids[1])});
  CHECK(o.at("matches") == json::array{});
  CHECK(o.at("lists") == json::array{});
  CHECK(o.at("versioncreated").is_null());
  CHECK(o.at("urgency") == 1);
  CHECK(o.at("story_id") == "0123456789abcdef");
  CHECK(o.at("previous_alert").is_null());
  CHECK(a->id.size() == 32);
  CHECK(o.at("id") == json::value(a->id));
  CHECK(a->lists.empty());
  CHECK_FALSE(a->duplicate);  // a retraction goes to first-copy outputs too
  // A resent kill: the same id; other ids taken back: another.
  CHECK(retraction_alert(src, ids, {}, {})->id == a->id);
  CHECK(retraction_alert(src, std::span(ids).first(1), {}, {})->id != a->id);
}

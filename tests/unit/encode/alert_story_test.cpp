// Stage: encode tests. An alert's story members: written as nulls by the encoder,
// rewritten by set_alert_story() (the alert and each of its cuts) with the bytes
// Boost.JSON gives, Alert::duplicate set for a later copy only.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <memory>
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

TEST_CASE("alert story: the encoder writes null story members last", "[encoder][stories]") {
  StoryFixture f;
  const auto alert = f.encode();
  CHECK(alert->json.ends_with(",\"story_id\":null,\"duplicate_of\":null,\"copies\":null}\n"));
  CHECK(alert->json.substr(alert->story_at, 12) == ",\"story_id\":");
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

// Stage: encode tests. The alert's `link`: written after `versioncreated` only when
// the article has one (escaped like any string); an article without one gives the
// same bytes as before the field existed.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/match/watchlist.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

struct LinkFixture {
  std::vector<ListInfo> lists{{"people", "p.names", {}}};
  std::vector<Entity> entities{{"Sergey Lavrov", 0}};
  std::vector<Topic> topics;
  std::string version = "0123456789ab";
  Article article;
  MatchSet matches;

  LinkFixture() {
    article.id = "urn:1";
    article.headline = "Lavrov says";
    article.versioncreated = "2026-11-23T10:30:00Z";
    Match m;
    m.entity = 0;
    m.field = Field::headline;
    m.value = 0;
    m.start = 0;
    m.end = 6;
    matches.matches.push_back(m);
  }
  std::string encode() {
    AlertEncoder enc;
    const RulesView view{lists, entities, version, topics};
    return enc.encode(article, matches, view, Clock::time_point{})->json;
  }
};

std::vector<std::string> link_test_keys(const std::string& line) {
  const json::value v = json::parse(line);
  std::vector<std::string> keys;
  for (const auto& kv : v.as_object()) keys.emplace_back(kv.key());
  return keys;
}

}  // namespace

TEST_CASE("encode: link after versioncreated only when the article has one",
          "[route][encoder][link]") {
  LinkFixture f;
  const std::string without = f.encode();
  CHECK(without.find("\"link\"") == std::string::npos);
  CHECK(link_test_keys(without) ==
        std::vector<std::string>{"id", "article", "headline", "versioncreated", "matches", "tags",
                                 "lists", "rules_version", "received_at", "alerted_at", "urgency",
                                 "event", "previous_alert", "retracts", "story_id", "duplicate_of",
                                 "copies"});

  f.article.link = "https://example.org/a?x=\"1\"&y=\xC3\xA9";
  const std::string with = f.encode();
  CHECK(link_test_keys(with) ==
        std::vector<std::string>{"id", "article", "headline", "versioncreated", "link", "matches",
                                 "tags", "lists", "rules_version", "received_at", "alerted_at",
                                 "urgency", "event", "previous_alert", "retracts", "story_id",
                                 "duplicate_of", "copies"});
  CHECK(json::parse(with).at("link").as_string() == f.article.link);
  CHECK(with.find(R"("link":"https://example.org/a?x=\"1\"&y=)") != std::string::npos);
  // The link is the only difference; the alert id does not depend on it.
  const std::string inserted = R"("link":"https://example.org/a?x=\"1\"&y=)"
                               "\xC3\xA9\",";
  std::string expected = without;
  expected.insert(expected.find("\"matches\""), inserted);
  CHECK(with == expected);
}

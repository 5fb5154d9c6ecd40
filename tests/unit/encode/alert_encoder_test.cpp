// Stage: encode tests. AlertEncoder JSON (escaping, key order, golden line, topic
// hits with their spans merged in reading order), alert_id stability and
// format_time.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/match/watchlist.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

struct Fixture {
  std::vector<ListInfo> lists;
  std::vector<Entity> entities;
  std::vector<Topic> topics;
  std::string version = "0123456789ab";
  Article article;
  MatchSet matches;

  RulesView view() const { return {lists, entities, version, topics}; }

  TopicSpan span(Field field, std::string_view needle) const {
    const std::string& value = field == Field::headline ? article.headline : article.body;
    const auto pos = value.find(needle);
    REQUIRE(pos != std::string::npos);
    TopicSpan s;
    s.field = field;
    s.value = field == Field::headline ? 0 : 1;  // Article text value: main headline or body
    s.start = static_cast<std::uint32_t>(pos);
    s.end = static_cast<std::uint32_t>(pos + needle.size());
    // Folded positions only order the spans here: headline before body.
    s.folded_start = s.start + (field == Field::body ? 1000 : 0);
    s.folded_end = s.end + (field == Field::body ? 1000 : 0);
    return s;
  }

  void add_topic_hit(std::uint32_t topic, std::vector<TopicSpan> spans) {
    TopicHit h;
    h.topic = topic;
    h.span_begin = static_cast<std::uint32_t>(matches.topic_spans.size());
    for (const auto& s : spans) matches.topic_spans.push_back(s);
    h.span_end = static_cast<std::uint32_t>(matches.topic_spans.size());
    matches.topics.push_back(h);
  }

  void add_match(std::uint32_t entity, Field field, std::string_view needle) {
    const std::string& value = field == Field::headline ? article.headline : article.body;
    const auto pos = value.find(needle);
    REQUIRE(pos != std::string::npos);
    Match m;
    m.entity = entity;
    m.field = field;
    m.value = field == Field::headline ? 0 : 1;
    m.start = static_cast<std::uint32_t>(pos);
    m.end = static_cast<std::uint32_t>(pos + needle.size());
    matches.matches.push_back(m);
  }
};

Clock::time_point at(std::int64_t ms) {
  return Clock::time_point(std::chrono::milliseconds(ms));
}

// 2026-11-23T10:30:59.123Z
constexpr std::int64_t kT0 = 1795429859123;

Fixture tricky() {
  Fixture f;
  f.lists = {{"people", "/etc/newshound/people.names", {"politics", "ru"}},
             {"orgs \"intl\"", "/etc/newshound/orgs.names", {"politics", "defence"}},
             {"unused", "", {"zzz"}}};
  f.entities = {{"Sergey \"Serge\" Lavrov\\", 0}, {"NATO", 1}, {"Édouard Philippe", 0}};
  f.article.id = "urn:wire:2026:\"x\"\\1";
  f.article.headline =
      "LAVROV\xE2\x80\x99S \xE2\x80\x9CTALKS\xE2\x80\x9D \\ NATO\t\x01 \xC3\x89"
      "douard";
  f.article.body = "Sergey\n  Lavrov met [said](#) **NATO** envoys \xE2\x80\x94 U.S. officials.";
  f.article.versioncreated = "2026-11-23T10:30:00Z";
  f.article.received_at = at(kT0);
  f.add_match(0, Field::headline, "LAVROV");
  f.add_match(1, Field::headline, "NATO");
  f.add_match(0, Field::body, "Sergey\n  Lavrov");
  f.add_match(1, Field::body, "NATO");
  return f;
}

}  // namespace

TEST_CASE("format_time: RFC 3339 UTC with milliseconds", "[route][encoder]") {
  CHECK(format_time(at(kT0)) == "2026-11-23T10:30:59.123Z");
  CHECK(format_time(at(0)) == "1970-01-01T00:00:00.000Z");
  CHECK(format_time(at(kT0) + std::chrono::microseconds(999)) == "2026-11-23T10:30:59.123Z");
  CHECK(format_time(at(951782400000)) == "2000-02-29T00:00:00.000Z");
}

TEST_CASE("alert_id: stable and sensitive to each input", "[route][encoder]") {
  const std::string id = alert_id("urn:1", "2026-11-23T10:30:00Z", "0123456789ab");
  CHECK(id.size() == 32);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id == alert_id("urn:1", "2026-11-23T10:30:00Z", "0123456789ab"));
  std::set<std::string> ids{id, alert_id("urn:2", "2026-11-23T10:30:00Z", "0123456789ab"),
                            alert_id("urn:1", "2026-11-23T10:31:00Z", "0123456789ab"),
                            alert_id("urn:1", "2026-11-23T10:30:00Z", "0123456789ac"),
                            alert_id("urn:1", "", "0123456789ab"),
                            // parts are length-prefixed: shifting bytes across changes it
                            alert_id("urn:12", "026-11-23T10:30:00Z", "0123456789ab")};
  CHECK(ids.size() == 6);
  // A version, when the article has one, tells two versions with one versioncreated apart.
  CHECK(alert_id("urn:1", "2026-11-23T10:30:00Z", "0123456789ab", "") == id);
  ids.insert(alert_id("urn:1", "2026-11-23T10:30:00Z", "0123456789ab", "2"));
  ids.insert(alert_id("urn:1", "2026-11-23T10:30:00Z", "0123456789ab", "3"));
  CHECK(ids.size() == 8);
}

TEST_CASE("encode: fields, escaping and order survive a parse round trip", "[route][encoder]") {
  Fixture f = tricky();
  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, f.view(), at(kT0 + 1000));
  REQUIRE(alert);
  REQUIRE(!alert->json.empty());
  CHECK(alert->json.back() == '\n');
  CHECK(alert->json.find('\n') == alert->json.size() - 1);  // one line

  const json::value v = json::parse(alert->json);
  const json::object& o = v.as_object();
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  CHECK(keys == std::vector<std::string>{"id", "article", "headline", "versioncreated", "matches",
                                         "tags", "lists", "rules_version", "received_at",
                                         "alerted_at", "urgency", "event", "previous_alert",
                                         "retracts", "story_id", "duplicate_of", "copies"});
  CHECK(o.at("id").as_string() == alert_id(f.article.id, f.article.versioncreated, f.version));
  CHECK(o.at("article").as_string() == f.article.id);
  CHECK(o.at("headline").as_string() == f.article.headline);
  CHECK(o.at("versioncreated").as_string() == "2026-11-23T10:30:00Z");
  CHECK(o.at("rules_version").as_string() == "0123456789ab");
  CHECK(o.at("received_at").as_string() == "2026-11-23T10:30:59.123Z");
  CHECK(o.at("alerted_at").as_string() == "2026-11-23T10:31:00.123Z");
  CHECK(o.at("story_id").is_null());
  CHECK(o.at("tags") == json::array{"defence", "politics", "ru"});
  CHECK(o.at("lists") == json::array{"orgs \"intl\"", "people"});

  const json::array& ms = o.at("matches").as_array();
  REQUIRE(ms.size() == 4);
  CHECK(ms[0].at("list").as_string() == "people");
  CHECK(ms[0].at("entity").as_string() == "Sergey \"Serge\" Lavrov\\");
  CHECK(ms[0].at("text").as_string() == "LAVROV");
  CHECK(ms[0].at("field").as_string() == "headline");
  CHECK(ms[0].at("start").as_int64() == 0);
  CHECK(ms[0].at("end").as_int64() == 6);
  CHECK(ms[2].at("text").as_string() == "Sergey\n  Lavrov");
  CHECK(ms[2].at("field").as_string() == "body");
  CHECK(ms[2].at("snippet").as_string() ==
        "Sergey Lavrov met said NATO envoys \xE2\x80\x94 U.S.\xE2\x80\xA6");  // 6 words
  CHECK(ms[3].at("list").as_string() == "orgs \"intl\"");

  CHECK(alert->id == o.at("id").as_string());
  CHECK(alert->article == f.article.id);
  CHECK(alert->rules_version == f.version);
  CHECK(alert->lists == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("encode: golden line", "[route][encoder]") {
  Fixture f;
  f.lists = {{"people", "p.names", {"ru", "politics"}}};
  f.entities = {{"Sergey Lavrov", 0}};
  f.article.id = "a\"1\\";
  f.article.headline = "\xE2\x80\x9CLavrov\xE2\x80\x9D\x01 says";
  f.article.received_at = at(kT0);
  f.add_match(0, Field::headline, "Lavrov");
  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, f.view(), at(kT0 + 5));
  const std::string id = alert_id("a\"1\\", "", "0123456789ab");
  const std::string golden =
      "{\"id\":\"" + id +
      "\",\"article\":\"a\\\"1\\\\\",\"headline\":\"\xE2\x80\x9CLavrov\xE2\x80\x9D\\u0001 "
      "says\",\"versioncreated\":null,\"matches\":[{\"list\":\"people\",\"entity\":\"Sergey "
      "Lavrov\",\"text\":\"Lavrov\",\"field\":\"headline\",\"start\":3,\"end\":9,\"snippet\":"
      "\"\xE2\x80\x9CLavrov\xE2\x80\x9D says\",\"kind\":\"entity\",\"spans\":[{\"text\":"
      "\"Lavrov\",\"field\":\"headline\",\"start\":3,\"end\":9,\"path\":\"/headline\"}],"
      "\"path\":\"/headline\"}],\"tags\":[\"politics\",\"ru\"],"
      "\"lists\":[\"people\"],\"rules_version\":\"0123456789ab\",\"received_at\":\"2026-11-23T10:"
      "30:59.123Z\",\"alerted_at\":\"2026-11-23T10:30:59.128Z\",\"urgency\":null,\"event\":"
      "\"new\",\"previous_alert\":null,\"retracts\":[],\"story_id\":null,\"duplicate_of\":"
      "null,\"copies\":null}\n";
  CHECK(alert->json == golden);
}

TEST_CASE("encode: invalid UTF-8 and bad indexes still give parseable JSON", "[route][encoder]") {
  Fixture f;
  f.lists = {{"people", "", {}}};
  f.entities = {{"Lavrov", 0}, {"Orphan", 7}};
  f.article.id = "x";
  f.article.headline = "Lavrov \xFF\xFE visits";
  f.article.body = "<p>Lavrov&amp;co</p>";
  f.article.body_format = BodyFormat::html;
  f.add_match(0, Field::headline, "Lavrov");
  f.add_match(1, Field::headline, "visits");  // entity's list out of range: dropped
  f.add_match(0, Field::body, "Lavrov");
  Match wild;  // entity out of range: dropped
  wild.entity = 99;
  f.matches.matches.push_back(wild);
  Match clamp;  // offsets past the field: clamped
  clamp.entity = 0;
  clamp.field = Field::body;
  clamp.value = 1;
  clamp.start = 1000;
  clamp.end = 2000;
  f.matches.matches.push_back(clamp);

  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, f.view(), at(kT0));
  const json::value v = json::parse(alert->json);
  CHECK(v.at("headline").as_string() == "Lavrov \xEF\xBF\xBD\xEF\xBF\xBD visits");
  const json::array& ms = v.at("matches").as_array();
  REQUIRE(ms.size() == 3);
  CHECK(ms[1].at("snippet").as_string() == "Lavrov&co");
  CHECK(ms[2].at("start").as_int64() == static_cast<std::int64_t>(f.article.body.size()));
  CHECK(ms[2].at("text").as_string() == "");
  CHECK(alert->lists == std::vector<std::uint32_t>{0});
}

TEST_CASE("encode: with compiled Rules uses their lists, tags and version", "[route][encoder]") {
  WatchList people;
  people.name = "people";
  people.tags = {"ru", "politics"};
  people.entities.push_back({"Sergey Lavrov", {"Sergey Lavrov", "Lavrov"}, 1, {}});
  WatchList orgs;
  orgs.name = "orgs";
  orgs.tags = {"defence"};
  orgs.entities.push_back({"NATO", {"NATO"}, 1, {}});
  Diagnostics diags;
  const auto rules = Rules::compile({people, orgs}, diags);
  REQUIRE(rules);
  REQUIRE(rules->entities().size() == 2);

  Fixture f;
  f.article.id = "urn:1";
  f.article.headline = "NATO envoys meet Lavrov";
  f.add_match(1, Field::headline, "NATO");
  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, *rules, at(kT0));
  const json::value v = json::parse(alert->json);
  CHECK(v.at("rules_version").as_string() == rules->version());
  CHECK(v.at("lists") == json::array{"orgs"});
  CHECK(v.at("tags") == json::array{"defence"});
  CHECK(v.at("matches").at(0).at("entity").as_string() == "NATO");
  CHECK(alert->lists == std::vector<std::uint32_t>{1});
  CHECK(alert->id == alert_id("urn:1", "", rules->version()));
}

TEST_CASE("encode: topic hits carry kind, topic id, list and spans, in reading order",
          "[route][encoder][topics]") {
  Fixture f;
  f.lists = {{"people", "people.names", {"ru"}, false},
             {"security", "security.topics", {"desk:security", "ru"}, true},
             {"unused", "other.topics", {"zzz"}, true}};
  f.entities = {{"Sergey Lavrov", 0}};
  f.topics.push_back(Topic{"sanctions.eu", 1, 2, "sanction* AND (EU OR \"European Union\")", {}});
  f.topics.push_back(Topic{"nato", 1, 3, "NATO", {}});
  f.article.id = "urn:t:1";
  f.article.versioncreated = "2026-11-23T10:30:00Z";
  f.article.headline = "Lavrov scorns new sanctions";
  f.article.body = "The European Union widened its sanctions, Lavrov said.";
  f.article.received_at = at(kT0);
  f.add_match(0, Field::headline, "Lavrov");
  f.add_match(0, Field::body, "Lavrov");
  f.add_topic_hit(0, {f.span(Field::headline, "sanctions"), f.span(Field::body, "European Union"),
                      f.span(Field::body, "sanctions")});

  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, f.view(), at(kT0));
  const json::value v = json::parse(alert->json);
  // The topic's list and tags join the alert's; ids do not depend on what matched.
  CHECK(v.at("lists") == json::array{"people", "security"});
  CHECK(v.at("tags") == json::array{"desk:security", "ru"});
  CHECK(alert->lists == std::vector<std::uint32_t>{0, 1});
  CHECK(alert->id == alert_id("urn:t:1", "2026-11-23T10:30:00Z", f.version));

  const json::array& ms = v.at("matches").as_array();
  REQUIRE(ms.size() == 3);
  // Reading order: headline Lavrov (0), headline sanctions (topic, 18), body Lavrov.
  CHECK(ms[0].at("kind") == "entity");
  CHECK(ms[0].at("entity") == "Sergey Lavrov");
  CHECK(ms[0].at("spans") ==
        json::parse(
            R"([{"text":"Lavrov","field":"headline","path":"/headline","start":0,"end":6}])"));
  const json::object& t = ms[1].as_object();
  std::vector<std::string> keys;
  for (const auto& kv : t) keys.emplace_back(kv.key());
  CHECK(keys == std::vector<std::string>{"list", "entity", "text", "field", "start", "end",
                                         "snippet", "kind", "spans", "path"});
  CHECK(t.at("kind") == "topic");
  CHECK(t.at("list") == "security");
  CHECK(t.at("entity") == "sanctions.eu");
  // The first span stands for the hit, so consumers of entity matches keep working.
  CHECK(t.at("text") == "sanctions");
  CHECK(t.at("field") == "headline");
  CHECK(t.at("start").as_int64() == 18);
  CHECK(t.at("end").as_int64() == 27);
  CHECK(t.at("snippet") == "Lavrov scorns new sanctions");
  CHECK(t.at("spans") == json::parse(R"([
    {"text":"sanctions","field":"headline","path":"/headline","start":18,"end":27},
    {"text":"European Union","field":"body","path":"/body_text","start":4,"end":18},
    {"text":"sanctions","field":"body","path":"/body_text","start":31,"end":40}])"));
  CHECK(ms[2].at("kind") == "entity");
  CHECK(ms[2].at("field") == "body");
}

TEST_CASE("encode: a topic-only alert, and untrusted topic hits are left out",
          "[route][encoder][topics]") {
  Fixture f;
  f.lists = {{"security", "security.topics", {}, true}};
  f.topics.push_back(Topic{"nato", 0, 1, "NATO", {}});
  f.topics.push_back(Topic{"orphan", 5, 2, "x", {}});  // list out of range
  f.article.id = "urn:t:2";
  f.article.headline = "NATO meets";
  f.add_topic_hit(0, {f.span(Field::headline, "NATO")});
  f.add_topic_hit(1, {f.span(Field::headline, "meets")});
  f.add_topic_hit(9, {f.span(Field::headline, "meets")});  // topic out of range
  TopicHit empty;                                          // no spans
  f.matches.topics.push_back(empty);
  TopicHit past;  // spans past the end
  past.span_begin = 0;
  past.span_end = 50;
  f.matches.topics.push_back(past);
  REQUIRE_FALSE(f.matches.empty());

  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, f.view(), at(kT0));
  const json::value v = json::parse(alert->json);
  const json::array& ms = v.at("matches").as_array();
  REQUIRE(ms.size() == 1);
  CHECK(ms[0].at("entity") == "nato");
  CHECK(ms[0].at("kind") == "topic");
  CHECK(ms[0].at("spans").as_array().size() == 1);
  CHECK(v.at("lists") == json::array{"security"});
  CHECK(v.at("tags").as_array().empty());
}

TEST_CASE("encode: max_alert_bytes cuts matches in reading order and counts them",
          "[route][encoder][bounds]") {
  // One entity named 5,000 times: unbounded, about 1.35 MB of alert.
  Fixture f;
  f.lists = {{"people", "p.names", {}}, {"late", "l.names", {"late-tag"}}};
  f.entities = {{"Lavrov", 0}, {"Zelensky", 1}};
  f.article.id = "big";
  f.article.headline = "Lavrov";
  for (int i = 0; i < 5000; ++i) f.article.body += "Lavrov ";
  f.article.body += "Zelensky";
  f.article.received_at = at(kT0);
  f.add_match(0, Field::headline, "Lavrov");
  for (std::uint32_t i = 0; i < 5000; ++i) {
    Match m;
    m.entity = 0;
    m.field = Field::body;
    m.value = 1;
    m.start = i * 7;
    m.end = m.start + 6;
    f.matches.matches.push_back(m);
  }
  f.add_match(1, Field::body, "Zelensky");
  AlertEncoder enc;

  AlertLimits unbounded;
  unbounded.max_matches = 1000000;
  unbounded.max_bytes = std::size_t{1} << 30;
  const auto whole = enc.encode(f.article, f.matches, f.view(), at(kT0), unbounded);
  CHECK(whole->json.size() > (std::size_t{1} << 20));
  CHECK(whole->truncated == 0);
  CHECK(whole->json.find("\"truncated\"") == std::string::npos);

  AlertLimits limits;  // the defaults: 1000 matches, 1 MiB
  limits.max_bytes = 64 * 1024;
  const auto cut = enc.encode(f.article, f.matches, f.view(), at(kT0), limits);
  CHECK(cut->json.size() <= 64 * 1024);
  CHECK(cut->json.size() > 60 * 1024);  // filled, not emptied
  const json::value v = json::parse(cut->json);
  const auto kept = v.at("matches").as_array().size();
  CHECK(kept > 100);
  CHECK(kept < 1000);
  CHECK(v.at("truncated").to_number<std::uint64_t>() == 5002 - kept);
  CHECK(cut->truncated == 5002 - kept);
  // The first matches in reading order; Zelensky (last) is gone, so is its list.
  CHECK(v.at("matches").as_array()[0].at("field") == "headline");
  CHECK(v.at("lists") == json::array{"people"});
  CHECK(v.at("tags") == json::array{});
  CHECK(cut->lists == std::vector<std::uint32_t>{0});
  // "truncated" sits after "matches", before "tags".
  CHECK(cut->json.find("],\"truncated\":") != std::string::npos);
  CHECK(cut->json.find(",\"tags\":") > cut->json.find("\"truncated\""));

  // max_matches reached first.
  const auto counted = enc.encode(f.article, f.matches, f.view(), at(kT0), AlertLimits{});
  CHECK(json::parse(counted->json).at("matches").as_array().size() == 1000);
  CHECK(counted->truncated == 4002);
  CHECK(counted->json.size() <= AlertLimits{}.max_bytes);

  // A tiny bound still keeps the first match: an alert is never empty.
  limits.max_bytes = 1;
  const auto one = enc.encode(f.article, f.matches, f.view(), at(kT0), limits);
  CHECK(json::parse(one->json).at("matches").as_array().size() == 1);
  CHECK(one->truncated == 5001);
}

TEST_CASE("encode: within the bounds the bytes are what whole-object serialization gives",
          "[route][encoder][bounds]") {
  Fixture f = tricky();
  AlertEncoder enc;
  const auto alert = enc.encode(f.article, f.matches, f.view(), at(kT0 + 1));
  // Re-serializing the parsed alert gives the same bytes: one object, compact.
  CHECK(json::serialize(json::parse(alert->json)) + "\n" == alert->json);
  CHECK(alert->truncated == 0);
}

TEST_CASE("encode: snippets = false leaves out exactly each match's snippet, unrendered",
          "[route][encoder][bounds]") {
  Fixture f = tricky();
  AlertEncoder enc;
  const auto with = enc.encode(f.article, f.matches, f.view(), at(kT0));
  AlertLimits limits;
  limits.snippets = false;
  enc.reset_stats();
  const auto without = enc.encode(f.article, f.matches, f.view(), at(kT0), limits);
  CHECK(enc.snippet_stats().snippets == 0);  // the work is saved, not only the bytes
  CHECK(enc.snippet_stats().renders == 0);
  CHECK(without->json.find("\"snippet\"") == std::string::npos);
  // The same alert, byte for byte, once the snippets are removed from the other.
  json::value v = json::parse(with->json);
  std::size_t removed = 0;
  for (auto& m : v.at("matches").as_array()) removed += m.as_object().stable_erase("snippet");
  CHECK(removed == f.matches.matches.size() + f.matches.topics.size());
  CHECK(json::serialize(v) + "\n" == without->json);
  CHECK(without->id == with->id);
  CHECK(without->listed == with->listed);
  CHECK(without->lists == with->lists);
}

// Stage: encode tests. Drift guard for docs/alerts.md: extracts the JSON Schema (the
// one ```json block) and the example alert from the page, and checks real alerts
// (watch-lists parsed and compiled, articles folded and matched with Hyperscan,
// encoded by AlertEncoder, entity matches and topic hits) against it with a small
// validator (schema_check.hpp): property names, required, JSON types, patterns, enums,
// bounds, property order.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/encode/alert_story.hpp"
#include "newshound/match/matcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/topic_file.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "unit/encode/schema_check.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

const std::string kDoc = std::string(NEWSHOUND_SOURCE_DIR) + "/docs/alerts.md";

std::vector<std::string> doc_lines() {
  return schema_check::doc_lines(kDoc);
}

std::string fenced_body(const std::vector<std::string>& lines, std::size_t open) {
  return schema_check::fenced_body(lines, open, kDoc);
}

/// The JSON Schema: the one and only ```json block of the page.
json::value doc_schema() {
  const auto lines = doc_lines();
  std::vector<std::size_t> opens;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "```json") opens.push_back(i);
  }
  REQUIRE(opens.size() == 1);
  return json::parse(fenced_body(lines, opens[0]));
}

/// The example alert: the fenced block right after the "<!-- example-alert" marker.
json::value doc_example() {
  const auto lines = doc_lines();
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind("<!-- example-alert", 0) == 0) {
      REQUIRE(lines[i + 1].rfind("```", 0) == 0);
      return json::parse(fenced_body(lines, i + 1));
    }
  }
  FAIL("no <!-- example-alert --> marker in " << kDoc);
  return {};
}

// --- real alerts -------------------------------------------------------------

WatchList list(const std::string& name, std::vector<std::string> tags, const std::string& names) {
  WatchList wl;
  wl.name = name;
  wl.path = name + ".names";
  wl.tags = std::move(tags);
  Diagnostics diags;
  parse_names(names, wl.path, wl, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  return wl;
}

TopicFile topics(const std::string& name, std::vector<std::string> tags, const std::string& text) {
  TopicFile tf;
  tf.name = name;
  tf.path = name + ".topics";
  tf.tags = std::move(tags);
  Diagnostics diags;
  parse_topics(text, tf.path, tf, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  return tf;
}

std::shared_ptr<const Rules> fixture_rules() {
  Diagnostics diags;
  auto rules =
      Rules::compile({list("people", {"politics", "ru"},
                           "# people\n"
                           "Sergei Lavrov|Sergey Lavrov|Lavrov\n"
                           "Antony Blinken|Blinken\n"
                           "\xC3\x89\x64ouard Philippe\n"
                           "Volodymyr Zelensky|Zelensky\n"),
                      list("orgs", {"defence", "politics"}, "NATO|North Atlantic Alliance\n"),
                      list("places", {}, "United States|U.S.|US\nGeneva|Gen\xC3\xA8ve\nKyiv\n")},
                     {topics("desk", {"desk:security"},
                             "talks: (Lavrov OR @people/Antony Blinken) AND NATO AND NOT sport*\n"
                             "aid: headline:(aid) AND (US OR Kyiv)\n")},
                     diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(rules);
  return rules;
}

Article article(std::string id, std::string headline, std::string body, BodyFormat format,
                std::string versioncreated) {
  Article a;
  a.id = std::move(id);
  a.headline = std::move(headline);
  a.body = std::move(body);
  a.body_format = format;
  a.versioncreated = std::move(versioncreated);
  a.received_at = Clock::time_point(std::chrono::milliseconds(1795429859123));
  return a;
}

Article linked(Article a, std::string link) {
  a.link = std::move(link);
  return a;
}

std::vector<Article> fixture_articles() {
  return {
      article("urn:test:wire:1", "LAVROV\xE2\x80\x99S ENVOY MEETS NATO CHIEFS",
              "MOSCOW \xE2\x80\x94 Sergey\n   Lavrov [said](#) on Tuesday that **NATO** and\n"
              "the U.S. had \xE2\x80\x9Cno plan\xE2\x80\x9D; Blinken\xE2\x80\x99s aides disagreed.",
              BodyFormat::text, "2026-11-24T08:15:00Z"),
      article("urn:test:wire:2", "Philippe in Geneva",
              "<p>L&rsquo;ancien Premier ministre <b>&Eacute;douard Philippe</b> "
              "a vu Volodymyr&nbsp;Zelensky &agrave; Gen&egrave;ve.</p>",
              BodyFormat::html, ""),
      linked(article("urn:test:\"quoted\"\\id", "KYIV: US AID ARRIVES", "", BodyFormat::text,
                     "2026-11-24T09:00:00+01:00"),
             "https://example.org/kyiv?aid=\"us\""),
  };
}

/// Folds, matches and encodes each fixture article; every one must match.
std::vector<json::value> real_alerts() {
  const auto rules = fixture_rules();
  Normalizer normalizer;
  NormalizedArticle folded;
  HyperscanMatcher matcher(rules);
  AlertEncoder encoder;
  std::vector<json::value> alerts;
  for (const Article& a : fixture_articles()) {
    MatchSet ms;
    normalizer.normalize(a, folded);
    REQUIRE(matcher.match(a, folded, ms));
    REQUIRE_FALSE(ms.empty());
    const auto alert = encoder.encode(a, ms, *rules, a.received_at + std::chrono::milliseconds(7));
    REQUIRE(alert);
    alerts.push_back(json::parse(alert->json));
  }
  return alerts;
}

json::object& first_match(json::value& alert) {
  return alert.at("matches").as_array().at(0).as_object();
}

}  // namespace

TEST_CASE("docs/alerts.md holds one strict draft 2020-12 schema", "[route][schema]") {
  const json::value schema = doc_schema();
  CHECK(schema.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema.at("type") == "object");
  const json::value items = schema.at("properties").at("matches").at("items");
  const json::value spans = items.at("properties").at("spans").at("items");
  for (const json::value* s : {&schema, &items, &spans}) {
    CHECK(s->at("additionalProperties") == json::value(false));
    // Every field is always present but `truncated` (only in a cut alert), `link`
    // (only for an article with one) and a match's `snippet` (not for an output with
    // snippets = false): required lists
    // all the other properties, in order.
    json::array names;
    for (const auto& p : s->at("properties").as_object())
      if (p.key() != "truncated" && p.key() != "snippet" && p.key() != "link")
        names.emplace_back(p.key());
    CHECK(s->at("required") == names);
  }
  CHECK(schema.at("properties").as_object().contains("truncated"));
  CHECK(schema.at("properties").as_object().contains("link"));
  CHECK(items.at("properties").as_object().contains("snippet"));
}

TEST_CASE("real alerts validate against the schema in docs/alerts.md", "[route][schema]") {
  const json::value schema = doc_schema();
  const auto alerts = real_alerts();
  REQUIRE(alerts.size() == 3);
  for (const auto& alert : alerts) {
    INFO(json::serialize(alert));
    CHECK(schema_check::validate(schema, alert) == std::vector<std::string>{});
  }
  // The alerts exercise both branches of the nullable field and the HTML surface form.
  CHECK(alerts[0].at("versioncreated").is_string());
  CHECK(alerts[1].at("versioncreated").is_null());
  // An article with a link carries it (in the schema's order), the others none.
  CHECK(alerts[2].at("link") == "https://example.org/kyiv?aid=\"us\"");
  CHECK_FALSE(alerts[0].as_object().contains("link"));
  const json::array& html = alerts[1].at("matches").as_array();
  bool surface = false;
  for (const auto& m : html) surface = surface || m.at("text") == "&Eacute;douard Philippe";
  CHECK(surface);
  // Topic hits: article 1 holds "talks" (three spans), article 3 "aid"; article 2
  // none. Each alert has entity matches too.
  std::vector<std::set<std::string>> kinds(alerts.size());
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    for (const auto& m : alerts[i].at("matches").as_array())
      kinds[i].insert(std::string(m.at("kind").as_string()));
  }
  CHECK(kinds[0] == std::set<std::string>{"entity", "topic"});
  CHECK(kinds[1] == std::set<std::string>{"entity"});
  CHECK(kinds[2] == std::set<std::string>{"entity", "topic"});
  CHECK(alerts[2].at("tags") == json::array{"desk:security"});  // places has no tags
}

TEST_CASE("a truncated alert validates against the schema in docs/alerts.md", "[route][schema]") {
  const json::value schema = doc_schema();
  const auto rules = fixture_rules();
  const Article a = fixture_articles().at(0);
  Normalizer normalizer;
  NormalizedArticle folded;
  normalizer.normalize(a, folded);
  HyperscanMatcher matcher(rules);
  MatchSet ms;
  REQUIRE(matcher.match(a, folded, ms));
  const std::size_t all = ms.matches.size() + ms.topics.size();
  REQUIRE(all > 2);
  AlertEncoder encoder;
  AlertLimits limits;
  limits.max_matches = 2;
  const auto alert = encoder.encode(a, ms, *rules, a.received_at, limits);
  const json::value v = json::parse(alert->json);
  INFO(alert->json);
  CHECK(schema_check::validate(schema, v) == std::vector<std::string>{});
  CHECK(v.at("matches").as_array().size() == 2);
  CHECK(v.at("truncated") == json::value(all - 2));
  CHECK(alert->truncated == all - 2);
  // Not cut: no field at all (a 0 would fail the schema's minimum).
  const auto whole = encoder.encode(a, ms, *rules, a.received_at);
  CHECK_FALSE(json::parse(whole->json).as_object().contains("truncated"));
}

TEST_CASE("an alert without snippets validates against the schema in docs/alerts.md",
          "[route][schema]") {
  const json::value schema = doc_schema();
  const auto rules = fixture_rules();
  Normalizer normalizer;
  NormalizedArticle folded;
  HyperscanMatcher matcher(rules);
  AlertEncoder encoder;
  AlertLimits limits;
  limits.snippets = false;
  for (const Article& a : fixture_articles()) {
    MatchSet ms;
    normalizer.normalize(a, folded);
    REQUIRE(matcher.match(a, folded, ms));
    const auto alert = encoder.encode(a, ms, *rules, a.received_at, limits);
    const json::value v = json::parse(alert->json);
    INFO(alert->json);
    CHECK(schema_check::validate(schema, v) == std::vector<std::string>{});
    for (const auto& m : v.at("matches").as_array()) CHECK_FALSE(m.as_object().contains("snippet"));
  }
}

TEST_CASE("the example alert in docs/alerts.md validates against its schema", "[route][schema]") {
  const json::value example = doc_example();
  CHECK(schema_check::validate(doc_schema(), example) == std::vector<std::string>{});
}

TEST_CASE("alerts with their story filled in validate against the schema", "[route][schema]") {
  const json::value schema = doc_schema();
  json::value first = real_alerts().at(0);
  first.as_object()["story_id"] = "0123456789abcdef";
  first.as_object()["copies"] = 1;
  CHECK(schema_check::validate(schema, first) == std::vector<std::string>{});
  json::value copy = first;
  copy.as_object()["duplicate_of"] = "urn:first";
  copy.as_object()["copies"] = 3;
  CHECK(schema_check::validate(schema, copy) == std::vector<std::string>{});
  auto story_drifted = [&](auto&& mutate) {
    json::value v = copy;
    mutate(v);
    return schema_check::validate(schema, v);
  };
  CHECK_FALSE(story_drifted([](json::value& v) { v.as_object()["story_id"] = "XYZ"; }).empty());
  CHECK_FALSE(story_drifted([](json::value& v) { v.as_object()["copies"] = 0; }).empty());
  CHECK_FALSE(story_drifted([](json::value& v) { v.as_object()["copies"] = "2"; }).empty());
  CHECK_FALSE(story_drifted([](json::value& v) { v.as_object()["duplicate_of"] = ""; }).empty());
  CHECK_FALSE(story_drifted([](json::value& v) { v.as_object().erase("copies"); }).empty());
  CHECK_FALSE(story_drifted([](json::value& v) { v.as_object().erase("duplicate_of"); }).empty());
}

TEST_CASE("the validator catches an alert that drifts from the schema", "[route][schema]") {
  const json::value schema = doc_schema();
  const json::value good = real_alerts().at(0);
  REQUIRE(schema_check::validate(schema, good).empty());

  auto drifted = [&](auto&& mutate) {
    json::value v = good;
    mutate(v);
    return schema_check::validate(schema, v);
  };
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["extra"] = 1; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object().erase("story_id"); }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["versioncreated"] = 5; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["id"] = "ABC"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["link"] = 5; }).empty());
  CHECK_FALSE(
      drifted([](json::value& v) { v.as_object()["rules_version"] = "0123456789abc"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["alerted_at"] = "yesterday"; }).empty());
  // (An empty `matches` is a retraction's, so the schema allows it.)
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["matches"] = json::object(); }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["event"] = "kill"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object().erase("retracts"); }).empty());
  CHECK_FALSE(drifted([](json::value& v) {
                v.as_object()["retracts"] = json::array{json::value("not-an-id")};
              }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["urgency"] = 0; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { v.as_object()["previous_alert"] = "x"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v)["start"] = "0"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v)["field"] = "byline"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v)["score"] = 1.0; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v)["snippet"] = 5; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v).erase("text"); }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v)["kind"] = "person"; }).empty());
  CHECK_FALSE(drifted([](json::value& v) { first_match(v)["spans"] = json::array(); }).empty());
  CHECK_FALSE(drifted([](json::value& v) {
                first_match(v)["spans"].as_array()[0].as_object().erase("text");
              }).empty());
  CHECK_FALSE(drifted([](json::value& v) {
                json::object& o = v.as_object();
                const json::value id = o.at("id");
                o.erase("id");
                o["id"] = id;  // same fields, id moved to the end
              }).empty());
}

TEST_CASE("update and retraction alerts validate against the schema in docs/alerts.md",
          "[route][schema][stories]") {
  const json::value schema = doc_schema();
  const std::vector<std::string> ids{"00112233445566778899aabbccddeeff"};
  RetractionSource src;
  src.article_id = "urn:test:wire:1";
  src.version = "2";
  src.headline = "KILL";
  src.versioncreated = "2026-11-24T08:15:00Z";
  src.rules_version = "0123456789ab";
  src.urgency = 2;
  for (const AlertStory& story : {AlertStory{}, AlertStory{"5d0c1f3a9e7b2264", "urn:x", 2}}) {
    const auto r = retraction_alert(src, ids, story, {});
    INFO(r->json);
    CHECK(schema_check::validate(schema, json::parse(r->json)) == std::vector<std::string>{});
  }
  // An update of a real alert.
  const auto rules = fixture_rules();
  const Article a = fixture_articles()[0];
  Normalizer normalizer;
  NormalizedArticle folded;
  HyperscanMatcher matcher(rules);
  MatchSet ms;
  normalizer.normalize(a, folded);
  REQUIRE(matcher.match(a, folded, ms));
  AlertEncoder encoder;
  auto alert = std::const_pointer_cast<Alert>(encoder.encode(a, ms, *rules, a.received_at));
  AlertStory story{"5d0c1f3a9e7b2264", "", 1};
  story.event = "update";
  story.previous_alert = ids[0];
  std::string scratch;
  set_alert_story(*alert, story, scratch);
  INFO(alert->json);
  CHECK(schema_check::validate(schema, json::parse(alert->json)) == std::vector<std::string>{});
}

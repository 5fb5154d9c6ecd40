// Stage: encode tests. Drift guard for the digest schema of docs/alerts.md (the
// fenced block after "<!-- digest-schema -->"): real digests, whose items are read
// back from the page's example alert and from alerts with their story filled in,
// validate against it, property order included; a digest stays within its bytes
// and counts what it left out.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "newshound/encode/digest_encoder.hpp"
#include "unit/encode/schema_check.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

const std::string kDigestDoc = std::string(NEWSHOUND_SOURCE_DIR) + "/docs/alerts.md";

json::value digest_doc_block(const std::string& marker) {
  const auto lines = schema_check::doc_lines(kDigestDoc);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    if (lines[i].rfind(marker, 0) == 0) {
      REQUIRE(lines[i + 1].rfind("```", 0) == 0);
      return json::parse(schema_check::fenced_body(lines, i + 1, kDigestDoc));
    }
  FAIL("no " << marker << " marker in " << kDigestDoc);
  return {};
}

// The page's example alert with its story members as the story stage writes them.
Alert digest_doc_alert(const std::string& article, const char* duplicate_of) {
  json::object o = digest_doc_block("<!-- example-alert").as_object();
  o["article"] = article;
  o["story_id"] = "0123456789abcdef";
  o["duplicate_of"] = duplicate_of ? json::value(duplicate_of) : json::value(nullptr);
  o["copies"] = duplicate_of ? 2 : 1;
  Alert a;
  a.json = json::serialize(o) + "\n";
  return a;
}

}  // namespace

TEST_CASE("real digests validate against the digest schema in docs/alerts.md", "[schema]") {
  const json::value schema = digest_doc_block("<!-- digest-schema");
  CHECK(schema.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  std::vector<std::string> items;
  const DigestItem first = encode_digest_item(digest_doc_alert("first", nullptr));
  CHECK(first.story_id == "0123456789abcdef");
  items.push_back(first.json);
  items.push_back(encode_digest_item(digest_doc_alert("copy", "first")).json);
  DigestHeader h;
  h.output = "desk";
  h.reason = "story";
  h.story_id = first.story_id;
  h.opened_at = Clock::now();
  h.closed_at = h.opened_at + std::chrono::minutes(10);
  h.copies = 2;
  const auto story = encode_digest(h, items, 0, 1 << 20);
  REQUIRE(story->json.back() == '\n');
  const json::value v = json::parse(story->json);
  CHECK(schema_check::validate(schema, v) == std::vector<std::string>{});
  CHECK(v.at("items").as_array().size() == 2);
  CHECK(v.at("items").at(1).at("duplicate_of") == "first");
  CHECK(v.at("id").as_string() == story->id);

  DigestHeader t = h;
  t.reason = "throttle";
  t.story_id = {};
  t.list = "people";
  t.copies = 7;
  const auto throttle = encode_digest(t, items, 5, 1 << 20);
  const json::value tv = json::parse(throttle->json);
  CHECK(schema_check::validate(schema, tv) == std::vector<std::string>{});
  CHECK(tv.at("story_id").is_null());
  CHECK(tv.at("left_out") == 5);
  CHECK(throttle->id != story->id);
}

TEST_CASE("a digest stays within its bytes and counts the items it leaves out", "[schema]") {
  const json::value schema = digest_doc_block("<!-- digest-schema");
  const std::string item = encode_digest_item(digest_doc_alert("a", nullptr)).json;
  REQUIRE(!item.empty());
  const std::vector<std::string> items(10, item);
  DigestHeader h;
  h.output = "desk";
  h.reason = "story";
  h.copies = 12;
  const std::size_t max = 600 + 3 * (item.size() + 1);
  const auto d = encode_digest(h, items, 2, max);
  CHECK(d->json.size() <= max);
  const json::value v = json::parse(d->json);
  CHECK(schema_check::validate(schema, v) == std::vector<std::string>{});
  const auto listed = v.at("items").as_array().size();
  CHECK(listed >= 3);
  CHECK(listed < 10);
  CHECK(v.at("left_out").as_int64() == static_cast<std::int64_t>(12 - listed));
  // Too small for any item: none listed, all counted, still one valid line.
  const auto none = encode_digest(h, items, 2, 300);
  const json::value nv = json::parse(none->json);
  CHECK(nv.at("items").as_array().empty());
  CHECK(nv.at("left_out") == 12);
}

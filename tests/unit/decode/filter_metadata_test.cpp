// Stage: decode (tests). The metadata the topic filters read (source:, subject:,
// type:, located:): ninjs `provider` / `copyrightholder` (a string or an object's
// `name`) and `subject` / `subjects`, NewsML-G2 `provider` and
// `rightsInfo/copyrightHolder`, and the [input.fields] pointers for other shapes.
// Malformed metadata is skipped, never a refusal.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/decode/decoder.hpp"
#include "newsml_file.hpp"

using namespace newshound;

namespace {

Article filter_meta_decode(std::string_view line, FieldMap map = {}) {
  Decoder d(std::move(map));
  Article a;
  REQUIRE(d.decode(line, a) == DecodeError::ok);
  return a;
}

}  // namespace

TEST_CASE("ninjs provider and copyrightholder: a string or an object's name", "[decode][filters]") {
  Article a = filter_meta_decode(
      R"({"uri":"u","headline":"h","provider":"Reuters","copyrightholder":"Thomson Reuters"})");
  CHECK(a.provider == "Reuters");
  CHECK(a.copyrightholder == "Thomson Reuters");
  a = filter_meta_decode(
      R"({"uri":"u","headline":"h","provider":{"name":"AFP","uri":"x"},"copyrightholder":{"x":1}})");
  CHECK(a.provider == "AFP");
  CHECK(a.copyrightholder.empty());
  // Other shapes are skipped, and the article still decodes.
  a = filter_meta_decode(R"({"uri":"u","headline":"h","provider":7,"copyrightholder":[1]})");
  CHECK(a.provider.empty());
  CHECK(a.copyrightholder.empty());
}

TEST_CASE("ninjs subject and subjects: code (or uri) and name", "[decode][filters]") {
  Article a = filter_meta_decode(
      R"({"uri":"u","headline":"h","subject":[{"code":"medtop:20000106","name":"economy"},)"
      R"({"name":"sport"},{"uri":"http://cv.iptc.org/newscodes/mediatopic/15000000"},)"
      R"(7,{"rel":"about"}]})");
  REQUIRE(a.subjects.size() == 3);
  CHECK(a.subject(0).code == "medtop:20000106");
  CHECK(a.subject(0).name == "economy");
  CHECK(a.subject(1).code.empty());
  CHECK(a.subject(1).name == "sport");
  CHECK(a.subject(2).code == "http://cv.iptc.org/newscodes/mediatopic/15000000");
  a = filter_meta_decode(R"({"uri":"u","headline":"h","subjects":[{"uri":"a","name":"b"}]})");
  REQUIRE(a.subjects.size() == 1);
  CHECK(a.subject(0).code == "a");
  // A decoder reused for a line without subjects keeps none of the last line's.
  Decoder d;
  Article b;
  REQUIRE(d.decode(R"({"uri":"u","headline":"h","subjects":[{"code":"x"}]})", b) ==
          DecodeError::ok);
  REQUIRE(b.subjects.size() == 1);
  REQUIRE(d.decode(R"({"uri":"u","headline":"h","subjects":"x"})", b) == DecodeError::ok);
  CHECK(b.subjects.empty());
}

TEST_CASE("[input.fields] maps source, subject, type and located", "[decode][filters]") {
  FieldMap map;
  map.ninjs = false;
  map.headline = {"/title"};
  map.source = "/publisher/name";
  map.subject = "/category";
  map.type = "/kind";
  map.located = "/where";
  const Article a = filter_meta_decode(
      R"({"title":"t","publisher":{"name":"Agence"},"category":"medtop:1","kind":"text",)"
      R"("where":"Geneva"})",
      map);
  CHECK(a.provider == "Agence");
  REQUIRE(a.subjects.size() == 1);
  CHECK(a.subject(0).code == "medtop:1");
  CHECK(a.type == "text");
  CHECK(a.located == "Geneva");
}

TEST_CASE("newsml provider and copyrightHolder", "[decode][filters]") {
  Article a = filter_meta_decode(test::newsml_file("full_item.xml"));
  CHECK(a.provider == "newshound-test");  // the literal: the fixture's provider has no name
  const std::string item =
      R"(<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g">)"
      R"(<rightsInfo><copyrightHolder uri="http://x"><name>Thomson Reuters</name>)"
      R"(</copyrightHolder></rightsInfo><itemMeta><provider qcode="nprov:REUTERS">)"
      R"(<name>Reuters</name></provider></itemMeta>)"
      R"(<contentMeta><headline>h</headline></contentMeta></newsItem>)";
  a = filter_meta_decode(item);
  CHECK(a.provider == "Reuters");
  CHECK(a.copyrightholder == "Thomson Reuters");
}

TEST_CASE("Article::urgency from ninjs urgency and the [input.fields] pointer",
          "[decode][filters]") {
  CHECK(filter_meta_decode(R"({"uri":"u","headline":"h","urgency":3})").urgency == 3);
  CHECK(filter_meta_decode(R"({"uri":"u","headline":"h","urgency":"1"})").urgency == 1);
  for (const char* bad : {"0", "10", "2.5", "\"high\"", "null", "[3]", "{\"v\":3}", "-1"}) {
    CAPTURE(bad);
    const std::string line = R"({"uri":"u","headline":"h","urgency":)" + std::string(bad) + "}";
    CHECK(filter_meta_decode(line).urgency == 0);
  }
  FieldMap map;
  map.ninjs = false;
  map.headline = {"/title"};
  map.urgency = "/meta/priority";
  CHECK(filter_meta_decode(R"({"title":"t","meta":{"priority":4}})", map).urgency == 4);
  CHECK(filter_meta_decode(R"({"title":"t","meta":{"priority":"9"}})", map).urgency == 9);
  CHECK(filter_meta_decode(R"({"title":"t","meta":{"priority":12}})", map).urgency == 0);
}

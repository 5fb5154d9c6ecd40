// Stage: decode (tests). NewsML-G2 onto the Article: every mapped element of the
// fixtures (tests/fixtures/newsml/), the main headline by role, XHTML and text
// bodies, entities and CDATA, prefixed names, the paths of the text values.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/decode/decoder.hpp"
#include "newshound/decode/newsml.hpp"
#include "newsml_file.hpp"

using namespace newshound;
using newshound::test::newsml_file;

namespace {

std::string pointer(const Article& a, const TextPath& p) {
  std::string out;
  a.append_pointer(p, out);
  return out;
}

}  // namespace

TEST_CASE("newsml: every mapped element of a newsItem", "[decode][newsml]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(newsml_file("full_item.xml"), a) == DecodeError::ok);
  CHECK(a.id == "urn:newshound:test:newsml:full");
  CHECK_FALSE(a.id_from_hash);
  CHECK(a.version == "3");
  CHECK(a.type == "text");
  CHECK(a.versioncreated == "2026-03-14T09:26:53Z");
  CHECK(a.embargoed == "2026-03-14T12:00:00Z");
  CHECK(a.pubstatus == PubStatus::usable);
  CHECK(a.urgency == 3);
  CHECK(a.located == "Northport");
  CHECK(a.byline == "Marguerite Okonkwo-Lindqvist");  // `by` wins over the creator
  CHECK(a.language == "en-GB");
  CHECK(a.slugline == "FERRY-TERMINAL/NORTHPORT");
  REQUIRE(a.subjects.size() == 2);
  CHECK(a.subject(0).code == "medtop:20000349");
  CHECK(a.subject(0).name == "ferry transport");
  CHECK(a.subject(1).code == "medtop:04000000");
  CHECK(a.subject(1).name.empty());

  // The headline with role "main" is the main one although it comes second.
  CHECK(a.headline == "Northport opens its third ferry terminal on the east quay");
  CHECK(a.headline_format == BodyFormat::text);
  CHECK(pointer(a, a.headline_path) == "/newsItem/contentMeta/headline[2]");
  // inlineXML: the children of the XHTML <body>, re-serialized; the <head> is left out.
  CHECK(a.body ==
        "<p>The harbour board of Northport approved the terminal on Tuesday.</p>"
        "<p>Captain Ilse Varga will run the first crossing.</p>");
  CHECK(a.body_format == BodyFormat::html);
  CHECK(pointer(a, a.body_path) == "/newsItem/contentSet/inlineXML[1]");

  // Then the other headline, the other body (inlineData), the descriptions.
  REQUIRE(a.text_count() == 6);
  CHECK(a.text(2).field == Field::headline);
  CHECK(a.text(2).text == "Harbour board votes eleven to two after a long night");
  CHECK(pointer(a, *a.text(2).path) == "/newsItem/contentMeta/headline[1]");
  CHECK(a.text(3).field == Field::body);
  CHECK(a.text(3).format == BodyFormat::text);
  CHECK(a.text(3).text == "Plain rendition: the harbour board approved the terminal.");
  CHECK(pointer(a, *a.text(3).path) == "/newsItem/contentSet/inlineData[1]");
  CHECK(a.text(4).field == Field::description);
  CHECK(a.text(4).text == "The terminal doubles crossings to the outer islands.");
  CHECK(pointer(a, *a.text(4).path) == "/newsItem/contentMeta/description[1]");
  CHECK(a.text(5).text == "Cranes over the east quay at dawn.");
  CHECK(pointer(a, *a.text(5).path) == "/newsItem/contentMeta/description[2]");
}

TEST_CASE("newsml: entities, character references and CDATA", "[decode][newsml]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(newsml_file("entities_cdata.xml"), a) == DecodeError::ok);
  CHECK(a.headline == "Smith & Sons win the caf\u00e9 contract in Z\u00fcrich");
  // Markup kept, character data escaped again as HTML, CDATA turned into text.
  CHECK(a.body ==
        "<p xmlns=\"http://www.w3.org/1999/xhtml\">Prices rose &lt;5% at <b>Smith &amp; "
        "Sons</b> in Z\u00fcrich.</p><p xmlns=\"http://www.w3.org/1999/xhtml\">Raw "
        "&lt;text&gt; &amp; more from Ren\u00e9e Dubois.</p>");
  CHECK(a.body_format == BodyFormat::html);
}

TEST_CASE("newsml: a withheld item without guid gets a content id", "[decode][newsml]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(newsml_file("withheld_text.xml"), a) == DecodeError::ok);
  CHECK(a.pubstatus == PubStatus::withheld);
  CHECK(a.headline.empty());
  CHECK(a.body == "Correction pending: the bridge reopening is postponed.");
  CHECK(a.body_format == BodyFormat::text);
  CHECK(a.id_from_hash);
  CHECK(a.id == content_id(a));
  CHECK(a.version.empty());
  CHECK(a.urgency == 0);
}

TEST_CASE("newsml: a newsMessage with one item, prefixed names", "[decode][newsml]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(newsml_file("message_one.xml"), a) == DecodeError::ok);
  CHECK(a.id == "urn:newshound:test:newsml:single");
  CHECK(a.version == "5");
  CHECK(a.headline == "Glassworks relights its furnace after repairs");
  CHECK(pointer(a, a.headline_path) == "/newsMessage/itemSet/newsItem/contentMeta/headline[1]");
}

TEST_CASE("newsml: told apart from JSON by content", "[decode][newsml]") {
  CHECK(starts_with_markup("<newsItem/>"));
  CHECK(starts_with_markup("\xEF\xBB\xBF \r\n\t<?xml version=\"1.0\"?><newsItem/>"));
  CHECK_FALSE(starts_with_markup("{\"headline\":\"<b>x</b>\"}"));
  CHECK_FALSE(starts_with_markup("  "));
  CHECK_FALSE(starts_with_markup(""));

  // The FieldMap is for JSON: a mapped decoder still reads NewsML-G2.
  FieldMap map;
  map.ninjs = false;
  map.headline = {"/title"};
  Decoder d(map);
  Article a;
  const std::string bom = "\xEF\xBB\xBF" + newsml_file("message_one.xml");
  REQUIRE(d.decode(bom, a) == DecodeError::ok);
  CHECK(a.headline == "Glassworks relights its furnace after repairs");
  // The same decoder goes on with JSON, and back to XML, state reset each time.
  REQUIRE(d.decode(R"({"title":"Mapped title","guid":"g1"})", a) == DecodeError::ok);
  CHECK(a.headline == "Mapped title");
  CHECK(a.pubstatus == PubStatus::unknown);
  REQUIRE(d.decode(newsml_file("full_item.xml"), a) == DecodeError::ok);
  REQUIRE(d.decode(newsml_file("withheld_text.xml"), a) == DecodeError::ok);
  CHECK(a.slugline.empty());
  CHECK(a.subjects.empty());
  CHECK(a.headline.empty());
  CHECK(a.extras.empty());
}

TEST_CASE("newsml: a headline's inline markup is read as its text", "[decode][newsml]") {
  Decoder d;
  Article a;
  const std::string item =
      "<newsItem guid='g'><contentMeta><headline>  Mayor <span>Ana</span> "
      "Lund\n re-elected </headline><headline role='sub'>x</headline><urgency>12</urgency>"
      "</contentMeta><contentSet><inlineData encoding='base64'>SGVsbG8=</inlineData>"
      "<inlineData contenttype='text/html'>&lt;p&gt;Body&lt;/p&gt;</inlineData>"
      "</contentSet></newsItem>";
  REQUIRE(d.decode(item, a) == DecodeError::ok);
  CHECK(a.headline == "Mayor Ana Lund\n re-elected");  // trimmed, inner text kept
  CHECK(a.urgency == 0);                               // out of range: absent
  CHECK(a.body == "<p>Body</p>");                      // base64 data skipped
  CHECK(a.body_format == BodyFormat::html);            // from its content type
}

// Stage: decode (tests). Each feed format (ninjs 1.x, 2.x, 3.x, FieldMap) and the
// precedence rules between alternative fields.
#include <catch2/catch.hpp>

#include "feed_lines.hpp"
#include "newshound/decode/decoder.hpp"

using namespace newshound;
using newshound::test::feed_lines;

TEST_CASE("decode: ninjs 1.x fixture", "[decode]") {
  auto lines = feed_lines("ninjs1.ndjson");
  REQUIRE(lines.size() == 4);
  Decoder d;
  Article a;

  REQUIRE(d.decode(lines[0], a) == DecodeError::ok);
  CHECK(a.id == "urn:newshound:test:n1-0001");
  CHECK_FALSE(a.id_from_hash);
  CHECK(a.headline == "NATO ministers weigh Baltic air-policing rota");
  CHECK(a.body_format == BodyFormat::text);
  CHECK(a.body.find("NATO\u2019s eastern members") != std::string::npos);
  CHECK(a.body.find("\n\u00c9douard Vasseur") != std::string::npos);  // JSON \n unescaped
  CHECK(a.versioncreated == "2026-03-02T08:14:00Z");
  CHECK(a.language == "en");
  CHECK(a.located == "BRUSSELS");
  CHECK(a.byline == "By Marta Quell");
  CHECK(a.type == "text");

  REQUIRE(d.decode(lines[1], a) == DecodeError::ok);
  CHECK(a.id == "tag:wire.example,2026:0002");  // guid when there is no uri
  CHECK(a.headline == "MARKETS CLOSE HIGHER AS ENERGY STOCKS RALLY");
  CHECK(a.body_format == BodyFormat::html);  // only body_html present
  CHECK(a.body.rfind("<p>Shares in Oslo &amp; Stockholm", 0) == 0);
  CHECK(a.versioncreated.empty());  // cleared from the previous article
  CHECK(a.byline.empty());

  REQUIRE(d.decode(lines[2], a) == DecodeError::ok);
  CHECK(a.id == "n1-0003");                  // id when there is neither uri nor guid
  CHECK(a.body_format == BodyFormat::text);  // both bodies: body_text wins
  CHECK(a.body == "Harbour authorities said cargo traffic resumed at dawn.");
  CHECK(a.versioncreated.empty());  // null is absent
  CHECK(a.byline.empty());

  REQUIRE(d.decode(lines[3], a) == DecodeError::ok);
  CHECK(a.id_from_hash);
  CHECK(a.id == content_id(a.headline, a.body));
  CHECK(a.headline == "Quake jolts coastal towns, no damage reported");
}

TEST_CASE("decode: ninjs 2.x fixture", "[decode]") {
  auto lines = feed_lines("ninjs2.ndjson");
  REQUIRE(lines.size() == 3);
  Decoder d;
  Article a;

  REQUIRE(d.decode(lines[0], a) == DecodeError::ok);
  CHECK(a.headline == "Les syndicats appellent \u00e0 une gr\u00e8ve nationale le 12 mars");
  // The main body is the one whose role is "main" (issue 20: before, text/plain won);
  // the plain-text one is a further body.
  CHECK(a.body == "<p>Les syndicats ont annonc\u00e9&nbsp;mardi\u2026</p>");
  CHECK(a.body_format == BodyFormat::html);
  REQUIRE(a.text_count() == 4);  // + the short headline and the plain-text body
  CHECK(a.text(2).text == "Kurz: les syndicats appellent \u00e0 la gr\u00e8ve");
  CHECK(a.text(3).text == "Les syndicats ont annonc\u00e9 mardi une journ\u00e9e d\u2019action.");
  CHECK(a.text(3).format == BodyFormat::text);
  CHECK(a.byline == "R\u00e9daction Paris");  // 2.x `by`
  CHECK(a.versioncreated == "2026-03-04T11:00:00+01:00");
  CHECK(a.language == "fr");
  CHECK(a.located == "PARIS");

  REQUIRE(d.decode(lines[1], a) == DecodeError::ok);
  CHECK(a.headline == "EU TO REVIEW STEEL QUOTAS");  // no main role: the first
  CHECK(a.body_format == BodyFormat::html);
  CHECK(a.body == "<p>Brussels will review &#8220;safeguard&#8221; quotas.</p>");

  REQUIRE(d.decode(lines[2], a) == DecodeError::ok);
  CHECK(a.headline == "Central bank holds rates");
  // application/json skipped; among text bodies the main role wins.
  CHECK(a.body == "Policymakers voted 7\u20132 to hold.");
  CHECK(a.body_format == BodyFormat::text);
}

TEST_CASE("decode: ninjs 3.x fixture (camelCase)", "[decode]") {
  auto lines = feed_lines("ninjs3.ndjson");
  REQUIRE(lines.size() == 2);
  Decoder d;
  Article a;

  REQUIRE(d.decode(lines[0], a) == DecodeError::ok);
  CHECK(a.id == "urn:newshound:test:n3-0001");
  CHECK(a.headline == "Bahnstreik legt Fernverkehr lahm");
  CHECK(a.body == "Der Fernverkehr der Bahn ist seit Mitternacht weitgehend eingestellt.");
  CHECK(a.versioncreated == "2026-03-05T06:30:00Z");  // not contentCreated
  CHECK(a.byline == "dpa-Korrespondent");

  REQUIRE(d.decode(lines[1], a) == DecodeError::ok);
  CHECK(a.headline == "U.N. envoy urges ceasefire talks");
  CHECK(a.body_format == BodyFormat::html);  // contentType spelling
  CHECK(a.body == "<p>The envoy said talks \u201cmust begin within days\u201d.</p>");
}

TEST_CASE("decode: custom shape through a FieldMap", "[decode]") {
  auto lines = feed_lines("custom.ndjson");
  REQUIRE(lines.size() == 3);
  FieldMap map;
  map.id = "/meta/id";
  map.headline = {"/title"};
  map.body_text = {"/content/text"};
  map.body_html = {"/content/html"};
  map.versioncreated = "/meta/published";
  map.language = "/meta/lang";

  for (bool ninjs : {true, false}) {
    INFO("ninjs=" << ninjs);
    map.ninjs = ninjs;
    Decoder d(map);
    Article a;
    REQUIRE(d.decode(lines[0], a) == DecodeError::ok);
    CHECK(a.id == "90210");  // numeric id taken as its text
    CHECK(a.headline == "Wildfire forces evacuations near Valencia");  // map beats ninjs
    CHECK(a.body ==
          "Firefighters battled flames through the night.\nResidents were told to leave.");
    CHECK(a.body_format == BodyFormat::text);
    CHECK(a.versioncreated == "2026-03-06T10:00:00Z");
    CHECK(a.language == "en");

    REQUIRE(d.decode(lines[1], a) == DecodeError::ok);
    CHECK(a.id == "cw-2");
    CHECK(a.body == "<p>Las lluvias &amp; el viento\u2026</p>");
    CHECK(a.body_format == BodyFormat::html);
    CHECK(a.versioncreated.empty());

    REQUIRE(d.decode(lines[2], a) == DecodeError::ok);
    CHECK(a.id_from_hash);
    CHECK(a.id == content_id("No id here: hashed", "A body without any id field."));
  }
}

TEST_CASE("decode: precedence rules", "[decode]") {
  Decoder d;
  Article a;

  SECTION("uri before guid before id") {
    REQUIRE(d.decode(R"({"id":"c","guid":"b","uri":"a","headline":"h"})", a) == DecodeError::ok);
    CHECK(a.id == "a");
    REQUIRE(d.decode(R"({"id":"c","guid":"b","headline":"h"})", a) == DecodeError::ok);
    CHECK(a.id == "b");
    REQUIRE(d.decode(R"({"uri":null,"guid":"","id":"c","headline":"h"})", a) == DecodeError::ok);
    CHECK(a.id == "c");
  }
  SECTION("headline before headlines[]") {
    REQUIRE(d.decode(R"({"headlines":[{"value":"B","role":"main"}],"headline":"A"})", a) ==
            DecodeError::ok);
    CHECK(a.headline == "A");
    REQUIRE(d.decode(R"({"headlines":[{"value":"S","role":"short"},{"value":"M"}]})", a) ==
            DecodeError::ok);
    CHECK(a.headline == "M");  // role absent counts as main
    REQUIRE(d.decode(R"({"headlines":[null,{"value":"X","role":"main"},{"value":"Y"}]})", a) ==
            DecodeError::ok);
    CHECK(a.headline == "X");
  }
  SECTION("body_text, then body_html, then bodies[]") {
    REQUIRE(d.decode(R"({"bodies":[{"value":"b"}],"body_html":"<p>h</p>","body_text":"t"})", a) ==
            DecodeError::ok);
    CHECK(a.body == "t");
    CHECK(a.body_format == BodyFormat::text);
    REQUIRE(d.decode(R"({"bodies":[{"value":"b"}],"body_html":"<p>h</p>","body_text":""})", a) ==
            DecodeError::ok);
    CHECK(a.body == "<p>h</p>");
    CHECK(a.body_format == BodyFormat::html);
    REQUIRE(d.decode(R"({"bodies":[{"value":"<b>x</b>","contenttype":"TEXT/HTML"}]})", a) ==
            DecodeError::ok);
    CHECK(a.body_format == BodyFormat::html);
    // Every bodies[] value is read whatever its content type (issue 20: it was
    // skipped); markup unknown from the type is told apart by content.
    REQUIRE(d.decode(R"({"bodies":[{"value":"img","contenttype":"image/jpeg"}],"headline":"h"})",
                     a) == DecodeError::ok);
    CHECK(a.body == "img");
    CHECK(a.body_format == BodyFormat::text);
  }
  SECTION("versioncreated spellings") {
    REQUIRE(d.decode(R"({"headline":"h","versionCreated":"2026-01-01T00:00:00Z"})", a) ==
            DecodeError::ok);
    CHECK(a.versioncreated == "2026-01-01T00:00:00Z");
  }
  SECTION("a FieldMap pointer that does not resolve leaves the ninjs field") {
    FieldMap map;
    map.headline = {"/title"};
    map.body_text = {"/content/0/text"};
    map.language = "/lang";
    Decoder m(map);
    REQUIRE(m.decode(R"({"headline":"ninjs one","body_text":"ninjs body","lang":null})", a) ==
            DecodeError::ok);
    CHECK(a.headline == "ninjs one");
    CHECK(a.body == "ninjs body");
    REQUIRE(m.decode(R"({"headline":"n","title":"T","content":[{"text":"arr"}]})", a) ==
            DecodeError::ok);
    CHECK(a.headline == "T");
    CHECK(a.body == "arr");
  }
  SECTION("ninjs=false reads only the map") {
    FieldMap map;
    map.ninjs = false;
    map.headline = {"/t"};
    Decoder m(map);
    REQUIRE(m.decode(R"({"uri":"u","headline":"H","body_text":"B","t":"only this"})", a) ==
            DecodeError::ok);
    CHECK(a.headline == "only this");
    CHECK(a.body.empty());
    CHECK(a.id_from_hash);
    CHECK(m.decode(R"({"headline":"H","body_text":"B"})", a) == DecodeError::no_text);
  }
}

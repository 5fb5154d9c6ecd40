// Stage: decode (tests). JSON escapes, content ids, large bodies, buffer reuse and
// JSON Pointer validation.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/decode/decoder.hpp"

using namespace newshound;

TEST_CASE("decode: JSON escapes are unescaped", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(
      d.decode(
          R"({"headline":"Lavrov\u2019s \"red line\"","body_text":"line one\nline two\ttab \\ \/ \u00c9douard \ud83d\udcf0"})",
          a) == DecodeError::ok);
  CHECK(a.headline == "Lavrov\u2019s \"red line\"");
  CHECK(a.body == "line one\nline two\ttab \\ / \u00c9douard \U0001F4F0");
}

TEST_CASE("decode: escaped names are not ninjs names", "[decode]") {
  Decoder d;
  Article a;
  // Keys are compared raw: an escaped key is simply an unknown field.
  CHECK(d.decode(R"({"\u0068eadline":"x"})", a) == DecodeError::no_text);
}

TEST_CASE("content_id is stable and content-sensitive", "[decode]") {
  const std::string id = content_id("NATO SUMMIT OPENS", "Leaders arrived on Tuesday.");
  CHECK(id.rfind("h:", 0) == 0);
  CHECK(id.size() == 2 + 32);
  CHECK(id == content_id("NATO SUMMIT OPENS", "Leaders arrived on Tuesday."));
  CHECK(id != content_id("NATO SUMMIT OPENS", "Leaders arrived on Wednesday."));
  CHECK(id != content_id("NATO SUMMIT OPENS.", "Leaders arrived on Tuesday."));
  // Parts are length-prefixed: moving text across the boundary changes the id.
  CHECK(content_id("ab", "c") != content_id("a", "bc"));

  Decoder d;
  Article a, b;
  REQUIRE(d.decode(R"({"headline":"Same","body_text":"text"})", a) == DecodeError::ok);
  REQUIRE(d.decode(R"({"type":"text","body_text":"text","headline":"Same","x":1})", b) ==
          DecodeError::ok);
  CHECK(a.id_from_hash);
  CHECK(a.id == b.id);
  CHECK(a.id == content_id("Same", "text"));
  REQUIRE(d.decode(R"({"headline":"Same","body_text":"other"})", b) == DecodeError::ok);
  CHECK(a.id != b.id);
}

TEST_CASE("decode: pictures with only a caption get distinct content ids", "[decode]") {
  Decoder d;
  Article a, b, c;
  REQUIRE(d.decode(R"({"type":"picture","descriptions":[{"role":"caption","value":"A"}]})", a) ==
          DecodeError::ok);
  REQUIRE(d.decode(R"({"type":"picture","descriptions":[{"role":"caption","value":"B"}]})", b) ==
          DecodeError::ok);
  REQUIRE(d.decode(R"({"type":"picture","descriptions":[{"role":"caption","value":"A"}]})", c) ==
          DecodeError::ok);
  CHECK(a.id_from_hash);
  CHECK(a.id != b.id);
  CHECK(a.id == c.id);
  CHECK(a.id == content_id(a));
  // An article with only a headline and a body keeps the id it always had.
  REQUIRE(d.decode(R"({"headline":"Same","body_text":"text"})", c) == DecodeError::ok);
  CHECK(c.id == content_id(c));
  CHECK(c.id == content_id("Same", "text"));
}

TEST_CASE("decode: a 1 MiB body decodes", "[decode]") {
  std::string escaped, expected;
  while (expected.size() < (1u << 20)) {
    escaped += "The U.S. and NATO\\u2019s allies \\u2014 again. ";
    expected += "The U.S. and NATO\u2019s allies \u2014 again. ";
  }
  const std::string line = R"({"uri":"big","headline":"LARGE","body_text":")" + escaped + "\"}";
  Decoder d;
  Article a;
  REQUIRE(d.decode(line, a) == DecodeError::ok);
  CHECK(a.body.size() >= (1u << 20));
  CHECK(a.body == expected);
  CHECK(a.headline == "LARGE");
  // A small line afterwards reuses the buffers and leaves nothing of the big one.
  REQUIRE(d.decode(R"({"uri":"small","headline":"s"})", a) == DecodeError::ok);
  CHECK(a.body.empty());
  CHECK(a.id == "small");
}

TEST_CASE("decode: Article storage is reused", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"headline":"a fairly long headline that does not fit SSO","body_text":"b"})",
                   a) == DecodeError::ok);
  const char* before = a.headline.data();
  REQUIRE(d.decode(R"({"headline":"short one","body_text":"c"})", a) == DecodeError::ok);
  CHECK(a.headline == "short one");
  CHECK(a.headline.data() == before);  // assigned into the same storage
}

TEST_CASE("decode: the decoder can be moved", "[decode]") {
  Decoder d;
  Decoder moved(std::move(d));
  Article a;
  REQUIRE(moved.decode(R"({"headline":"h"})", a) == DecodeError::ok);
  Decoder other;
  other = std::move(moved);
  CHECK(other.decode("[]", a) == DecodeError::not_object);
}

TEST_CASE("is_valid_json_pointer", "[decode]") {
  CHECK(is_valid_json_pointer(""));
  CHECK(is_valid_json_pointer("/title"));
  CHECK(is_valid_json_pointer("/data/0/body"));
  CHECK(is_valid_json_pointer("/a~1b/c~0d"));
  CHECK_FALSE(is_valid_json_pointer("title"));
  CHECK_FALSE(is_valid_json_pointer("/a~2"));
  CHECK_FALSE(is_valid_json_pointer("/a~"));
}

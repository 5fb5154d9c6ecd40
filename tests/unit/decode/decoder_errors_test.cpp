// Stage: decode (tests). Every DecodeError reason, the bad-line fixture (each bad
// line followed by a good one), deep nesting and empty input.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "feed_lines.hpp"
#include "newshound/decode/decoder.hpp"

using namespace newshound;
using newshound::test::feed_lines;

TEST_CASE("decode: bad.ndjson, one bad line per reason, each followed by a good one", "[decode]") {
  auto lines = feed_lines("bad.ndjson");
  const std::vector<DecodeError> want_bad = {DecodeError::not_json,     DecodeError::not_object,
                                             DecodeError::invalid_utf8, DecodeError::wrong_type,
                                             DecodeError::too_deep,     DecodeError::no_text};
  REQUIRE(lines.size() == want_bad.size() * 2);
  Decoder d;
  Article a;
  for (std::size_t i = 0; i < want_bad.size(); ++i) {
    INFO("line " << 2 * i + 1);
    CHECK(d.decode(lines[2 * i], a) == want_bad[i]);
    REQUIRE(d.decode(lines[2 * i + 1], a) == DecodeError::ok);
    CHECK(a.headline == "GOOD LINE AFTER A BAD ONE");
    CHECK(a.body == "Still decodes.");
    CHECK(a.id == "urn:newshound:test:good");
  }
}

TEST_CASE("decode: not_json", "[decode]") {
  Decoder d;
  Article a;
  for (const char* line :
       {"", " ", "\t \r", "{", "}", "{\"headline\":", "{\"headline\":\"x\"",
        "{\"headline\":\"x\"} trailing", "{\"headline\":\"x\"}{\"headline\":\"y\"}",
        "{\"headline\" \"x\"}", "{headline:\"x\"}", "{\"headline\":\"unterminated}", "hello",
        "[1,2", "tru", "\"abc", "{\"headline\":\"x\",}"}) {
    INFO("line: " << line);
    CHECK(d.decode(line, a) == DecodeError::not_json);
  }
}

TEST_CASE("decode: not_object", "[decode]") {
  Decoder d;
  Article a;
  for (const char* line : {"[]", "[{\"headline\":\"x\"}]", "\"just a string\"", "42", "-1.5e3",
                           "true", "null", "  [1, [2, 3]]  "}) {
    INFO("line: " << line);
    CHECK(d.decode(line, a) == DecodeError::not_object);
  }
}

TEST_CASE("decode: invalid_utf8 anywhere in the line", "[decode]") {
  Decoder d;
  Article a;
  for (std::string line : {
           std::string("{\"headline\":\"caf\xC3\"}"),  // truncated sequence
           std::string(
               "{\"headline\":\"ok\",\"skipped\":\"\xED\xA0\x80\"}"),  // surrogate, unread field
           std::string("{\"headline\":\"ok\"}\xFE"),                   // after the object
           std::string("{\"\xC0\xAF\":1,\"headline\":\"x\"}"),         // overlong, in a key
       }) {
    INFO("line: " << line);
    CHECK(d.decode(line, a) == DecodeError::invalid_utf8);
  }
}

TEST_CASE("decode: wrong_type for mapped fields", "[decode]") {
  Decoder d;
  Article a;
  for (const char* line : {
           R"({"headline":42})",
           R"({"headline":"h","body_text":["a"]})",
           R"({"headline":"h","body_html":{"p":1}})",
           R"({"headline":"h","uri":1.5})",
           R"({"headline":"h","language":true})",
           R"({"headlines":"not an array"})",
           R"({"headlines":[{"value":7}]})",
           R"({"headlines":["not an object"]})",
           R"({"headline":"h","bodies":{"value":"x"}})",
           R"({"headline":"h","bodies":[{"value":"x","contenttype":5}]})",
           R"({"headline":"h","versionCreated":20260101})",
       }) {
    INFO("line: " << line);
    CHECK(d.decode(line, a) == DecodeError::wrong_type);
  }
  FieldMap map;
  map.headline = {"/title"};
  Decoder m(map);
  CHECK(m.decode(R"({"title":{"text":"x"}})", a) == DecodeError::wrong_type);
  CHECK(m.decode(R"({"title":"ok","unmapped":{"text":1}})", a) == DecodeError::ok);
}

TEST_CASE("decode: unknown fields of any type are ignored", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"urgency":3,"subject":[{"code":"x"}],"headline":"h","renditions":{"a":)"
                   R"({"b":[1,2,null]}},"pubstatus":"usable","embargoed":null,"ok":true})",
                   a) == DecodeError::ok);
  CHECK(a.headline == "h");
}

TEST_CASE("decode: too_deep", "[decode]") {
  Decoder d;
  Article a;
  auto nest = [](std::size_t depth, const std::string& open, const std::string& close) {
    std::string s = R"({"headline":"h","x":)";
    for (std::size_t i = 0; i < depth; ++i) s += open;
    for (std::size_t i = 0; i < depth; ++i) s += close;
    return s + "}";
  };
  CHECK(d.decode(nest(100, "[", "]"), a) == DecodeError::ok);
  CHECK(d.decode(nest(Decoder::kMaxDepth - 1, "[", "]"), a) == DecodeError::ok);
  CHECK(d.decode(nest(Decoder::kMaxDepth, "[", "]"), a) == DecodeError::too_deep);
  CHECK(d.decode(nest(100000, "[", "]"), a) == DecodeError::too_deep);
  CHECK(d.decode(nest(100000, "{\"k\":", "}"), a) == DecodeError::too_deep);
  // Unbalanced and at the top level: rejected, never a crash or stack overflow.
  CHECK(d.decode(std::string(100000, '['), a) == DecodeError::too_deep);
  CHECK(d.decode(std::string(100000, '[') + std::string(100000, ']'), a) == DecodeError::too_deep);
  // Brackets inside strings do not count.
  std::string in_string = R"({"headline":")" + std::string(5000, '[') + R"("})";
  REQUIRE(d.decode(in_string, a) == DecodeError::ok);
  CHECK(a.headline.size() == 5000);
  // The decoder still works afterwards.
  REQUIRE(d.decode(R"({"headline":"after"})", a) == DecodeError::ok);
  CHECK(a.headline == "after");
}

TEST_CASE("decode: no_text", "[decode]") {
  Decoder d;
  Article a;
  for (const char* line : {R"({})", R"({"uri":"u"})", R"({"headline":"","body_text":""})",
                           R"({"headline":null,"body_html":null,"bodies":[]})",
                           R"({"headlines":[{"role":"main"}],"bodies":[{"value":""}]})"}) {
    INFO("line: " << line);
    CHECK(d.decode(line, a) == DecodeError::no_text);
  }
}

TEST_CASE("decode: to_string names every reason", "[decode]") {
  CHECK(to_string(DecodeError::ok) == "ok");
  CHECK(to_string(DecodeError::not_json) == "not_json");
  CHECK(to_string(DecodeError::not_object) == "not_object");
  CHECK(to_string(DecodeError::invalid_utf8) == "invalid_utf8");
  CHECK(to_string(DecodeError::wrong_type) == "wrong_type");
  CHECK(to_string(DecodeError::too_deep) == "too_deep");
  CHECK(to_string(DecodeError::no_text) == "no_text");
  CHECK(to_string(DecodeError::too_large) == "too_large");
  CHECK(to_string(DecodeError::looks_like_alert) == "looks_like_alert");
}

TEST_CASE("decode: looks_like_alert, a line with an alert's rules_version and matches",
          "[decode]") {
  const char* alert = R"({"id":"a1","article":"u1","headline":"LAVROV","rules_version":"r1",)"
                      R"("matches":[{"entity":"lavrov"}]})";
  Article a;
  for (const bool ninjs : {true, false}) {
    INFO("ninjs = " << ninjs);
    FieldMap map;
    map.ninjs = ninjs;
    if (!ninjs) map.headline = {"/headline"};
    Decoder refusing(map);
    CHECK(refusing.decode(alert, a) == DecodeError::looks_like_alert);
    // Either key alone is an ordinary article field; order does not matter.
    CHECK(refusing.decode(R"({"headline":"H","matches":3})", a) == DecodeError::ok);
    CHECK(refusing.decode(R"({"rules_version":"x","headline":"H"})", a) == DecodeError::ok);
    CHECK(refusing.decode(R"({"matches":[],"headline":"H","rules_version":1})", a) ==
          DecodeError::looks_like_alert);
    // Nested keys of those names are not an alert's.
    CHECK(refusing.decode(R"({"headline":"H","x":{"rules_version":"r","matches":[]}})", a) ==
          DecodeError::ok);
    // Broken JSON is still not_json, whatever its keys.
    CHECK(refusing.decode(R"({"rules_version":"r","matches":[]} x)", a) == DecodeError::not_json);
    map.accept_alerts = true;
    Decoder accepting(map);
    REQUIRE(accepting.decode(alert, a) == DecodeError::ok);
    CHECK(a.headline == "LAVROV");
  }
}

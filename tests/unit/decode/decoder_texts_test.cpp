// Stage: decode (tests). Every text value of ninjs 1.x, 2.x and 3.x (issue 20): all
// headlines, bodies and descriptions, each with its field, markup and path, the
// choice of the main headline and body, and FieldMap pointers to several values.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "newshound/decode/decoder.hpp"

using namespace newshound;

namespace {

struct Seen {
  Field field;
  BodyFormat format;
  std::string text;
  std::string path;
  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "{" << static_cast<int>(s.field) << "," << static_cast<int>(s.format) << ",'"
            << s.text << "'," << s.path << "}";
}

/// The article's text values in Article order (empty main values left out).
std::vector<Seen> texts(const Article& a) {
  std::vector<Seen> out;
  for (std::size_t i = 0; i < a.text_count(); ++i) {
    const TextRef t = a.text(i);
    if (t.text.empty()) continue;
    std::string path;
    a.append_pointer(*t.path, path);
    out.push_back({t.field, t.format, std::string(t.text), path});
  }
  return out;
}

constexpr auto H = Field::headline;
constexpr auto B = Field::body;
constexpr auto D = Field::description;
constexpr auto T = BodyFormat::text;
constexpr auto M = BodyFormat::html;

}  // namespace

TEST_CASE("decode texts: ninjs 1.x names and patterns, markup from the suffix", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"uri":"u","headline_sub":"Sub","headline":"Main",
      "body_html":"<p>H</p>","body_text":"Plain","body_xhtml":"<div><p>X</p></div>",
      "body_richtext":"<b>R</b>","body_main":"<p>sniffed</p>","body_note":"just text",
      "description_text":"dt","description_html":"<i>dh</i>","description_caption":"cap",
      "description_creditline":"Photo: someone","headline_html":"<b>hh</b>"})",
                   a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{
                        {H, T, "Main", "/headline"},
                        {B, T, "Plain", "/body_text"},
                        {H, T, "Sub", "/headline_sub"},
                        {H, M, "<b>hh</b>", "/headline_html"},
                        {B, M, "<p>H</p>", "/body_html"},
                        {B, M, "<div><p>X</p></div>", "/body_xhtml"},
                        {B, M, "<b>R</b>", "/body_richtext"},
                        {B, M, "<p>sniffed</p>", "/body_main"},
                        {B, T, "just text", "/body_note"},
                        {D, T, "dt", "/description_text"},
                        {D, M, "<i>dh</i>", "/description_html"},
                        {D, T, "cap", "/description_caption"},
                        {D, T, "Photo: someone", "/description_creditline"},
                    });
}

TEST_CASE("decode texts: ninjs 1.x with only body_xhtml or only headline_*", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"headline":"Wire","body_xhtml":"<p>Only body</p>"})", a) == DecodeError::ok);
  CHECK(a.body == "<p>Only body</p>");
  CHECK(a.body_format == BodyFormat::html);
  std::string p;
  a.append_pointer(a.body_path, p);
  CHECK(p == "/body_xhtml");
  REQUIRE(d.decode(R"({"headline_main":"Only this one"})", a) == DecodeError::ok);
  CHECK(a.headline == "Only this one");  // the main headline when `headline` is absent
  CHECK(a.extras.empty());
}

TEST_CASE("decode texts: pattern names holding other types are skipped", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"headline":"h","body_meta":{"words":3},"description_x":7,
                       "headline_y":null})",
                   a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{{H, T, "h", "/headline"}});
  // Known names keep their strict types.
  CHECK(d.decode(R"({"headline":"h","descriptions":{"value":"x"}})", a) == DecodeError::wrong_type);
}

TEST_CASE("decode texts: ninjs 2.x/3.x arrays, every value, markup from the type", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"headlines":[{"value":"Short","role":"short"},
      {"value":"Main","role":"main"},{"value":"<b>Sub</b>","contentType":"text/html"}],
    "bodies":[null,{"value":"<p>a</p>","contenttype":"text/html","role":"alt"},
      {"value":"plain","contenttype":"text/plain; charset=utf-8"},
      {"value":"<div>x</div>","contenttype":"application/xhtml+xml","role":"main"},
      {"value":"<r><p>y</p></r>","contenttype":"application/xml"},
      {"value":"<p>z</p>"},{"value":"none"},{"value":""}],
    "descriptions":[{"value":"Sum","role":"summary"},{"value":"<p>Cap</p>","role":"caption"}]})",
                   a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{
                        {H, T, "Main", "/headlines/1/value"},
                        {B, M, "<div>x</div>", "/bodies/3/value"},
                        {H, T, "Short", "/headlines/0/value"},
                        {H, M, "<b>Sub</b>", "/headlines/2/value"},
                        {B, M, "<p>a</p>", "/bodies/1/value"},
                        {B, T, "plain", "/bodies/2/value"},
                        {B, M, "<r><p>y</p></r>", "/bodies/4/value"},
                        {B, M, "<p>z</p>", "/bodies/5/value"},
                        {B, T, "none", "/bodies/6/value"},
                        {D, T, "Sum", "/descriptions/0/value"},
                        {D, M, "<p>Cap</p>", "/descriptions/1/value"},
                    });
}

TEST_CASE("decode texts: the main body without a main role", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"bodies":[{"value":"s","role":"summary"},{"value":"n"}]})", a) ==
          DecodeError::ok);
  CHECK(a.body == "n");  // no role beats another role
  REQUIRE(d.decode(R"({"bodies":[{"value":"s","role":"summary"},{"value":"t","role":"x"}]})", a) ==
          DecodeError::ok);
  CHECK(a.body == "s");  // else the first
}

TEST_CASE("decode texts: a picture with only a caption is an article", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"type":"picture","descriptions":[{"value":"A caption","role":"caption"}]})",
                   a) == DecodeError::ok);
  CHECK(a.headline.empty());
  CHECK(a.body.empty());
  CHECK(texts(a) == std::vector<Seen>{{D, T, "A caption", "/descriptions/0/value"}});
  REQUIRE(d.decode(R"({"uri":"p","description_caption":"Another caption"})", a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{{D, T, "Another caption", "/description_caption"}});
  CHECK(d.decode(R"({"descriptions":[{"value":""}],"description_x":""})", a) ==
        DecodeError::no_text);
}

TEST_CASE("decode texts: markup told apart by content", "[decode]") {
  Decoder d;
  Article a;
  const auto format_of = [&](const char* value_json) {
    const std::string line = std::string(R"({"bodies":[{"value":)") + value_json + "}]}";
    REQUIRE(d.decode(line, a) == DecodeError::ok);
    return a.body_format;
  };
  CHECK(format_of(R"("  <p>x</p>")") == BodyFormat::html);
  CHECK(format_of(R"("<!-- c --> text")") == BodyFormat::html);
  CHECK(format_of(R"("a < b and c > d")") == BodyFormat::text);
  CHECK(format_of(R"("<3 you")") == BodyFormat::text);
  CHECK(format_of(R"("<unclosed")") == BodyFormat::text);
}

TEST_CASE("decode texts: path names are escaped as JSON Pointers", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"headline":"h","description_a~b/c":"x"})", a) == DecodeError::ok);
  REQUIRE(a.extras.size() == 1);
  std::string p;
  a.append_pointer(a.extras[0].path, p);
  CHECK(p == "/description_a~0b~1c");
}

TEST_CASE("decode texts: FieldMap pointers to several values", "[decode]") {
  FieldMap map;
  map.ninjs = false;
  map.headline = {"/title", "/subtitle"};
  map.body_text = {"/missing", "/text"};
  map.body_html = {"/html"};
  map.description = {"/media/0/caption", "/media/1/caption", "/summary"};
  Decoder d(map);
  Article a;
  REQUIRE(d.decode(R"({"title":"T","subtitle":"S","text":"body","html":"<p>h</p>",
      "media":[{"caption":"c0"},{"caption":"<p>c1</p>"}]})",
                   a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{
                        {H, T, "T", "/title"},
                        {B, T, "body", "/text"},
                        {H, T, "S", "/subtitle"},
                        {B, M, "<p>h</p>", "/html"},
                        {D, T, "c0", "/media/0/caption"},
                        {D, M, "<p>c1</p>", "/media/1/caption"},
                    });
  // Only a description mapped and present: still an article.
  REQUIRE(d.decode(R"({"media":[{"caption":"only"}]})", a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{{D, T, "only", "/media/0/caption"}});
}

TEST_CASE("decode texts: a reused Article keeps no value of the previous line", "[decode]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"headline":"h","description_x":"d","bodies":[{"value":"b"},{"value":"c"}]})",
                   a) == DecodeError::ok);
  CHECK(a.text_count() == 4);
  REQUIRE(d.decode(R"({"headline":"only"})", a) == DecodeError::ok);
  CHECK(texts(a) == std::vector<Seen>{{H, T, "only", "/headline"}});
  CHECK(a.names.empty());
}

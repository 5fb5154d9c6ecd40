// Stage: decode (tests). The article's web address (Article::link): from ninjs `links`
// (best rel first) and from a NewsML-G2 itemMeta `link` with rel seeAlso; absent or
// malformed links leave it empty and never refuse the article.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/decode/decoder.hpp"

using namespace newshound;

namespace {

// The link the decoder reads from a ninjs article whose `links` member is `links`.
std::string ninjs_link_of(std::string_view links) {
  Decoder d;
  Article a;
  const std::string line = R"({"uri":"u","headline":"h","links":)" + std::string(links) + "}";
  REQUIRE(d.decode(line, a) == DecodeError::ok);
  return a.link;
}

std::string newsml_link_of(std::string_view item_meta) {
  Decoder d;
  Article a;
  const std::string xml = R"(<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g">)"
                          "<itemMeta>" +
                          std::string(item_meta) +
                          "</itemMeta><contentMeta><headline>h</headline></contentMeta></newsItem>";
  REQUIRE(d.decode(xml, a) == DecodeError::ok);
  return a.link;
}

}  // namespace

TEST_CASE("ninjs links: the best rel wins, then document order", "[decode][link]") {
  CHECK(ninjs_link_of(
            R"([{"href":"http://a/1","rel":"alternate"},{"href":"http://f","rel":"feed"}])") ==
        "http://a/1");
  CHECK(ninjs_link_of(R"([{"rel":"related","href":"http://r"},{"rel":"self","href":"http://s"},)"
                      R"({"rel":"canonical","href":"http://c"},{"href":"http://n"}])") ==
        "http://c");
  CHECK(ninjs_link_of(R"([{"href":"http://n"},{"rel":"self","href":"http://s"}])") == "http://s");
  CHECK(ninjs_link_of(R"([{"rel":"related","href":"http://r"},{"href":"http://n"}])") ==
        "http://n");
  CHECK(ninjs_link_of(R"([{"rel":"related","href":"http://r1"},{"rel":"x","href":"http://r2"}])") ==
        "http://r1");
  CHECK(ninjs_link_of(R"([{"href":"http://a/\u00e9?q=\"x\""}])") == "http://a/\xC3\xA9?q=\"x\"");
}

TEST_CASE("ninjs links: absent, or only the feed's own address", "[decode][link]") {
  Decoder d;
  Article a;
  REQUIRE(d.decode(R"({"uri":"u","headline":"h"})", a) == DecodeError::ok);
  CHECK(a.link.empty());
  CHECK(ninjs_link_of("[]").empty());
  CHECK(ninjs_link_of(R"([{"href":"http://feed/rss","rel":"feed"}])").empty());
  // A reused Article forgets the previous link.
  REQUIRE(d.decode(R"({"uri":"u","headline":"h","links":[{"href":"http://x"}]})", a) ==
          DecodeError::ok);
  CHECK(a.link == "http://x");
  REQUIRE(d.decode(R"({"uri":"u","headline":"h"})", a) == DecodeError::ok);
  CHECK(a.link.empty());
}

TEST_CASE("ninjs links: malformed entries are skipped, never an error", "[decode][link]") {
  CHECK(ninjs_link_of(R"("http://not-an-array")").empty());
  CHECK(ninjs_link_of(R"({"href":"http://an-object"})").empty());
  CHECK(ninjs_link_of("null").empty());
  CHECK(ninjs_link_of("42").empty());
  CHECK(ninjs_link_of(R"([{"rel":"canonical"}])").empty());            // no href
  CHECK(ninjs_link_of(R"([{"href":42,"rel":"canonical"}])").empty());  // not a string
  CHECK(ninjs_link_of(R"([{"href":null},{"href":["x"]},{"href":""}])").empty());
  CHECK(ninjs_link_of(R"([{"href":{"a":1},"rel":"canonical"},"x",[1],{"href":"http://ok"}])") ==
        "http://ok");
  CHECK(ninjs_link_of(R"([{"href":"http://ok","rel":7}])") == "http://ok");  // a rel not a string
  // Text that is not JSON is not a malformed link but a broken document: read, it
  // is refused (an unknown member is skipped unread, so the same bytes there pass).
  Decoder d;
  Article a;
  CHECK(d.decode(R"({"uri":"u","headline":"h","links":[{"href":}]})", a) == DecodeError::not_json);
}

TEST_CASE("newsml: itemMeta link with rel seeAlso", "[decode][link][newsml]") {
  CHECK(newsml_link_of(R"(<link rel="irel:seeAlso" href="https://example.org/story/1"/>)") ==
        "https://example.org/story/1");
  CHECK(newsml_link_of(R"(<link rel="irel:previousVersion" href="http://v/1"/>)"
                       R"(<link rel="irel:seeAlso" href="urn:x"/>)"
                       R"(<link rel="irel:seeAlso" href=" http://web/2 "/>)") == "http://web/2");
  CHECK(newsml_link_of(R"(<link rel="irel:associatedWith" href="http://a/1"/>)").empty());
  CHECK(newsml_link_of(R"(<link href="http://a/1"/>)").empty());
  CHECK(newsml_link_of("").empty());
}

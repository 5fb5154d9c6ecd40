// Stage: decode (tests). NewsML-G2 records refused, each with its reason and cheaply:
// malformed XML, XML that is not NewsML-G2, a billion-laughs DTD, deep nesting,
// several items in one message, bad UTF-8; and split_newsml for the sources.
#include <catch2/catch.hpp>

#include <chrono>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "newshound/decode/decoder.hpp"
#include "newshound/decode/newsml.hpp"
#include "newsml_file.hpp"

using namespace newshound;
using newshound::test::newsml_file;

TEST_CASE("newsml: each refused record has its reason", "[decode][newsml]") {
  Decoder d;
  Article a;
  CHECK(d.decode(newsml_file("malformed.xml"), a) == DecodeError::not_xml);
  CHECK(d.decode(newsml_file("not_newsml.xml"), a) == DecodeError::not_newsml);
  CHECK(d.decode(newsml_file("billion_laughs.xml"), a) == DecodeError::xml_dtd);
  CHECK(d.decode(newsml_file("deep.xml"), a) == DecodeError::too_deep);
  CHECK(d.decode(newsml_file("message.xml"), a) == DecodeError::several_items);
  CHECK(d.decode("<newsItem guid='x'/><newsItem guid='y'/>", a) == DecodeError::not_xml);
  CHECK(d.decode("<newsItem guid='x'/>trailing", a) == DecodeError::not_xml);
  CHECK(d.decode("<newsItem guid='x'><contentMeta/></newsItem>", a) == DecodeError::no_text);
  CHECK(d.decode("<newsMessage><itemSet/></newsMessage>", a) == DecodeError::no_text);
  CHECK(d.decode("<newsItem><contentMeta><headline>caf\xC3</headline></contentMeta></newsItem>",
                 a) == DecodeError::invalid_utf8);
  // A character reference to a surrogate would put bad UTF-8 in the article.
  CHECK(d.decode("<newsItem><contentMeta><headline>&#xD800;</headline></contentMeta></newsItem>",
                 a) == DecodeError::invalid_utf8);
  // A DOCTYPE after a comment is still in the prolog; one without subset too.
  CHECK(d.decode("<!-- c --><!DOCTYPE newsItem SYSTEM 'x.dtd'><newsItem/>", a) ==
        DecodeError::xml_dtd);
  // After each refusal the decoder still reads a good record.
  REQUIRE(d.decode(newsml_file("full_item.xml"), a) == DecodeError::ok);
  CHECK(a.id == "urn:newshound:test:newsml:full");
}

TEST_CASE("newsml: the nesting limit is Decoder::kMaxDepth elements", "[decode][newsml]") {
  const auto nested = [](std::size_t depth) {  // newsItem + contentSet + inlineXML + divs
    std::string s = "<newsItem><contentSet><inlineXML>";
    for (std::size_t i = 3; i < depth; ++i) s += "<div>";
    s += "x";
    for (std::size_t i = 3; i < depth; ++i) s += "</div>";
    return s + "</inlineXML></contentSet></newsItem>";
  };
  Decoder d;
  Article a;
  CHECK(d.decode(nested(Decoder::kMaxDepth), a) == DecodeError::ok);
  CHECK(d.decode(nested(Decoder::kMaxDepth + 1), a) == DecodeError::too_deep);
  // Far deeper (pugixml parses without recursion; our walks are iterative too).
  CHECK(d.decode(nested(200000), a) == DecodeError::too_deep);
}

TEST_CASE("newsml: pugixml never expands entities a DTD defines", "[decode][newsml]") {
  // Even if our prolog check let a DOCTYPE through, the parser leaves an unknown
  // entity reference as its literal text: no expansion, no growth.
  std::string doc = newsml_file("billion_laughs.xml");
  pugi::xml_document x;
  REQUIRE(x.load_buffer(doc.data(), doc.size(), pugi::parse_default | pugi::parse_doctype));
  CHECK(std::string(x.child("newsItem").child("contentMeta").child_value("headline")) == "&lol9;");
  // And the decoder refuses the document before parsing it: fast, whatever its size.
  std::string big = newsml_file("billion_laughs.xml");
  big.insert(big.find("<newsItem"), std::string(1 << 20, ' '));
  Decoder d;
  Article a;
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(d.decode(big, a) == DecodeError::xml_dtd);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
}

TEST_CASE("newsml: the new reasons have stable names", "[decode][newsml]") {
  CHECK(to_string(DecodeError::not_xml) == "not_xml");
  CHECK(to_string(DecodeError::not_newsml) == "not_newsml");
  CHECK(to_string(DecodeError::xml_dtd) == "xml_dtd");
  CHECK(to_string(DecodeError::several_items) == "several_items");
  CHECK(decode_error_count == static_cast<std::size_t>(DecodeError::several_items) + 1);
  for (std::size_t i = 0; i < decode_error_count; ++i) {
    CHECK(to_string(static_cast<DecodeError>(i)) != "unknown");
  }
}

TEST_CASE("newsml: split_newsml gives one standalone record per item", "[decode][newsml]") {
  std::vector<std::string> items{"kept"};
  REQUIRE(split_newsml(newsml_file("message.xml"), items) == DecodeError::ok);
  REQUIRE(items.size() == 4);  // appended
  Decoder d;
  Article a;
  const char* ids[] = {"urn:newshound:test:newsml:msg-1", "urn:newshound:test:newsml:msg-2",
                       "urn:newshound:test:newsml:msg-3"};
  const PubStatus statuses[] = {PubStatus::usable, PubStatus::withheld, PubStatus::canceled};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(items[i + 1]);
    // The message's default namespace is carried onto each item.
    CHECK(items[i + 1].find("xmlns=\"http://iptc.org/std/nar/2006-10-01/\"") != std::string::npos);
    REQUIRE(d.decode(items[i + 1], a) == DecodeError::ok);
    CHECK(a.id == ids[i]);
    CHECK(a.pubstatus == statuses[i]);
    CHECK(a.headline_path.form == TextPath::Form::pointer);
  }
  CHECK(a.headline == "Library extends its evening hours");

  // Prefixed names: the prefix's declaration travels too.
  items.clear();
  REQUIRE(split_newsml(newsml_file("message_one.xml"), items) == DecodeError::ok);
  REQUIRE(items.size() == 1);
  CHECK(items[0].find("xmlns:nar=") != std::string::npos);
  REQUIRE(d.decode(items[0], a) == DecodeError::ok);
  CHECK(a.id == "urn:newshound:test:newsml:single");

  // A newsItem is its own record, unchanged; refusals leave `items` alone.
  items.clear();
  const std::string item = newsml_file("full_item.xml");
  REQUIRE(split_newsml(item, items) == DecodeError::ok);
  REQUIRE(items.size() == 1);
  CHECK(items[0] == item);
  CHECK(split_newsml(newsml_file("billion_laughs.xml"), items) == DecodeError::xml_dtd);
  CHECK(split_newsml(newsml_file("not_newsml.xml"), items) == DecodeError::not_newsml);
  CHECK(split_newsml(newsml_file("malformed.xml"), items) == DecodeError::not_xml);
  CHECK(items.size() == 1);
}

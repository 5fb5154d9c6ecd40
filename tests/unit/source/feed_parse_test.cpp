// Tests: the feed parsers (feed_parse.hpp) on fixtures written for the project
// (tests/fixtures/feeds/): RSS 2.0, RSS 1.0/RDF, Atom 1.0, OPML, Latin-1, an
// entity bomb; dates; and the ninjs record an item becomes.
#include <catch2/catch.hpp>
#include <filesystem>

#include <fstream>
#include <sstream>
#include <string>

#include "newshound/source/feed_input.hpp"
#include "newshound/source/feed_parse.hpp"

using namespace newshound;

namespace {
std::string fixture(const std::string& name) {
  std::ifstream in(std::filesystem::path(NEWSHOUND_FIXTURES_DIR) / "feeds" / name,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("feed: RSS 2.0 items, ids, bodies and dates", "[source][feed]") {
  const FeedDocument d = parse_feed(fixture("rss2.xml"));
  REQUIRE(d.error == FeedError::ok);
  CHECK(d.format == "rss");
  CHECK(d.title == "Newshound Test Wire");
  REQUIRE(d.items.size() == 3);
  CHECK(d.skipped == 1);  // the empty <item>
  const FeedItem& a = d.items[0];
  CHECK(a.id == "wire-0001");
  CHECK(a.title == "Acme Corp agrees & signs merger");
  CHECK(a.body == "<p>Acme Corp <b>signed</b> the merger &amp; more.</p>");  // CDATA as is
  CHECK(a.body_html);
  CHECK(a.summary == "Short: Acme <b>merger</b>");  // entities resolved once: HTML
  CHECK(a.link == "http://wire.example.net/a/1");
  CHECK(a.updated == "2026-12-07T09:00:00Z");
  const FeedItem& b = d.items[1];
  CHECK(b.id == "http://wire.example.net/a/2");  // no guid: the link
  CHECK(b.body == "Body of the second item, with an entity: caf\xC3\xA9.");
  CHECK(b.updated == "2026-12-07T11:30:00Z");  // dc:date
  const FeedItem& c = d.items[2];
  CHECK(c.id.rfind("sha:", 0) == 0);           // neither guid nor link: a content hash
  CHECK(c.updated == "2026-12-08T14:15:00Z");  // two-digit year, EST, no seconds
}

TEST_CASE("feed: RSS 1.0 (RDF) items sit beside the channel", "[source][feed]") {
  const FeedDocument d = parse_feed(fixture("rss1.rdf"));
  REQUIRE(d.error == FeedError::ok);
  CHECK(d.format == "rdf");
  REQUIRE(d.items.size() == 1);
  CHECK(d.items[0].id == "http://rdf.example.org/1");  // rdf:about
  CHECK(d.items[0].title == "RDF item one");
  CHECK(d.items[0].updated == "2026-12-07T01:00:00Z");
}

TEST_CASE("feed: Atom 1.0 entries, text constructs and links", "[source][feed]") {
  const FeedDocument d = parse_feed(fixture("atom.xml"));
  REQUIRE(d.error == FeedError::ok);
  CHECK(d.format == "atom");
  REQUIRE(d.items.size() == 2);
  const FeedItem& a = d.items[0];
  CHECK(a.id == "urn:uuid:entry-1");
  CHECK(a.title == "Rates <i>rise</i>");
  CHECK(a.link == "http://atom.example.com/news/1");  // rel="alternate", not self
  CHECK(a.body_html);
  CHECK(a.body.find("<p>The bank <b>raised</b> rates.</p>") != std::string::npos);
  CHECK(a.summary == "The central bank raised rates.");
  CHECK(a.updated == "2026-12-07T08:30:15Z");
  CHECK(a.published == "2026-12-07T08:00:00Z");
  const FeedItem& b = d.items[1];
  CHECK_FALSE(b.body_html);
  CHECK(b.body == "Plain body & text.");
  CHECK(b.link == "http://atom.example.com/news/2");
}

TEST_CASE("feed: a declared ISO-8859-1 document is read as Latin-1", "[source][feed]") {
  const FeedDocument d = parse_feed(fixture("latin1.xml"));
  REQUIRE(d.error == FeedError::ok);
  REQUIRE(d.items.size() == 1);
  CHECK(d.items[0].title == "Caf\xC3\xA9");
}

TEST_CASE("feed: hostile and broken documents are refused cheaply", "[source][feed]") {
  CHECK(parse_feed(fixture("bomb.xml")).error == FeedError::xml_dtd);
  CHECK(parse_feed("<rss><channel><item>").error == FeedError::not_xml);
  CHECK(parse_feed("garbage").error == FeedError::not_xml);
  CHECK(parse_feed("").error == FeedError::not_xml);
  CHECK(parse_feed("<html><body/></html>").error == FeedError::not_a_feed);
  CHECK(parse_feed("<rss>\xFF</rss>").error == FeedError::invalid_utf8);
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  for (int i = 0; i < 5000; ++i) deep += "</a>";
  CHECK(parse_feed("<rss>" + deep + "</rss>").error == FeedError::too_deep);
}

TEST_CASE("feed: OPML outlines, nested folders, duplicates once", "[source][feed]") {
  const OpmlDocument o = parse_opml(fixture("nested.opml"));
  REQUIRE(o.error == FeedError::ok);
  CHECK(o.urls == std::vector<std::string>{"http://wire.example.net/rss.xml",
                                           "http://atom.example.com/feed.atom",
                                           "http://rdf.example.org/index.rdf"});
  CHECK(parse_opml(fixture("rss2.xml")).error == FeedError::not_a_feed);
}

TEST_CASE("feed: dates become RFC 3339 UTC", "[source][feed]") {
  CHECK(normalize_feed_date("Sun, 06 Nov 1994 08:49:37 GMT") == "1994-11-06T08:49:37Z");
  CHECK(normalize_feed_date("6 Nov 1994 08:49:37 -0130") == "1994-11-06T10:19:37Z");
  CHECK(normalize_feed_date("Thu, 31 Dec 2026 23:30:00 -0100") == "2027-01-01T00:30:00Z");
  CHECK(normalize_feed_date("2026-03-01T00:10:00+00:30") == "2026-02-28T23:40:00Z");
  CHECK(normalize_feed_date("2024-02-29 12:00:00Z") == "2024-02-29T12:00:00Z");
  CHECK(normalize_feed_date("2026-12-07") == "2026-12-07T00:00:00Z");
  CHECK(normalize_feed_date("2023-02-29T00:00:00Z").empty());
  CHECK(normalize_feed_date("yesterday").empty());
  CHECK(normalize_feed_date("Mon, 07 Foo 2026 10:00:00 GMT").empty());
  CHECK(normalize_feed_date("2026-12-07T10:00:00+0100 trailing").empty());
}

TEST_CASE("feed: an item becomes one ninjs record", "[source][feed]") {
  FeedItem it;
  it.id = "wire-1";
  it.title = "T \"q\"";
  it.body = "<p>b</p>";
  it.body_html = true;
  it.summary = "s";
  it.link = "http://x/1";
  it.updated = "2026-12-07T09:00:00Z";
  it.published = "2026-12-07T08:00:00Z";
  CHECK(
      feed_record(it, "http://x/rss") ==
      R"({"uri":"wire-1","headline":"T \"q\"","body_html":"<p>b</p>","description_html":"s",)"
      R"("versioncreated":"2026-12-07T09:00:00Z","firstcreated":"2026-12-07T08:00:00Z",)"
      R"("links":[{"href":"http://x/1","rel":"alternate"},{"href":"http://x/rss","rel":"feed"}]})");
}

// Tests (source): an HTTP push body split into records: the Content-Type names
// the format; NDJSON by line (blank lines skipped but counted, CRLF, BOM), a JSON
// array by element (strings with brackets and escapes, nesting, empty, broken,
// trailing garbage), one object, a NewsML-G2 message by item; records over the
// limit are too_large; records keep their bytes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "newshound/source/push_body.hpp"

using namespace newshound;

namespace {
std::vector<std::string> records(const PushRecords& r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.batch.lines.size(); ++i) out.emplace_back(r.batch.line(i));
  return out;
}
using Numbers = std::vector<std::uint32_t>;
using Rejected = std::vector<PushRejected>;
}  // namespace

TEST_CASE("push body: the Content-Type names the format") {
  CHECK(push_format("application/x-ndjson") == PushFormat::ndjson);
  CHECK(push_format("Application/NDJSON; charset=utf-8") == PushFormat::ndjson);
  CHECK(push_format("application/json") == PushFormat::json);
  CHECK(push_format("application/json;charset=UTF-8") == PushFormat::json);
  CHECK(push_format("application/ninjs+json") == PushFormat::json);
  CHECK(push_format("application/vnd.iptc.g2.newsitem+xml") == PushFormat::xml);
  CHECK(push_format("application/xml") == PushFormat::xml);
  CHECK(push_format("text/xml; charset=utf-8") == PushFormat::xml);
  CHECK(push_format("") == PushFormat::unknown);
  CHECK(push_format("text/plain") == PushFormat::unknown);
  CHECK(push_format("application/x-www-form-urlencoded") == PushFormat::unknown);
  CHECK(push_format("multipart/form-data; boundary=x") == PushFormat::unknown);
}

TEST_CASE("push body: NDJSON is split by line, blank lines skipped but counted") {
  const std::string body = "\xEF\xBB\xBF{\"a\":1}\r\n\n  \n{\"b\":\"x\\ny\"}\n{\"c\":3}";
  const PushRecords r = split_push_body(PushFormat::ndjson, body, 1 << 20);
  CHECK(records(r) == std::vector<std::string>{"{\"a\":1}", "{\"b\":\"x\\ny\"}", "{\"c\":3}"});
  CHECK(r.numbers == Numbers{1, 4, 5});
  CHECK(r.rejected.empty());
  CHECK(split_push_body(PushFormat::ndjson, "", 100).batch.lines.empty());
}

TEST_CASE("push body: a record over the limit is rejected as too_large, the others kept") {
  const std::string big = "{\"body_text\":\"" + std::string(200, 'x') + "\"}";
  const PushRecords r = split_push_body(PushFormat::ndjson, "{}\n" + big + "\n{}\n", 100);
  CHECK(r.numbers == Numbers{1, 3});
  CHECK(r.rejected == Rejected{{2, "too_large"}});
  const PushRecords a = split_push_body(PushFormat::json, "[" + big + ",{}]", 100);
  CHECK(a.numbers == Numbers{2});
  CHECK(a.rejected == Rejected{{1, "too_large"}});
}

TEST_CASE("push body: a JSON array is split by element, bytes kept") {
  const std::string body =
      " [ {\"h\":\"a ] , [ } \\\" {\"} ,\n{\"n\":{\"x\":[1,2,{\"y\":\"]\"}]}}, 7 ,\"s\"] \n";
  const PushRecords r = split_push_body(PushFormat::json, body, 1 << 20);
  CHECK(records(r) == std::vector<std::string>{"{\"h\":\"a ] , [ } \\\" {\"}",
                                               "{\"n\":{\"x\":[1,2,{\"y\":\"]\"}]}}", "7",
                                               "\"s\""});
  CHECK(r.numbers == Numbers{1, 2, 3, 4});
  CHECK(r.rejected.empty());
}

TEST_CASE("push body: empty, broken and trailing JSON arrays") {
  CHECK(split_push_body(PushFormat::json, "[]", 100).batch.lines.empty());
  CHECK(split_push_body(PushFormat::json, "[ \n ]", 100).rejected.empty());
  // An empty element, a missing close, garbage after the close.
  const PushRecords holes = split_push_body(PushFormat::json, "[{},,{}]", 100);
  CHECK(holes.numbers == Numbers{1, 3});
  CHECK(holes.rejected == Rejected{{2, "not_json"}});
  const PushRecords trailing_comma = split_push_body(PushFormat::json, "[{},]", 100);
  CHECK(trailing_comma.numbers == Numbers{1});
  CHECK(trailing_comma.rejected == Rejected{{2, "not_json"}});
  const PushRecords open = split_push_body(PushFormat::json, "[{}, {\"a\": [1, 2", 100);
  CHECK(open.numbers == Numbers{1});
  CHECK(open.rejected == Rejected{{2, "not_json"}});
  const PushRecords garbage = split_push_body(PushFormat::json, "[{}] x", 100);
  CHECK(garbage.numbers == Numbers{1});
  CHECK(garbage.rejected == Rejected{{2, "not_json"}});
  // An unterminated string swallows the rest: one broken element, never a crash.
  const PushRecords quote = split_push_body(PushFormat::json, "[\"abc, {}]", 100);
  CHECK(quote.batch.lines.empty());
  CHECK(quote.rejected == Rejected{{1, "not_json"}});
  const PushRecords escape = split_push_body(PushFormat::json, "[\"\\", 100);
  CHECK(escape.rejected == Rejected{{1, "not_json"}});
}

TEST_CASE("push body: one JSON object is one record, an empty body is not_json") {
  const PushRecords r = split_push_body(PushFormat::json, "\n {\"uri\":\"x\"}\n", 100);
  CHECK(records(r) == std::vector<std::string>{"{\"uri\":\"x\"}"});
  CHECK(r.numbers == Numbers{1});
  const PushRecords empty = split_push_body(PushFormat::json, " \n", 100);
  CHECK(empty.batch.lines.empty());
  CHECK(empty.rejected == Rejected{{1, "not_json"}});
}

TEST_CASE("push body: a NewsML-G2 message is split by item, a refused document whole") {
  const std::string message =
      "<?xml version='1.0'?><newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'><itemSet>"
      "<newsItem guid='a'><contentMeta><headline>One</headline></contentMeta></newsItem>"
      "<newsItem guid='b'><contentMeta><headline>Two</headline></contentMeta></newsItem>"
      "</itemSet></newsMessage>";
  const PushRecords r = split_push_body(PushFormat::xml, message, 1 << 20);
  REQUIRE(r.batch.lines.size() == 2);
  CHECK(r.numbers == Numbers{1, 2});
  CHECK(records(r)[1].find("guid=\"b\"") != std::string::npos);
  const std::string item = "<newsItem guid='x'><contentMeta/></newsItem>";
  CHECK(records(split_push_body(PushFormat::xml, item, 1 << 20)) == std::vector<std::string>{item});
  const PushRecords dtd =
      split_push_body(PushFormat::xml, "<!DOCTYPE newsItem [<!ENTITY a 'b'>]><newsItem/>", 1000);
  CHECK(dtd.batch.lines.empty());
  CHECK(dtd.rejected == Rejected{{1, "xml_dtd"}});
  CHECK(split_push_body(PushFormat::xml, "{\"not\":\"xml\"}", 1000).rejected ==
        Rejected{{1, "not_xml"}});
  CHECK(split_push_body(PushFormat::xml, "<rss/>", 1000).rejected == Rejected{{1, "not_newsml"}});
}

// Tests (source): a dropped file cut into records by content: one JSON document
// over many lines, NDJSON, XML handed through whole, whitespace and a BOM around
// them, and a document that never closes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "newshound/source/record_splitter.hpp"

using namespace newshound;

namespace {
std::vector<std::string> texts(std::string_view content) {
  std::vector<std::string> out;
  for (const FileRecord& r : split_records(content))
    out.emplace_back(content.substr(r.offset, r.length));
  return out;
}
}  // namespace

TEST_CASE("record splitter: a pretty-printed JSON document is one record") {
  const std::string doc =
      "{\n  \"guid\": \"a\",\n  \"headline\": \"x {y} [z]\",\n  \"body\": \"}\\\"\"\n}";
  CHECK(texts(doc) == std::vector<std::string>{doc});
  CHECK(texts("\n\n  " + doc + "\n\n") == std::vector<std::string>{doc});
  CHECK(split_records("\n\n" + doc).at(0).line == 3);
}

TEST_CASE("record splitter: NDJSON gives one record per non-blank line") {
  const std::string a = R"({"guid":"a","headline":"one"})", b = R"({"guid":"b","headline":"two"})";
  CHECK(texts(a + "\n" + b + "\n") == std::vector<std::string>{a, b});
  CHECK(texts(a + "\r\n\r\n  \n" + b) == std::vector<std::string>{a, b});
  const auto records = split_records(a + "\n\n" + b + "\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 1);
  CHECK(records[1].line == 3);
  // A bad line among good ones is its own record: the decoder refuses only it.
  CHECK(texts(a + "\nnot json\n" + b) == std::vector<std::string>{a, "not json", b});
}

TEST_CASE("record splitter: XML is one record, handed through unchanged") {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<newsItem guid=\"x\">\n  <headline>{a}</headline>\n</newsItem>\n";
  CHECK(texts(xml) == std::vector<std::string>{xml});
  CHECK(texts("\xEF\xBB\xBF  " + xml) == std::vector<std::string>{xml});
}

TEST_CASE("record splitter: nothing, a BOM, and documents that never close") {
  CHECK(split_records("").empty());
  CHECK(split_records(" \n\t\r\n").empty());
  CHECK(texts("\xEF\xBB\xBF{\"a\":1}") == std::vector<std::string>{"{\"a\":1}"});
  // Truncated: one record, so the decoder reports one reason, not one per line.
  CHECK(texts("{\n \"a\": [1,\n 2\n") == std::vector<std::string>{"{\n \"a\": [1,\n 2"});
  CHECK(texts("{\"a\": \"unterminated\n}") ==
        std::vector<std::string>{"{\"a\": \"unterminated\n}"});
  // A scalar or a lone string: one record (the decoder says it is not an object).
  CHECK(texts("42") == std::vector<std::string>{"42"});
  CHECK(texts("\"x\"\n") == std::vector<std::string>{"\"x\""});
}

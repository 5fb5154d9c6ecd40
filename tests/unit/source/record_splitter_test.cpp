// Tests (source): a dropped file cut into records by content: one JSON document
// over many lines, a JSON array by element, NDJSON, XML handed through whole,
// whitespace and a BOM around them, and documents that never close; the JSON array
// splitter the HTTP push shares.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
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

TEST_CASE("record splitter: a NewsML-G2 message with several items gives one record each") {
  std::ifstream in(std::filesystem::path(NEWSHOUND_FIXTURES_DIR) / "newsml" / "message.xml",
                   std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(content.find("msg-3") != std::string::npos);
  const auto records = split_file(content);
  REQUIRE(records.size() == 3);
  for (int i = 0; i < 3; ++i) {
    const std::string item = content.substr(records[i].offset, records[i].length);
    INFO(item);
    CHECK(item.rfind("<newsItem", 0) == 0);  // a standalone item document each
    CHECK(item.find("msg-" + std::to_string(i + 1)) != std::string::npos);
    CHECK(item.find("msg-" + std::to_string((i + 1) % 3 + 1)) == std::string::npos);
  }
  // One newsItem, NDJSON and broken XML are left as split_records() cuts them.
  std::string ndjson = "{\"guid\":\"a\"}\n{\"guid\":\"b\"}\n";
  CHECK(split_file(ndjson).size() == 2);
  std::string broken = "<newsMessage><itemSet><newsItem>";
  const auto whole = split_file(broken);
  REQUIRE(whole.size() == 1);
  CHECK(broken == "<newsMessage><itemSet><newsItem>");
}

TEST_CASE("record splitter: a JSON array gives one record per element, on its line") {
  const std::string a = "{\n  \"uri\": \"a\", \"h\": \"x ] , [ } \\\" {\"\n}";
  const std::string b = R"({"uri":"b","n":[1,{"y":"]"}]})";
  const std::string file = "\xEF\xBB\xBF\n[\n  " + a + ",\n\n  " + b + "\n]\n";
  CHECK(texts(file) == std::vector<std::string>{a, b});
  const auto records = split_records(file);
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 3);
  CHECK(records[1].line == 7);
  CHECK(texts("[" + b + "]") == std::vector<std::string>{b});
  // Elements that are not objects are records too: the decoder refuses them.
  CHECK(texts("[1, \"s\", " + b + "]") == std::vector<std::string>{"1", "\"s\"", b});
  // No element: no record (the file is then failed as empty).
  CHECK(split_records("[]").empty());
  CHECK(split_records(" [ \n ] \n").empty());
}

TEST_CASE("record splitter: a broken JSON array stays one record for the decoder") {
  const std::string b = R"({"uri":"b"})";
  // An empty element, a trailing comma: one record, refused whole.
  CHECK(texts("[" + b + ",," + b + "]") == std::vector<std::string>{"[" + b + ",," + b + "]"});
  CHECK(texts("[" + b + ",]") == std::vector<std::string>{"[" + b + ",]"});
  // Never closed.
  CHECK(texts("[" + b + ",\n" + b) == std::vector<std::string>{"[" + b + ",\n" + b});
  // Arrays one per line are NDJSON lines (each refused by the decoder as not an object).
  CHECK(texts("[" + b + "]\n[" + b + "]\n") ==
        std::vector<std::string>{"[" + b + "]", "[" + b + "]"});
}

TEST_CASE("split_json_array: elements, end and an unclosed array") {
  const std::string text = "[ 1 ,\n{\"a\":\"]\"} , [2,3] ] tail";
  const JsonArray a = split_json_array(text);
  CHECK(a.closed);
  CHECK(text.substr(a.end) == " tail");
  REQUIRE(a.elements.size() == 3);
  CHECK(text.substr(a.elements[0].offset, a.elements[0].length) == "1");
  CHECK(text.substr(a.elements[1].offset, a.elements[1].length) == "{\"a\":\"]\"}");
  CHECK(text.substr(a.elements[2].offset, a.elements[2].length) == "[2,3]");
  const JsonArray empty_element = split_json_array("[1,,2]");
  CHECK(empty_element.closed);
  REQUIRE(empty_element.elements.size() == 3);
  CHECK(empty_element.elements[1].length == 0);
  const JsonArray open = split_json_array("[1, {\"x\": 2");
  CHECK_FALSE(open.closed);
  CHECK(open.elements.size() == 1);
  CHECK(split_json_array("[]").elements.empty());
  CHECK(split_json_array("[]").closed);
  CHECK_FALSE(split_json_array("[").closed);
}

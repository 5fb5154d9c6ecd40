// Stage: encode tests. JsonWriter writes byte for byte what Boost.JSON serializes
// for the same values, as the alert encoder used it before (a string that is not
// valid UTF-8 made valid by utf8::append_valid() first): hostile strings (every
// control character, quotes, backslashes, DEL, U+2028/U+2029, invalid and edge
// UTF-8), random bytes, and nested objects, arrays, numbers and nulls.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "newshound/encode/json_writer.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

/// What the Boost.JSON encoder wrote for a string value.
std::string boost_string(std::string_view s) {
  std::string fixed(s);
  if (!utf8::is_valid(s)) {
    fixed.clear();
    utf8::append_valid(fixed, s);
  }
  return json::serialize(json::value(json::string(json::string_view(fixed.data(), fixed.size()))));
}

std::string writer_string(std::string_view s) {
  std::string out, scratch;
  append_json_string(out, s, scratch);
  return out;
}

std::vector<std::string> hostile_strings() {
  std::vector<std::string> v = {
      "",
      "plain",
      "\"quoted\"",
      "back\\slash\\",
      "\\\"",
      "/slash/",
      "\x7f del",
      "line\xE2\x80\xA8sep\xE2\x80\xA9para",  // U+2028, U+2029
      "caf\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x98\x80",
      "\xEF\xBB\xBF bom",
      "\xF4\x8F\xBF\xBF max",       // U+10FFFF
      "\xF4\x90\x80\x80 past max",  // > U+10FFFF
      "\xC0\x80 overlong nul",
      "\xE0\x80\xAF overlong slash",
      "\xED\xA0\x80 surrogate",
      "\xED\x9F\xBF before surrogates",
      "\x80 lone continuation",
      "\xC3 truncated",
      "truncated at end \xE2\x82",
      "\xFF\xFE",
      "\xF8\x88\x80\x80\x80",
      std::string("nul\0inside", 10),
      "&lt;tag&gt; <b>\"x\"</b>",
  };
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  v.push_back(controls);
  for (int c = 0; c < 0x20; ++c) v.push_back(std::string(1, static_cast<char>(c)) + "x\"\\");
  return v;
}

}  // namespace

TEST_CASE("json writer: strings escape as Boost.JSON serializes them", "[encode][json]") {
  for (const std::string& s : hostile_strings()) {
    INFO("string: " << json::serialize(json::value(json::string(s))));
    CHECK(writer_string(s) == boost_string(s));
  }
}

TEST_CASE("json writer: random bytes escape as Boost.JSON serializes them", "[encode][json]") {
  std::mt19937 rng(20261207);
  // Bytes drawn mostly from the interesting ones: controls, quote, backslash, the
  // lead and continuation bytes of UTF-8 and bytes that are never valid.
  static constexpr char kAlphabet[] =
      "\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x1f\x20\"\\/aZ\x7f\x80\xbf\xc0\xc2\xc3\xdf\xe0\xe2\xed"
      "\xef\xf0\xf4\xf5\xfe\xff";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);  // with its NUL
  std::uniform_int_distribution<std::size_t> len(0, 24), pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> any(0, 255), coin(0, 3);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const std::size_t n = len(rng);
    for (std::size_t i = 0; i < n; ++i)
      s += coin(rng) == 0 ? static_cast<char>(any(rng)) : alphabet[pick(rng)];
    const std::string mine = writer_string(s), theirs = boost_string(s);
    if (mine != theirs) {
      INFO("string: " << theirs);
      REQUIRE(mine == theirs);
    }
  }
}

TEST_CASE("json writer: objects, arrays, numbers and null as Boost.JSON", "[encode][json]") {
  std::string out, scratch;
  JsonWriter w(out, scratch);
  w.begin_object();
  w.key("id");
  w.string("a\"b");
  w.key("empty");
  w.begin_array();
  w.end_array();
  w.key("none");
  w.begin_object();
  w.end_object();
  w.key("n");
  w.number(0);
  w.key("big");
  w.number(UINT64_MAX);
  w.key("null");
  w.null();
  w.key("maybe");
  w.string_or_null("");
  w.key("list");
  w.begin_array();
  w.string("x");
  w.number(7);
  w.begin_object();
  w.key("k\n");
  w.string_or_null("v");
  w.end_object();
  w.raw("[1,2]");
  w.null();
  w.end_array();
  w.key("after");
  w.string("\xE2\x80\xA8");
  w.end_object();

  json::object o;
  o.emplace("id", "a\"b");
  o.emplace("empty", json::array());
  o.emplace("none", json::object());
  o.emplace("n", std::uint64_t{0});
  o.emplace("big", std::uint64_t{UINT64_MAX});
  o.emplace("null", nullptr);
  o.emplace("maybe", nullptr);
  json::array list;
  list.emplace_back("x");
  list.emplace_back(std::uint64_t{7});
  json::object inner;
  inner.emplace("k\n", "v");
  list.emplace_back(std::move(inner));
  list.emplace_back(json::array{1, 2});
  list.emplace_back(nullptr);
  o.emplace("list", std::move(list));
  o.emplace("after", "\xE2\x80\xA8");
  CHECK(out == json::serialize(o));
}

TEST_CASE("json writer: reused buffers stop allocating", "[encode][json]") {
  std::string out, scratch;
  for (int round = 0; round < 3; ++round) {
    out.clear();
    JsonWriter w(out, scratch);
    w.begin_array();
    w.string("caf\xC3 invalid");
    w.end_array();
  }
  const auto* data = out.data();
  const auto* scratch_data = scratch.data();
  out.clear();
  JsonWriter w(out, scratch);
  w.begin_array();
  w.string("caf\xC3 invalid");
  w.end_array();
  CHECK(out.data() == data);
  CHECK(scratch.data() == scratch_data);
  CHECK(out == "[\"caf\xEF\xBF\xBD invalid\"]");
}

TEST_CASE("json writer: plain keys and strings write what key() and string() write",
          "[encode][json]") {
  std::string a, b, scratch;
  JsonWriter plain(a, scratch), checked(b, scratch);
  plain.begin_object();
  checked.begin_object();
  for (const char* k : {"text", "field", "start", "kind", "a/b~c 1", ""}) {
    plain.plain_key(k);
    checked.key(k);
    plain.plain_string(k);
    checked.string(k);
  }
  plain.plain_key("list");
  checked.key("list");
  plain.begin_array();
  checked.begin_array();
  plain.plain_string("entity");
  checked.string("entity");
  plain.plain_string("topic");
  checked.string("topic");
  plain.end_array();
  checked.end_array();
  plain.end_object();
  checked.end_object();
  CHECK(a == b);
  CHECK(json::serialize(json::parse(a)) == a);
}

TEST_CASE("json writer: valid_string writes what string() writes for valid UTF-8",
          "[encode][json]") {
  for (const std::string& s : hostile_strings()) {
    if (!utf8::is_valid(s)) continue;
    std::string a, b, scratch;
    JsonWriter(a, scratch).valid_string(s);
    JsonWriter(b, scratch).string(s);
    CHECK(a == b);
    CHECK(a == boost_string(s));
  }
  // Every length around the 16-byte blocks, the byte to escape at every place.
  for (std::size_t n = 0; n <= 40; ++n) {
    for (std::size_t at = 0; at <= n; ++at) {
      std::string s(n, 'a');
      if (at < n) s[at] = (at % 2 == 0) ? '"' : '\n';
      std::string a, scratch;
      JsonWriter(a, scratch).valid_string(s);
      CHECK(a == boost_string(s));
    }
  }
}

TEST_CASE("json writer: copy_members repeats members already written, as new members",
          "[encode][json]") {
  std::string a, b, scratch;
  JsonWriter w(a, scratch), ref(b, scratch);
  for (JsonWriter* x : {&w, &ref}) {
    x->begin_object();
    x->plain_key("entity");
    x->string("x\"y");
  }
  const std::size_t at = w.size() + 1;  // past the ',' before "text"
  for (JsonWriter* x : {&w, &ref}) {
    x->plain_key("text");
    x->string("New \\ York");
    x->plain_key("start");
    x->number(12);
    x->plain_key("spans");
    x->begin_array();
    x->begin_object();
  }
  const std::size_t len = a.find(",\"spans\"") - at;
  a.shrink_to_fit();  // the copy from the buffer to itself must survive its growth
  w.copy_members(at, len);
  ref.plain_key("text");
  ref.string("New \\ York");
  ref.plain_key("start");
  ref.number(12);
  for (JsonWriter* x : {&w, &ref}) {
    x->plain_key("path");
    x->plain_string("/body_text");
    x->end_object();
    x->end_array();
    x->end_object();
  }
  CHECK(a == b);
  CHECK(json::serialize(json::parse(a)) == a);
}

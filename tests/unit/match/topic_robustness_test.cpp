// Tests, stage match: the topic parser and loader never crash on hostile input.
// Deterministic pseudo-random queries built from the language's own tokens and
// from raw bytes; every failure must come with a message and an in-range offset,
// and every success must print a canonical form that parses to itself.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "newshound/match/topic_file.hpp"
#include "newshound/match/topic_query.hpp"

namespace newshound {
namespace {

struct Lcg {
  std::uint64_t s;
  std::uint32_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s >> 33);
  }
};

TEST_CASE("random token soup parses or fails cleanly", "[topics][robustness]") {
  static const char* const kTokens[] = {
      "a",   "NATO", "Édouard", "\"b c\"", "“d e”",     "(",           ")",        ",",
      "AND", "OR",   "NOT",     "NEAR/2",  "ONEAR/1",   "ATLEAST",     "2",        "sanc*",
      "ab*", "*",    "lead:(",  "body:(",  "headline:", "@people/X Y", "@l/\"Q\"", "\"",
      "and", "U.S.", "\\",      "#x",      "—",         "NEAR/0",      "x:y",      "@"};
  constexpr std::size_t kCount = sizeof kTokens / sizeof kTokens[0];
  Lcg rng{42};
  int ok = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::uint32_t len = 1 + rng.next() % 12;
    for (std::uint32_t i = 0; i < len; ++i) {
      if (i > 0 && rng.next() % 4 != 0) text += ' ';
      text += kTokens[rng.next() % kCount];
    }
    TopicQuery q;
    QueryError err;
    if (parse_query(text, q, err)) {
      ++ok;
      const std::string canon = q.to_string();
      TopicQuery again;
      QueryError err2;
      INFO(text << " -> " << canon);
      REQUIRE(parse_query(canon, again, err2));
      CHECK(again.to_string() == canon);
    } else {
      INFO(text);
      CHECK_FALSE(err.message.empty());
      CHECK(err.offset <= text.size());
    }
  }
  CHECK(ok > 500);  // the generator does exercise valid queries
}

TEST_CASE("random bytes through the file loader", "[topics][robustness]") {
  Lcg rng{7};
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const std::uint32_t len = rng.next() % 200;
    for (std::uint32_t i = 0; i < len; ++i) {
      const std::uint32_t r = rng.next() % 10;
      text += r == 0 ? '\n' : r == 1 ? ':' : r == 2 ? '\\' : static_cast<char>(rng.next() & 0xFF);
    }
    TopicFile tf;
    Diagnostics diags;
    parse_topics(text, "r.topics", tf, diags);
    for (const auto& d : diags) {
      CHECK(d.line >= 1);
      CHECK(!d.message.empty());
      (void)render_diagnostic(d, text);
    }
  }
}

}  // namespace
}  // namespace newshound

// Tests, stage match: the `.topics` file loader. Comments, blank lines, `\`
// continuation, duplicate and malformed ids, and diagnostics that point at the
// original file line and character column even after continuation; the caret
// rendering used by `newshound check`.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "newshound/match/topic_file.hpp"

namespace newshound {
namespace {

std::string topics_fixture(const std::string& name) {
  return std::string(NEWSHOUND_FIXTURES_DIR) + "/topics/" + name;
}

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(d.format());
  return out;
}

TEST_CASE("a clean topics file loads every topic", "[topics][file]") {
  Diagnostics diags;
  const TopicFile tf = load_topics(topics_fixture("security.topics"), diags);
  CHECK(formatted(diags) == std::vector<std::string>{});
  CHECK(tf.name == "security");
  REQUIRE(tf.topics.size() == 5);
  CHECK(tf.topics[0].id == "security-guarantees");
  CHECK(tf.topics[0].line == 4);
  CHECK(tf.topics[0].query.to_string() ==
        "(\"security guarantees\" AND (NATO OR alliance) AND (NOT sport*))");
  CHECK(tf.topics[1].id == "sanctions.eu");
  CHECK(tf.topics[1].line == 5);
  CHECK(tf.topics[1].query.to_string() ==
        "(sanction* AND (EU OR \"european union\") AND (NOT headline:(football OR \"champions "
        "league\")))");
  CHECK(tf.topics[2].id == "lavrov_wang");
  CHECK(tf.topics[2].query.to_string() == "(@people/Sergey Lavrov NEAR/10 @people/Wang Yi)");
  CHECK(tf.topics[3].query.to_string() ==
        "(ATLEAST 2 (patriot, \"air defence\", interceptor*) AND lead:(kyiv OR kiev))");
  CHECK(tf.topics[4].id == "ceasefire");
}

TEST_CASE("node positions map back through continuation lines", "[topics][file]") {
  Diagnostics diags;
  const TopicFile tf = load_topics(topics_fixture("security.topics"), diags);
  REQUIRE(tf.topics.size() == 5);
  const TopicDef& t = tf.topics[1];  // continued over lines 5 and 6
  const QueryNode& root = t.query.node(t.query.root);
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  t.position(t.query.node(root.children[0]).offset, line, col);
  CHECK(line == 5);
  CHECK(col == 15);  // "sanction*" after "sanctions.eu: "
  t.position(t.query.node(root.children[2]).offset, line, col);
  CHECK(line == 6);
  CHECK(col == 9);  // the NOT on the continuation line
}

TEST_CASE("each broken topic is one diagnostic at the right place", "[topics][file]") {
  Diagnostics diags;
  const TopicFile tf = load_topics(topics_fixture("broken.topics"), diags);
  const std::string f = topics_fixture("broken.topics");
  REQUIRE(tf.topics.size() == 1);
  CHECK(tf.topics[0].id == "good");
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            f + ":3:1: expected 'topic-id: query': add a ':' after the topic id",
            f + ":4:4: topic id 'bad id' may only contain letters A-Z a-z, digits, '_', '.' and "
                "'-': rename it",
            f + ":5:1: duplicate topic id 'good' (first defined on line 2): rename one of them",
            f + ":6:6: topic 'empty' has no query: write one after the ':'",
            f + ":7:13: unclosed '(': add a matching ')'",
            f + ":10:3: wildcard 'sa*' is too short: write at least 3 letters before '*'",
            f + ":11:11: this topic can never match: it only says what an article must not "
                "contain here; add a term it must contain (e.g. a AND NOT b)",
        });
}

TEST_CASE("comments, blank lines, CRLF, BOM and character columns", "[topics][file]") {
  TopicFile tf;
  Diagnostics diags;
  const std::string text =
      "\xEF\xBB\xBF# comment\r\n\r\n  \t\r\n"
      "lavrov: Lavrov's \"Édouard\" \\\r\n"
      "   “talks” ()\r\n";
  parse_topics(text, "t.topics", tf, diags);
  CHECK(tf.topics.empty());
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "t.topics:5:12: empty parentheses: put a term inside or remove them"});
}

TEST_CASE("a line starting with a colon has no topic id", "[topics][file]") {
  TopicFile tf;
  Diagnostics diags;
  parse_topics("  : NATO\n", "t.topics", tf, diags);
  CHECK(tf.topics.empty());
  CHECK(formatted(diags) ==
        std::vector<std::string>{"t.topics:1:3: missing topic id: write 'topic-id: query'"});
}

TEST_CASE("a hashtag after the colon is a term, not a comment", "[topics][file]") {
  TopicFile tf;
  Diagnostics diags;
  parse_topics("metoo: #MeToo\n", "t.topics", tf, diags);
  CHECK(diags.empty());
  REQUIRE(tf.topics.size() == 1);
  CHECK(tf.topics[0].query.to_string() == "#metoo");
}

TEST_CASE("invalid UTF-8, continuation at end of file, unreadable file", "[topics][file]") {
  TopicFile tf;
  Diagnostics diags;
  parse_topics("ok: a\nbad: caf\xC3 b\nlast: x \\\n", "t.topics", tf, diags);
  CHECK(tf.topics.size() == 1);
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "t.topics:2:9: invalid UTF-8: save the file as UTF-8 (line skipped)",
            "t.topics:3:1: line continuation '\\' on the last line: remove it or add the next "
            "line"});

  Diagnostics d2;
  const TopicFile none = load_topics(topics_fixture("no-such.topics"), d2);
  CHECK(none.topics.empty());
  REQUIRE(d2.size() == 1);
  CHECK(d2[0].message.find("cannot read topics file") == 0);
}

TEST_CASE("diagnostics render the line with a caret under the column", "[topics][file]") {
  const std::string text = "a: x\n\tt2: “Édouard” AND )\n";
  TopicFile tf;
  Diagnostics diags;
  parse_topics(text, "f.topics", tf, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].col == 20);
  CHECK(render_diagnostic(diags[0], text) ==
        "f.topics:2:20: unexpected ')': AND needs a term, phrase or (group) before the ')'\n"
        "\tt2: “Édouard” AND )\n"
        "\t                  ^");
  const Diagnostic no_line{"f.topics", 0, 0, "cannot read"};
  CHECK(render_diagnostic(no_line, text) == "f.topics: cannot read");
  const Diagnostic past_end{"f.topics", 9, 1, "x"};
  CHECK(render_diagnostic(past_end, text) == "f.topics:9:1: x");
}

}  // namespace
}  // namespace newshound

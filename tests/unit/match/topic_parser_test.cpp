// Tests, stage match: the topic query parser. Every operator, precedence,
// adjacency, proximity operands, wildcards, field scopes, ATLEAST, @references,
// the canonical printer, and every error message with its exact column.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/match/topic_file.hpp"
#include "newshound/match/topic_query.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::query_canon;

TopicQuery parsed(const std::string& text) {
  TopicQuery q;
  QueryError err;
  INFO(text);
  REQUIRE(parse_query(text, q, err));
  return q;
}

TEST_CASE("terms and phrases are folded, acronyms keep their exact text", "[topics][parser]") {
  CHECK(query_canon("Sanctions") == "sanctions");
  CHECK(query_canon("Édouard") == "edouard");
  CHECK(query_canon("\"Security  Guarantees\"") == "\"security guarantees\"");
  CHECK(query_canon("“Security Guarantees”") == "\"security guarantees\"");  // typographic quotes
  CHECK(query_canon("NATO") == "NATO");
  CHECK(query_canon("U.S.") == "U.S.");
  CHECK(query_canon("\"NATO\"") == "\"NATO\"");

  const TopicQuery q = parsed("NATO Nato");
  const QueryNode& acr = q.node(q.node(q.root).children[0]);
  const QueryNode& word = q.node(q.node(q.root).children[1]);
  CHECK(acr.kind == QueryKind::term);
  CHECK(acr.literal == "nato");
  CHECK(acr.exact == "NATO");
  CHECK(word.literal == "nato");
  CHECK(word.exact.empty());
  const TopicQuery p = parsed("\"foreign minister\"");
  CHECK(p.node(p.root).kind == QueryKind::phrase);
  CHECK(p.node(p.root).literal == "foreign minister");
}

TEST_CASE("boolean operators, precedence and adjacency", "[topics][parser]") {
  CHECK(query_canon("a AND b") == "(a AND b)");
  CHECK(query_canon("a OR b") == "(a OR b)");
  CHECK(query_canon("a AND NOT b") == "(a AND (NOT b))");
  CHECK(query_canon("a NOT b") == "(a AND (NOT b))");  // adjacency: NOT b is an operand
  CHECK(query_canon("a b c") == "(a AND b AND c)");
  CHECK(query_canon("a AND b AND c") == "(a AND b AND c)");
  CHECK(query_canon("a OR b AND c") == "(a OR (b AND c))");
  CHECK(query_canon("a AND b OR c") == "((a AND b) OR c)");
  CHECK(query_canon("a b OR c d") == "((a AND b) OR (c AND d))");
  CHECK(query_canon("(a OR b) AND c") == "((a OR b) AND c)");
  CHECK(query_canon("a AND (b AND c)") == "(a AND b AND c)");  // flattened
  CHECK(query_canon("NOT a OR b c") ==
        "error at 1: this topic can never match: it only says what an "
        "article must not contain here; add a term it must contain "
        "(e.g. a AND NOT b)");
  CHECK(query_canon("x AND NOT a OR b") == "((x AND (NOT a)) OR b)");
  CHECK(query_canon("x AND NOT (a OR b)") == "(x AND (NOT (a OR b)))");
  CHECK(query_canon("x AND NOT NOT y") == "(x AND (NOT (NOT y)))");
  CHECK(query_canon("\"security guarantees\" AND (NATO OR alliance) AND NOT sport*") ==
        "(\"security guarantees\" AND (NATO OR alliance) AND (NOT sport*))");
}

TEST_CASE("operators are upper-case keywords only", "[topics][parser]") {
  CHECK(query_canon("war and peace") == "(war AND and AND peace)");
  CHECK(query_canon("a or b") == "(a AND or AND b)");
  CHECK(query_canon("a not b") == "(a AND not AND b)");
  const TopicQuery q = parsed("rock and roll");
  CHECK(q.node(q.node(q.root).children[1]).literal == "and");
}

TEST_CASE("NEAR and ONEAR take terms, phrases and OR-groups", "[topics][parser]") {
  CHECK(query_canon("putin NEAR/5 xi") == "(putin NEAR/5 xi)");
  CHECK(query_canon("putin ONEAR/3 xi") == "(putin ONEAR/3 xi)");
  CHECK(query_canon("\"foreign minister\" NEAR/4 (Lavrov OR Wang)") ==
        "(\"foreign minister\" NEAR/4 (lavrov OR wang))");
  CHECK(query_canon("(a OR \"b c\") ONEAR/2 (d OR eco*)") ==
        "((a OR \"b c\") ONEAR/2 (d OR eco*))");
  CHECK(query_canon("a NEAR/2 b AND c") == "((a NEAR/2 b) AND c)");
  CHECK(query_canon("a NEAR/2 b OR c") == "((a NEAR/2 b) OR c)");
  CHECK(query_canon("NOT a NEAR/2 b") != "");
  CHECK(query_canon("x AND NOT a NEAR/2 b") == "(x AND (NOT (a NEAR/2 b)))");
  CHECK(query_canon("@people/Jens Stoltenberg NEAR/3 NATO") ==
        "(@people/Jens Stoltenberg NEAR/3 NATO)");
  const TopicQuery q = parsed("a ONEAR/7 b");
  CHECK(q.node(q.root).kind == QueryKind::near);
  CHECK(q.node(q.root).n == 7);
  CHECK(q.node(q.root).ordered);
  CHECK_FALSE(parsed("a NEAR/7 b").node(parsed("a NEAR/7 b").root).ordered);
}

TEST_CASE("suffix wildcards", "[topics][parser]") {
  const TopicQuery q = parsed("Sanction*");
  CHECK(q.node(q.root).prefix);
  CHECK(q.node(q.root).literal == "sanction");
  CHECK(q.node(q.root).exact.empty());
  CHECK(query_canon("eco*") == "eco*");
  CHECK(query_canon("Éco*") == "eco*");
}

TEST_CASE("field scopes", "[topics][parser]") {
  CHECK(query_canon("headline:(NATO)") == "headline:(NATO)");
  CHECK(query_canon("body:(a OR b)") == "body:(a OR b)");
  CHECK(query_canon("lead:(\"peace talks\") AND headline:(a b)") ==
        "(lead:(\"peace talks\") AND headline:(a AND b))");
  const TopicQuery q = parsed("lead:(x)");
  CHECK(q.node(q.root).kind == QueryKind::field);
  CHECK(q.node(q.root).scope == QueryScope::lead);
  CHECK(query_canon("time:10") == "time:10");  // a colon in a word is text
}

TEST_CASE("ATLEAST n (a, b, c)", "[topics][parser]") {
  CHECK(query_canon("ATLEAST 2 (tanks, missiles, \"air defence\")") ==
        "ATLEAST 2 (tanks, missiles, \"air defence\")");
  CHECK(query_canon("ATLEAST 1 (a b, c OR d)") == "ATLEAST 1 ((a AND b), (c OR d))");
  CHECK(query_canon("ATLEAST 3 (a, b, c)") == "ATLEAST 3 (a, b, c)");
  CHECK(query_canon("ATLEAST 2 (a, b, NOT c)") == "ATLEAST 2 (a, b, (NOT c))");
  const TopicQuery q = parsed("ATLEAST 2 (a, b, c)");
  CHECK(q.node(q.root).kind == QueryKind::at_least);
  CHECK(q.node(q.root).n == 2);
  CHECK(q.node(q.root).children.size() == 3);
}

TEST_CASE("@list/Canonical Name references", "[topics][parser]") {
  const TopicQuery q = parsed("@people/Jens Stoltenberg AND talks");
  const QueryNode& ref = q.node(q.node(q.root).children[0]);
  CHECK(ref.kind == QueryKind::entity_ref);
  CHECK(ref.literal == "people");
  CHECK(ref.exact == "Jens Stoltenberg");
  CHECK(query_canon("@orgs/\"North Atlantic (Treaty)\"") == "@orgs/\"North Atlantic (Treaty)\"");
  CHECK(query_canon("(@people/Sergey Lavrov OR @people/Wang Yi)") ==
        "(@people/Sergey Lavrov OR @people/Wang Yi)");
}

TEST_CASE("node offsets point at the token", "[topics][parser]") {
  const TopicQuery q = parsed("alpha AND beta*");
  const QueryNode& root = q.node(q.root);
  CHECK(root.offset == 0);
  CHECK(q.node(root.children[1]).offset == 10);
  for (std::size_t i = 0; i < q.nodes.size(); ++i)
    for (auto c : q.nodes[i].children) CHECK(c < i);  // children precede parents
  CHECK(q.root == q.nodes.size() - 1);
}

TEST_CASE("every parse error, with its column", "[topics][parser][errors]") {
  using Catch::Matchers::Equals;
  CHECK(query_canon("") == "error at 1: empty query: write at least one term");
  CHECK(query_canon("   ") == "error at 4: empty query: write at least one term");
  CHECK(query_canon("a )") == "error at 3: unexpected ')': remove it or add a matching '('");
  CHECK(query_canon("(a OR b") == "error at 1: unclosed '(': add a matching ')'");
  CHECK(query_canon("a ()") == "error at 3: empty parentheses: put a term inside or remove them");
  CHECK(query_canon("AND a") ==
        "error at 1: AND needs a term, phrase or (group) before it: add one or remove the AND");
  CHECK(query_canon("a OR") ==
        "error at 3: OR needs a term, phrase or (group) after it: complete or remove it");
  CHECK(query_canon("a AND OR b") ==
        "error at 7: OR cannot follow AND: put a term, phrase or (group) "
        "between them");
  CHECK(query_canon("(a AND) b") ==
        "error at 7: unexpected ')': AND needs a term, phrase or (group) before the ')'");
  CHECK(query_canon("a, b") ==
        "error at 2: ',' is only allowed between the operands of ATLEAST n (a, b, c)");
  CHECK(query_canon("say \"hello world") ==
        "error at 5: unterminated phrase: add the closing '\"'");
  CHECK(query_canon("x “a \"b") == "error at 3: unterminated phrase: add the closing '”'");
  CHECK(query_canon("x “a \"b”") == "(x AND “a \"b”)");  // the other quote style is text
  CHECK(query_canon("a \"\"") == "error at 3: empty phrase: put words between the quotes");
  // A lone combining accent folds to nothing; a dash is a symbol and stays.
  CHECK(query_canon("a \xCC\x81 b") ==
        "error at 3: term '\xCC\x81' has nothing left to match after folding: remove it");
  CHECK(query_canon("a — b") == "(a AND - AND b)");
  CHECK(query_canon("a NEAR b") == "error at 3: NEAR needs a distance in words: write NEAR/5");
  CHECK(query_canon("a ONEAR/x b") == "error at 3: ONEAR needs a distance in words: write ONEAR/5");
  CHECK(query_canon("a NEAR/0 b") ==
        "error at 3: NEAR/0: the distance must be between 1 and 1000 words");
  CHECK(query_canon("a NEAR/1001 b") ==
        "error at 3: NEAR/1001: the distance must be between 1 and 1000 words");
  CHECK(query_canon("NEAR/3 b") ==
        "error at 1: NEAR needs a term, phrase or (a OR b) group before it");
  CHECK(query_canon("a NEAR/3") ==
        "error at 3: NEAR needs a term, phrase or (group) after it: complete or remove it");
  CHECK(query_canon("(a AND b) NEAR/3 c") ==
        "error at 1: NEAR operands must be terms, phrases, @entities or (a OR b) groups: move "
        "AND/NOT/fields outside the NEAR");
  CHECK(query_canon("c ONEAR/3 headline:(a)") ==
        "error at 11: ONEAR operands must be terms, phrases, @entities or (a OR b) groups: move "
        "AND/NOT/fields outside the ONEAR");
  CHECK(query_canon("a NEAR/3 NOT b") ==
        "error at 10: NEAR operands cannot be negated: write (a "
        "NEAR/n b) AND NOT c instead");
  CHECK(query_canon("a NEAR/3 b NEAR/3 c") ==
        "error at 12: NEAR/ONEAR cannot be chained: combine two proximity clauses with AND");
  CHECK(query_canon("sa*") ==
        "error at 1: wildcard 'sa*' is too short: write at least 3 letters "
        "before '*'");
  CHECK(query_canon("x *") ==
        "error at 3: wildcard '*' is too short: write at least 3 letters before '*'");
  CHECK(query_canon("inter\u00A0ceptor*") ==
        "error at 1: wildcard 'inter\u00A0ceptor*' holds a space-like character: a wildcard "
        "applies to one word; remove the space or write a phrase");
  CHECK(query_canon("x sanc*ion") ==
        "error at 3: '*' is only allowed at the end of a term (suffix "
        "wildcard): write sanc*");
  CHECK(query_canon("title:(a)") ==
        "error at 1: unknown field 'title': use headline:(...), body:(...), description:(...) or "
        "lead:(...)");
  CHECK(query_canon("x headline:a") ==
        "error at 3: a field scope needs parentheses right after the "
        "colon: write headline:(...)");
  CHECK(query_canon("x lead: (a)") ==
        "error at 3: a field scope needs parentheses right after the "
        "colon: write lead:(...)");
  CHECK(query_canon("ATLEAST (a, b)") ==
        "error at 1: ATLEAST needs a number: write ATLEAST 2 (a, b, c)");
  CHECK(query_canon("ATLEAST 0 (a, b)") ==
        "error at 9: ATLEAST 0 always holds: use a number of at least 1");
  CHECK(query_canon("ATLEAST 2 a, b") ==
        "error at 11: ATLEAST n needs its operands in parentheses: "
        "write ATLEAST 2 (a, b, c)");
  CHECK(query_canon("ATLEAST 4 (a, b, c)") ==
        "error at 1: ATLEAST 4 can never match: it has only 3 "
        "operands; lower the number or add operands");
  CHECK(query_canon("ATLEAST 2 (a, b") == "error at 11: unclosed '(': add a matching ')'");
  CHECK(query_canon("@people") ==
        "error at 1: entity reference needs a list and a name: write @list/Canonical Name");
  CHECK(query_canon("x @/Name") ==
        "error at 3: entity reference needs a list and a name: write @list/Canonical Name");
  CHECK(query_canon("x @people/ AND y") ==
        "error at 3: entity reference has no name: write @people/Canonical Name");
  CHECK(query_canon("x @people/\"Jens") ==
        "error at 11: unterminated phrase: add the closing '\"'");
  CHECK(query_canon("a NOT") ==
        "error at 3: NOT needs a term, phrase or (group) after it: complete or remove it");

  const std::string never =
      "this topic can never match: it only says what an article must not contain here; add a "
      "term it must contain (e.g. a AND NOT b)";
  CHECK(query_canon("NOT foo") == "error at 1: " + never);
  CHECK(query_canon("NOT foo AND NOT bar") == "error at 1: " + never);
  CHECK(query_canon("a OR NOT b") == "error at 6: " + never);
  CHECK(query_canon("headline:(NOT a)") == "error at 11: " + never);
  CHECK(query_canon("ATLEAST 2 (a, NOT b, NOT c)") == "error at 15: " + never);
  CHECK(query_canon("ATLEAST 2 (a, b, NOT c)") == "ATLEAST 2 (a, b, (NOT c))");  // two anchored
}

TEST_CASE("columns count characters, not bytes", "[topics][parser][errors]") {
  CHECK(query_canon("Édouard “Philippe” ()") ==
        "error at 20: empty parentheses: put a term inside or remove them");
}

/// `n` NOTs in a row before `y`, after "x AND ".
std::string not_chain(int n) {
  std::string s = "x AND ";
  for (int i = 0; i < n; ++i) s += "NOT ";
  return s + "y";
}

TEST_CASE("runaway nesting is an error, not a crash", "[topics][parser][errors]") {
  const std::string deep = std::string(500, '(') + "a" + std::string(500, ')');
  CHECK(query_canon(deep) ==
        "error at 402: query nested too deeply (over 400 brackets and NOTs): simplify it");
  CHECK(query_canon(not_chain(500)).find("over 400 brackets and NOTs") != std::string::npos);
}

TEST_CASE("the depth limit counts operators, not brackets", "[topics][parser][errors]") {
  // Brackets that add no operator do not count, however many.
  CHECK(query_canon(std::string(150, '(') + "a" + std::string(150, ')')) == "a");
  CHECK(query_canon("x AND " + std::string(150, '(') + "NOT y" + std::string(150, ')')) ==
        "(x AND (NOT y))");
  // AND plus 99 NOTs: 100 levels, the most accepted.
  const std::string at_limit = query_canon(not_chain(99));
  CHECK(at_limit.rfind("(x AND (NOT (NOT ", 0) == 0);
  // One more NOT is one level too many: the error points at the 100th NOT
  // (column 7 + 99 * 4), the operator at level 101.
  CHECK(query_canon(not_chain(100)) ==
        "error at 403: query nested too deeply (over 100 levels of operators): simplify it");
  // Nested groups: each AND/OR level counts once, ATLEAST and fields too.
  std::string groups = "a";
  for (int i = 0; i < 100; ++i) groups = (i % 2 == 0 ? "(b OR " : "(c AND ") + groups + ")";
  CHECK(query_canon(groups).rfind("error", 0) != 0);
  CHECK(query_canon("headline:" + groups).find("over 100 levels of operators") !=
        std::string::npos);
  CHECK(query_canon("ATLEAST 1 (" + groups + ")").find("over 100 levels") != std::string::npos);
}

TEST_CASE("a query at the depth limit prints as one that parses back",
          "[topics][parser][regression]") {
  // The printer brackets every NOT: `(x AND (NOT (NOT ... y)))` has about two
  // brackets and NOTs per level in the text, yet the same AST depth.
  for (const std::string& text :
       {not_chain(99), "headline:(" + not_chain(98) + ")", "ATLEAST 1 (" + not_chain(98) + ")"}) {
    const std::string once = query_canon(text);
    INFO(text << " -> " << once);
    REQUIRE(once.rfind("error", 0) != 0);
    CHECK(query_canon(once) == once);
  }
}

TEST_CASE("a topics file reports the depth error at its line and column",
          "[topics][parser][errors]") {
  TopicFile tf;
  Diagnostics diags;
  parse_topics("ok: a AND b\ndeep: " + not_chain(100) + "\n", "t.topics", tf, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].line == 2);
  CHECK(diags[0].col == 7 + 403 - 1);  // "deep: " then the query's column 403
  CHECK(diags[0].message.find("over 100 levels of operators") != std::string::npos);
  REQUIRE(tf.topics.size() == 1);
  CHECK(tf.topics[0].id == "ok");
}

TEST_CASE("canonical form re-parses to itself", "[topics][parser]") {
  for (const char* text :
       {"\"security guarantees\" AND (NATO OR alliance) AND NOT sport*",
        "a b OR c NEAR/3 (d OR \"e f\")", "ATLEAST 2 (x y, z, w OR v)",
        "headline:(a OR b) lead:(c ONEAR/2 d) NOT body:(e)", "@people/Jens Stoltenberg AND U.S."}) {
    const std::string once = query_canon(text);
    INFO(text << " -> " << once);
    CHECK(once.rfind("error", 0) != 0);
    CHECK(query_canon(once) == once);
  }
}

}  // namespace
}  // namespace newshound

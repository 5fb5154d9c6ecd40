// Stage: match. Owns the topic query parser: tokens (topic_lexer) -> TopicQuery (a
// compact AST) with the first error as a value (byte offset + message), the limit on
// the AST's operator depth (kMaxQueryDepth; the parser's own recursion guard is
// kMaxSyntaxDepth), the "can this topic ever be triggered" check, and column_of_offset
// for error reports. The canonical printer TopicQuery::to_string() lives in
// topic_printer.cpp.
//
// Grammar (docs/query-language.md has the EBNF and examples):
//   or_expr  = and_expr { "OR" and_expr }
//   and_expr = unary { ["AND"] unary }          (adjacent operands mean AND)
//   unary    = "NOT" unary | near
//   near     = primary [ ("NEAR/" | "ONEAR/") (n | "s" | "p") primary ]
//   primary  = term | phrase | "(" or_expr ")" | field ":(" or_expr ")"
//            | "ATLEAST" n "(" or_expr { "," or_expr } ")" | "@" list "/" name
//            | "MENTIONS" n "(" or_expr ")" | filter ":" value | filter ":(" values ")"
// (a filter's values are checked in topic_filter_parse.cpp).
//
// Longer than the house's ~400 lines on purpose: one recursive-descent function
// per grammar rule above, calling each other; kept together, the file reads as the
// grammar does.
#include <algorithm>
#include <string>
#include <vector>

#include "newshound/match/rules.hpp"
#include "newshound/match/topic_query.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "topic_lexer.hpp"

namespace newshound {

namespace {

using topic_lex::Tok;
using topic_lex::Token;

class Parser {
 public:
  Parser(const std::vector<Token>& toks, TopicQuery& out, QueryError& err)
      : t_(toks), q_(out), err_(err) {}

  bool run() {
    q_.nodes.clear();
    if (t_.front().kind == Tok::end)
      return fail(t_.front(), "empty query: write at least one term");
    std::uint32_t root = 0;
    if (!or_expr(root, 0)) return false;
    const Token& t = t_[i_];
    if (t.kind == Tok::rparen) return fail(t, "unexpected ')': remove it or add a matching '('");
    if (t.kind == Tok::comma)
      return fail(t, "',' is only allowed between the operands of ATLEAST n (a, b, c)");
    if (t.kind != Tok::end) return fail(t, "unexpected token: check the query syntax");
    q_.root = root;
    return true;
  }

 private:
  bool fail(const Token& t, std::string msg) {
    err_.offset = t.offset;
    err_.message = std::move(msg);
    return false;
  }

  /// The recursion guard: brackets, field scopes, ATLEAST groups and NOTs nested
  /// beyond kMaxSyntaxDepth (only runaway input gets here; the operator depth
  /// limit, checked after parsing, is the one users meet).
  bool too_deep(const Token& t) {
    return fail(t, "query nested too deeply (over " + std::to_string(kMaxSyntaxDepth) +
                       " brackets and NOTs): simplify it");
  }

  std::uint32_t add(QueryNode n) {
    q_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(q_.nodes.size() - 1);
  }

  /// Builds an n-ary And/Or node, flattening children of the same kind.
  std::uint32_t nary(QueryKind kind, std::uint32_t offset, const std::vector<std::uint32_t>& kids) {
    QueryNode n;
    n.kind = kind;
    n.offset = offset;
    for (const auto k : kids) {
      if (q_.nodes[k].kind == kind) {
        const auto grand = q_.nodes[k].children;
        n.children.insert(n.children.end(), grand.begin(), grand.end());
      } else {
        n.children.push_back(k);
      }
    }
    return add(std::move(n));
  }

  static bool starts_operand(Tok k) {
    return k == Tok::word || k == Tok::phrase || k == Tok::lparen || k == Tok::kw_not ||
           k == Tok::kw_atleast || k == Tok::field || k == Tok::entity || k == Tok::meta ||
           k == Tok::kw_mentions;
  }

  static std::string_view name_of(const Token& t) {
    switch (t.kind) {
      case Tok::kw_and:
        return "AND";
      case Tok::kw_or:
        return "OR";
      case Tok::kw_not:
        return "NOT";
      case Tok::kw_near:
        return t.ordered ? "ONEAR" : "NEAR";
      case Tok::kw_atleast:
        return "ATLEAST";
      case Tok::kw_mentions:
        return "MENTIONS";
      default:
        return "";
    }
  }

  /// Error for a missing operand at token `t`, after operator `op`.
  bool missing_operand(const Token& op) {
    const Token& t = t_[i_];
    if (t.kind == Tok::end)
      return fail(op, std::string(name_of(op)) +
                          " needs a term, phrase or (group) after it: complete or remove it");
    if (t.kind == Tok::rparen)
      return fail(t, "unexpected ')': " + std::string(name_of(op)) +
                         " needs a term, phrase or (group) before the ')'");
    if (t.kind == Tok::comma)
      return fail(t, "unexpected ',': " + std::string(name_of(op)) +
                         " needs a term, phrase or (group) before the ','");
    return fail(t, std::string(name_of(t)) + " cannot follow " + std::string(name_of(op)) +
                       ": put a term, phrase or (group) between them");
  }

  bool or_expr(std::uint32_t& out, std::uint32_t depth) {
    if (depth > kMaxSyntaxDepth) return too_deep(t_[i_]);
    const std::uint32_t offset = t_[i_].offset;
    std::vector<std::uint32_t> kids(1);
    if (!and_expr(kids[0], depth)) return false;
    while (t_[i_].kind == Tok::kw_or) {
      const Token& op = t_[i_++];
      if (!starts_operand(t_[i_].kind)) return missing_operand(op);
      kids.emplace_back();
      if (!and_expr(kids.back(), depth)) return false;
    }
    out = kids.size() == 1 ? kids[0] : nary(QueryKind::or_, offset, kids);
    return true;
  }

  bool and_expr(std::uint32_t& out, std::uint32_t depth) {
    const Token& first = t_[i_];
    if (first.kind == Tok::kw_and || first.kind == Tok::kw_or)
      return fail(first, std::string(name_of(first)) +
                             " needs a term, phrase or (group) before it: add one or remove the " +
                             std::string(name_of(first)));
    if (first.kind == Tok::kw_near)
      return fail(
          first, std::string(name_of(first)) + " needs a term, phrase or (a OR b) group before it");
    if (first.kind == Tok::rparen) {
      if (i_ > 0 && t_[i_ - 1].kind == Tok::lparen)
        return fail(t_[i_ - 1], "empty parentheses: put a term inside or remove them");
      return fail(first, "unexpected ')': remove it or add a matching '('");
    }
    if (first.kind == Tok::comma)
      return fail(first, "',' is only allowed between the operands of ATLEAST n (a, b, c)");
    const std::uint32_t offset = first.offset;
    std::vector<std::uint32_t> kids(1);
    if (!unary(kids[0], depth)) return false;
    for (;;) {
      const Tok k = t_[i_].kind;
      if (k == Tok::kw_and) {
        const Token& op = t_[i_++];
        if (!starts_operand(t_[i_].kind)) return missing_operand(op);
      } else if (!starts_operand(k)) {
        break;
      }
      kids.emplace_back();
      if (!unary(kids.back(), depth)) return false;
    }
    out = kids.size() == 1 ? kids[0] : nary(QueryKind::and_, offset, kids);
    return true;
  }

  bool unary(std::uint32_t& out, std::uint32_t depth) {
    if (t_[i_].kind == Tok::kw_not) {
      const Token& op = t_[i_++];
      if (depth > kMaxSyntaxDepth) return too_deep(op);
      if (!starts_operand(t_[i_].kind)) return missing_operand(op);
      std::uint32_t child = 0;
      if (!unary(child, depth + 1)) return false;
      QueryNode n;
      n.kind = QueryKind::not_;
      n.offset = op.offset;
      n.children.push_back(child);
      out = add(std::move(n));
      return true;
    }
    return near(out, depth);
  }

  /// True if node `i` may be a NEAR operand: a term, phrase, entity or an OR of them.
  bool near_operand_ok(std::uint32_t i) const {
    const QueryNode& n = q_.nodes[i];
    if (n.kind == QueryKind::term || n.kind == QueryKind::phrase || n.kind == QueryKind::entity_ref)
      return true;
    if (n.kind != QueryKind::or_) return false;
    for (const auto c : n.children)
      if (!near_operand_ok(c)) return false;
    return true;
  }

  bool near(std::uint32_t& out, std::uint32_t depth) {
    const Token& left_tok = t_[i_];
    std::uint32_t left = 0;
    if (!primary(left, depth)) return false;
    if (t_[i_].kind != Tok::kw_near) {
      out = left;
      return true;
    }
    const Token& op = t_[i_++];
    const std::string opname(name_of(op));
    if (!near_operand_ok(left))
      return fail(left_tok, opname +
                                " operands must be terms, phrases, @entities or (a OR b) groups: "
                                "move AND/NOT/fields outside the " +
                                opname);
    if (!starts_operand(t_[i_].kind) || t_[i_].kind == Tok::kw_not) {
      if (t_[i_].kind == Tok::kw_not)
        return fail(t_[i_], opname + " operands cannot be negated: write (a " + opname +
                                "/n b) AND NOT c instead");
      return missing_operand(op);
    }
    const Token& right_tok = t_[i_];
    std::uint32_t right = 0;
    if (!primary(right, depth)) return false;
    if (!near_operand_ok(right))
      return fail(right_tok, opname +
                                 " operands must be terms, phrases, @entities or (a OR b) groups: "
                                 "move AND/NOT/fields outside the " +
                                 opname);
    if (t_[i_].kind == Tok::kw_near)
      return fail(t_[i_], "NEAR/ONEAR cannot be chained: combine two proximity clauses with AND");
    QueryNode n;
    n.kind = QueryKind::near;
    n.offset = op.offset;
    n.n = op.n;
    n.ordered = op.ordered;
    n.unit = op.unit;
    n.children = {left, right};
    out = add(std::move(n));
    return true;
  }

  bool close_paren(const Token& open) {
    if (t_[i_].kind == Tok::rparen) {
      ++i_;
      return true;
    }
    if (t_[i_].kind == Tok::comma)
      return fail(t_[i_], "',' is only allowed between the operands of ATLEAST n (a, b, c)");
    if (t_[i_].kind == Tok::end) return fail(open, "unclosed '(': add a matching ')'");
    return fail(t_[i_], "unexpected token: expected ')'");
  }

  bool leaf(const Token& t, bool phrase, std::uint32_t& out) {
    QueryNode n;
    if (!parse_leaf(t, phrase, n, err_)) return false;
    out = add(std::move(n));
    return true;
  }

  bool primary(std::uint32_t& out, std::uint32_t depth) {
    const Token& t = t_[i_];
    if (depth > kMaxSyntaxDepth) return too_deep(t);
    switch (t.kind) {
      case Tok::word:
      case Tok::phrase:
        ++i_;
        return leaf(t, t.kind == Tok::phrase, out);
      case Tok::entity: {
        ++i_;
        QueryNode n;
        n.kind = QueryKind::entity_ref;
        n.offset = t.offset;
        n.literal = std::string(t.text);
        n.exact = std::string(t.name);
        if (!n.exact.empty() && n.exact.back() == '~')
          return fail(t,
                      "word forms ('~') do not apply to @entities: an entity matches its "
                      "aliases as listed; add the forms as aliases");
        out = add(std::move(n));
        return true;
      }
      case Tok::lparen: {
        ++i_;
        if (!or_expr(out, depth + 1)) return false;
        return close_paren(t);
      }
      case Tok::field: {
        ++i_;
        const Token& open = t_[i_++];  // the lexer saw the '(' right after the colon
        std::uint32_t child = 0;
        if (!or_expr(child, depth + 1) || !close_paren(open)) return false;
        QueryNode n;
        n.kind = QueryKind::field;
        n.scope = t.scope;
        n.offset = t.offset;
        n.children.push_back(child);
        out = add(std::move(n));
        return true;
      }
      case Tok::kw_atleast:
        ++i_;
        return at_least(t, out, depth);
      case Tok::kw_mentions:
        ++i_;
        return mentions(t, out, depth);
      case Tok::meta:
        ++i_;
        return meta_filter(t, out);
      default:
        return fail(t, "unexpected token: expected a term, phrase or (group)");
    }
  }

  bool at_least(const Token& op, std::uint32_t& out, std::uint32_t depth) {
    std::uint32_t n = 0;
    if (t_[i_].kind != Tok::word || !topic_lex::parse_count(t_[i_].text, n))
      return fail(op, "ATLEAST needs a number: write ATLEAST 2 (a, b, c)");
    ++i_;
    if (n < 1) return fail(t_[i_ - 1], "ATLEAST 0 always holds: use a number of at least 1");
    if (t_[i_].kind != Tok::lparen)
      return fail(t_[i_].kind == Tok::end ? op : t_[i_],
                  "ATLEAST n needs its operands in parentheses: write ATLEAST " +
                      std::to_string(n) + " (a, b, c)");
    const Token& open = t_[i_++];
    QueryNode node;
    node.kind = QueryKind::at_least;
    node.offset = op.offset;
    node.n = n;
    for (;;) {
      std::uint32_t child = 0;
      if (!or_expr(child, depth + 1)) return false;
      node.children.push_back(child);
      if (t_[i_].kind != Tok::comma) break;
      ++i_;
    }
    if (!close_paren(open)) return false;
    if (n > node.children.size())
      return fail(op, "ATLEAST " + std::to_string(n) + " can never match: it has only " +
                          std::to_string(node.children.size()) +
                          " operands; lower the number or add operands");
    out = add(std::move(node));
    return true;
  }

  /// MENTIONS n (operand): the operand's occurrences counted.
  bool mentions(const Token& op, std::uint32_t& out, std::uint32_t depth) {
    std::uint32_t n = 0;
    if (t_[i_].kind != Tok::word || !topic_lex::parse_count(t_[i_].text, n))
      return fail(op, "MENTIONS needs a number: write MENTIONS 3 (a)");
    ++i_;
    if (n < 1 || n > kMaxMentions)
      return fail(t_[i_ - 1], "MENTIONS " + std::to_string(n) +
                                  ": the count must be between 1 and " +
                                  std::to_string(kMaxMentions));
    if (t_[i_].kind != Tok::lparen)
      return fail(t_[i_].kind == Tok::end ? op : t_[i_],
                  "MENTIONS n needs its operand in parentheses: write MENTIONS " +
                      std::to_string(n) + " (a)");
    const Token& open = t_[i_++];
    const Token& first = t_[i_];
    std::uint32_t child = 0;
    if (!or_expr(child, depth + 1) || !close_paren(open)) return false;
    if (!near_operand_ok(child))
      return fail(first,
                  "MENTIONS counts terms, phrases, @entities or (a OR b) groups: move "
                  "AND/NOT/NEAR/fields outside the MENTIONS");
    QueryNode node;
    node.kind = QueryKind::mentions;
    node.offset = op.offset;
    node.n = n;
    node.children.push_back(child);
    out = add(std::move(node));
    return true;
  }

  /// A metadata filter (topic_filter_parse.cpp checks its values).
  bool meta_filter(const Token& t, std::uint32_t& out) {
    QueryNode node;
    if (!topic_lex::parse_filter(t, node, err_)) return false;
    out = add(std::move(node));
    return true;
  }

  const std::vector<Token>& t_;
  TopicQuery& q_;
  QueryError& err_;
  std::size_t i_ = 0;
};

/// True if no root-to-leaf path of `q` holds more than kMaxQueryDepth operator
/// nodes. Otherwise sets `at` to the node at level kMaxQueryDepth + 1 of the
/// deepest path (the first operator beyond the limit). Needs no recursion:
/// children precede their parents in `q.nodes`.
bool within_depth(const TopicQuery& q, std::uint32_t& at) {
  std::vector<std::uint32_t> depth(q.nodes.size(), 0);  // operator levels below and at i
  for (std::uint32_t i = 0; i < q.nodes.size(); ++i) {
    for (const auto c : q.nodes[i].children) depth[i] = std::max(depth[i], depth[c] + 1);
  }
  if (depth[q.root] <= kMaxQueryDepth) return true;
  at = q.root;
  for (std::uint32_t level = 1; level <= kMaxQueryDepth; ++level) {
    for (const auto c : q.nodes[at].children) {
      if (depth[c] + 1 == depth[at]) {
        at = c;
        break;
      }
    }
  }
  return false;
}

/// True if every way node `i` can hold requires some term to be present, i.e. a
/// term hit can trigger it. Sets `bad` to the node that breaks the rule.
/// True if node `i` holds only metadata filters (and AND/OR/NOT of them).
bool only_filters(const TopicQuery& q, std::uint32_t i) {
  const QueryNode& n = q.nodes[i];
  if (n.kind == QueryKind::meta) return true;
  if (n.kind != QueryKind::and_ && n.kind != QueryKind::or_ && n.kind != QueryKind::not_)
    return false;
  for (const auto c : n.children)
    if (!only_filters(q, c)) return false;
  return true;
}

/// `filters`: a metadata filter (or a negation of filters only) counts as present,
/// i.e. the topic may be woken by the article's metadata alone.
bool anchored(const TopicQuery& q, std::uint32_t i, std::uint32_t& bad, bool filters) {
  const QueryNode& n = q.nodes[i];
  switch (n.kind) {
    case QueryKind::term:
    case QueryKind::phrase:
    case QueryKind::entity_ref:
    case QueryKind::near:
    case QueryKind::mentions:
      return true;
    case QueryKind::meta:
      bad = i;
      return filters;
    case QueryKind::not_:
      bad = i;
      return filters && only_filters(q, n.children[0]);
    case QueryKind::field:
      return anchored(q, n.children[0], bad, filters);
    case QueryKind::and_: {
      std::uint32_t first_bad = i;
      bool any_bad = false;
      for (const auto c : n.children) {
        std::uint32_t b = c;
        if (anchored(q, c, b, filters)) return true;
        if (!any_bad) first_bad = b;
        any_bad = true;
      }
      bad = first_bad;
      return false;
    }
    case QueryKind::or_:
      for (const auto c : n.children)
        if (!anchored(q, c, bad, filters)) return false;
      return true;
    case QueryKind::at_least: {
      std::uint32_t unanchored = 0;
      std::uint32_t first_bad = i;
      for (const auto c : n.children) {
        std::uint32_t b = c;
        if (!anchored(q, c, b, filters)) {
          if (unanchored++ == 0) first_bad = b;
        }
      }
      if (unanchored < n.n) return true;
      bad = first_bad;
      return false;
    }
  }
  return false;
}

}  // namespace

bool parse_query(std::string_view text, TopicQuery& out, QueryError& err) {
  out = TopicQuery{};
  std::vector<Token> toks;
  if (!topic_lex::lex_query(text, toks, err)) return false;
  Parser parser(toks, out, err);
  if (!parser.run()) return false;
  std::uint32_t bad = out.root;
  if (!within_depth(out, bad)) {
    err.offset = out.nodes[bad].offset;
    err.message = "query nested too deeply (over " + std::to_string(kMaxQueryDepth) +
                  " levels of operators): simplify it";
    return false;
  }
  if (!anchored(out, out.root, bad, true)) {
    err.offset = out.nodes[bad].offset;
    err.message =
        "this topic can never match: it only says what an article must not contain here; "
        "add a term it must contain (e.g. a AND NOT b)";
    return false;
  }
  return true;
}

bool needs_terms(const TopicQuery& q) {
  if (q.nodes.empty() || q.root >= q.nodes.size()) return true;
  std::uint32_t bad = q.root;
  return anchored(q, q.root, bad, false);
}

std::uint32_t column_of_offset(std::string_view line, std::size_t offset) {
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

}  // namespace newshound

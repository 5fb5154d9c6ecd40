// Stage: match. Owns the canonical printer of topic queries, TopicQuery::to_string():
// the fully parenthesised form described in topic_query.hpp, and the quoting of terms
// and phrases in it.
#include <string>
#include <vector>

#include "newshound/match/topic_query.hpp"
#include "topic_lexer.hpp"

namespace newshound {

namespace {

using topic_lex::kCloseQuote;
using topic_lex::kOpenQuote;

/// True if a term's literal would not read back as the same single word.
bool needs_quotes(std::string_view lit) {
  for (const char c : lit) {
    if (c == ' ' || c == '(' || c == ')' || c == '"' || c == ',' || c == '*') return true;
  }
  QueryScope sc{};
  return lit.front() == '@' || lit.find(kOpenQuote) != std::string_view::npos ||
         (lit.find(':') != std::string_view::npos &&
          scope_from_name(lit.substr(0, lit.find(':')), sc));
}

/// A phrase in quotes that read back: typographic quotes if it holds a '"'.
std::string quote_phrase(std::string_view lit) {
  if (lit.find('"') == std::string_view::npos) return "\"" + std::string(lit) + "\"";
  return std::string(kOpenQuote) + std::string(lit) + std::string(kCloseQuote);
}

/// `@list/name`, with the name in quotes when it would not read back unquoted
/// (a bracket, comma or keyword inside it ends an unquoted name early).
std::string entity_ref(const std::string& list, const std::string& name) {
  const std::string bare = "@" + list + "/" + name;
  std::vector<topic_lex::Token> toks;
  QueryError err;
  const bool reads_back = topic_lex::lex_query(bare, toks, err) && toks.size() == 2 &&
                          toks[0].kind == topic_lex::Tok::entity && toks[0].name == name;
  return reads_back ? bare : "@" + list + "/\"" + name + "\"";
}

}  // namespace

std::string TopicQuery::to_string() const {
  return nodes.empty() ? std::string() : to_string(root);
}

std::string TopicQuery::to_string(std::uint32_t i) const {
  const QueryNode& n = nodes[i];
  std::string s;
  switch (n.kind) {
    case QueryKind::term:
      s = n.exact.empty() ? n.literal : n.exact;
      if (n.prefix) return s + '*';
      return needs_quotes(s) ? quote_phrase(s) : s;
    case QueryKind::phrase:
      return quote_phrase(n.exact.empty() ? n.literal : n.exact);
    case QueryKind::entity_ref:
      return entity_ref(n.literal, n.exact);
    case QueryKind::and_:
    case QueryKind::or_:
      s = "(";
      for (std::size_t k = 0; k < n.children.size(); ++k) {
        if (k > 0) s += n.kind == QueryKind::and_ ? " AND " : " OR ";
        s += to_string(n.children[k]);
      }
      return s + ")";
    case QueryKind::not_:
      return "(NOT " + to_string(n.children[0]) + ")";
    case QueryKind::near:
      return "(" + to_string(n.children[0]) + (n.ordered ? " ONEAR/" : " NEAR/") +
             std::to_string(n.n) + " " + to_string(n.children[1]) + ")";
    case QueryKind::field: {
      const std::string inner = to_string(n.children[0]);
      return std::string(newshound::to_string(n.scope)) + ":" +
             (inner.front() == '(' ? inner : "(" + inner + ")");
    }
    case QueryKind::at_least:
      s = "ATLEAST " + std::to_string(n.n) + " (";
      for (std::size_t k = 0; k < n.children.size(); ++k) {
        if (k > 0) s += ", ";
        s += to_string(n.children[k]);
      }
      return s + ")";
  }
  return s;
}

std::string_view to_string(QueryScope scope) {
  switch (scope) {
    case QueryScope::headline:
      return "headline";
    case QueryScope::body:
      return "body";
    case QueryScope::lead:
      return "lead";
    case QueryScope::description:
      return "description";
  }
  return "body";
}

bool scope_from_name(std::string_view name, QueryScope& out) {
  for (const QueryScope s :
       {QueryScope::headline, QueryScope::body, QueryScope::lead, QueryScope::description}) {
    if (name == to_string(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

}  // namespace newshound

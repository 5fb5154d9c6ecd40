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
  MetaField mf{};
  const std::string_view before_colon = lit.substr(0, lit.find(':'));
  return lit.front() == '@' || lit.find(kOpenQuote) != std::string_view::npos ||
         (lit.find(':') != std::string_view::npos &&
          (scope_from_name(before_colon, sc) || meta_field_from_name(before_colon, mf)));
}

/// A phrase in quotes that read back: typographic quotes if it holds a '"'.
std::string quote_phrase(std::string_view lit) {
  if (lit.find('"') == std::string_view::npos) return "\"" + std::string(lit) + "\"";
  return std::string(kOpenQuote) + std::string(lit) + std::string(kCloseQuote);
}

/// One filter value as it reads back: bare if it is one plain word, else quoted.
std::string meta_value(std::string_view v) {
  bool plain = !v.empty() && v != "OR" && v != "AND" && v != "NOT";
  for (const char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == '(' ||
        c == ')' || c == '"' || c == ',')
      plain = false;
  }
  if (v.find(kOpenQuote) != std::string_view::npos) plain = false;
  return plain ? std::string(v) : quote_phrase(v);
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
      if (n.stem) return s + '~';
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
             (n.unit == NearUnit::sentence    ? std::string("s")
              : n.unit == NearUnit::paragraph ? std::string("p")
                                              : std::to_string(n.n)) +
             " " + to_string(n.children[1]) + ")";
    case QueryKind::mentions: {
      const std::string inner = to_string(n.children[0]);
      return "MENTIONS " + std::to_string(n.n) + " " +
             (inner.front() == '(' ? inner : "(" + inner + ")");
    }
    case QueryKind::meta:
      s = std::string(newshound::to_string(n.meta)) + ":";
      if (n.values.size() == 1) return s + meta_value(n.values[0]);
      s += "(";
      for (std::size_t k = 0; k < n.values.size(); ++k) {
        if (k > 0) s += " OR ";
        s += meta_value(n.values[k]);
      }
      return s + ")";
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

std::string_view to_string(MetaField field) {
  switch (field) {
    case MetaField::lang:
      return "lang";
    case MetaField::source:
      return "source";
    case MetaField::subject:
      return "subject";
    case MetaField::urgency:
      return "urgency";
    case MetaField::type:
      return "type";
    case MetaField::located:
      return "located";
  }
  return "lang";
}

bool meta_field_from_name(std::string_view name, MetaField& out) {
  for (const MetaField f : {MetaField::lang, MetaField::source, MetaField::subject,
                            MetaField::urgency, MetaField::type, MetaField::located}) {
    if (name == to_string(f)) {
      out = f;
      return true;
    }
  }
  return false;
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

// Stage: match. Owns the values of the topic language's metadata filters
// (docs/query-language.md, "Metadata filters"): a Tok::meta token -> a QueryNode of
// kind meta, its OR group split, and each value checked so a filter that can never
// match is an error at its value (language tags, item types, urgency comparisons,
// which become the mask of urgencies 1-9 they allow).
#include <algorithm>
#include <string>

#include "topic_lexer.hpp"

namespace newshound::topic_lex {

namespace {

bool meta_error(QueryError& err, std::uint32_t at, std::string msg) {
  err.offset = at;
  err.message = std::move(msg);
  return false;
}

bool meta_language_tag(std::string_view v) {
  std::size_t k = 0;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  while (k < v.size() && alpha(v[k])) ++k;
  if (k < 2 || k > 3) return false;
  while (k < v.size()) {
    if (v[k] != '-') return false;
    const std::size_t b = ++k;
    while (k < v.size() && (alpha(v[k]) || (v[k] >= '0' && v[k] <= '9'))) ++k;
    if (k == b || k - b > 8) return false;
  }
  return true;
}

bool meta_known_type(std::string_view v) {
  for (const std::string_view t :
       {"text", "picture", "graphic", "audio", "video", "composite", "component"}) {
    if (v.size() == t.size() && std::equal(v.begin(), v.end(), t.begin(), [](char a, char b) {
          return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
        }))
      return true;
  }
  return false;
}

/// `3`, `=3`, `<3`, `<=3`, `>3`, `>=3` as the mask of urgencies 1-9 allowed.
bool meta_urgency_mask(std::string_view v, std::uint32_t& mask) {
  std::string_view op;
  for (const std::string_view o : {"<=", ">=", "<", ">", "="}) {
    if (v.substr(0, o.size()) == o) {
      op = o;
      break;
    }
  }
  std::uint32_t n = 0;
  if (!parse_count(v.substr(op.size()), n)) return false;
  mask = 0;
  for (std::uint32_t u = 1; u <= 9; ++u) {
    const bool ok = op == "<="   ? u <= n
                    : op == ">=" ? u >= n
                    : op == "<"  ? u < n
                    : op == ">"  ? u > n
                                 : u == n;
    if (ok) mask |= 1U << (u - 1);
  }
  return true;
}

/// Checks one filter value and adds it to `node` (urgency: to its mask).
bool meta_value(MetaField f, std::string_view v, std::uint32_t at, QueryNode& node,
                QueryError& err) {
  const std::string name(to_string(f));
  const std::string whole = name + ":" + std::string(v);
  if (v.empty() || v.find_first_not_of(" \t") == std::string_view::npos)
    return meta_error(err, at,
                      "filter '" + name + ":' needs a value: write " + name + ":" +
                          (f == MetaField::urgency ? "<=3" : "x"));
  switch (f) {
    case MetaField::lang:
      if (!meta_language_tag(v))
        return meta_error(err, at,
                          whole +
                              " can never match: a language is a tag such as en, fr or "
                              "pt-BR (2 or 3 letters, then -subtags)");
      break;
    case MetaField::type:
      if (!meta_known_type(v))
        return meta_error(err, at,
                          whole +
                              " can never match: the types are text, picture, graphic, "
                              "audio, video, composite and component");
      break;
    case MetaField::urgency: {
      std::uint32_t mask = 0;
      if (!meta_urgency_mask(v, mask))
        return meta_error(err, at,
                          whole +
                              " is not a comparison: write urgency:3, urgency:<=3, <3, "
                              ">=3 or >3 (1 is the most urgent, 9 the least)");
      if (mask == 0)
        return meta_error(err, at,
                          whole +
                              " can never match: urgency runs from 1 (most urgent) "
                              "to 9");
      node.n |= mask;
      break;
    }
    default:
      break;
  }
  node.values.emplace_back(v);
  return true;
}

}  // namespace

bool parse_filter(const Token& t, QueryNode& node, QueryError& err) {
  node = QueryNode{};
  node.kind = QueryKind::meta;
  node.meta = t.meta;
  node.offset = t.offset;
  const std::string name(to_string(t.meta));
  // Offset of the value text in the query.
  const std::uint32_t base =
      t.offset + static_cast<std::uint32_t>(name.size()) + 1 + (t.group || t.quoted ? 1 : 0);
  if (!t.group) {
    if (!meta_value(t.meta, t.text, base, node, err)) return false;
  } else {
    const std::string_view g = t.text;
    std::size_t k = 0;
    bool want_value = true;
    const auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
    };
    for (;;) {
      while (k < g.size() && space(g[k])) ++k;
      if (k >= g.size()) break;
      const auto at = base + static_cast<std::uint32_t>(k);
      std::string_view v;
      bool quoted = false;
      if (g[k] == '"' || g.substr(k, kOpenQuote.size()) == kOpenQuote) {
        const bool typo = g[k] != '"';
        const std::string_view closing = typo ? kCloseQuote : std::string_view("\"");
        const std::size_t b = k + (typo ? kOpenQuote.size() : 1);
        const std::size_t e = g.find(closing, b);
        if (e == std::string_view::npos) {
          err.offset = at;
          err.message = "unterminated phrase: add the closing '" + std::string(closing) + "'";
          return false;
        }
        v = g.substr(b, e - b);
        k = e + closing.size();
        quoted = true;
      } else {
        const std::size_t b = k;
        while (k < g.size() && !space(g[k])) ++k;
        v = g.substr(b, k - b);
      }
      if (!quoted && v == "OR" && !want_value) {
        want_value = true;
        continue;
      }
      if (!want_value || (!quoted && (v == "OR" || v == "AND" || v == "NOT"))) {
        err.offset = at;
        err.message =
            "inside " + name + ":(...) only OR may join values: write " + name + ":(a OR b)";
        return false;
      }
      if (!meta_value(t.meta, v, at, node, err)) return false;
      want_value = false;
    }
    if (node.values.empty() || want_value) {
      err.offset = t.offset;
      err.message =
          "filter " + name + ":(...) needs a value after each OR: write " + name + ":(a OR b)";
      return false;
    }
  }
  return true;
}

}  // namespace newshound::topic_lex

// Stage: match. Owns the topic query lexer: query text -> tokens (words, phrases in
// straight or typographic quotes, brackets, keywords, NEAR/n, field scopes, @list/name
// entity references), with the first lexical error as a value (byte offset + message).
#include "topic_lexer.hpp"

#include <string>

namespace newshound::topic_lex {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool is_list_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool ends_word(std::string_view s, std::size_t i) {
  const char c = s[i];
  return is_space(c) || c == '(' || c == ')' || c == '"' || c == ',' ||
         s.substr(i, kOpenQuote.size()) == kOpenQuote;
}

/// True if `w` starts a metadata filter (`lang:en`, `source:`): it ends an unquoted
/// entity name as a keyword does.
bool is_filter_word(std::string_view w) {
  MetaField mf{};
  const std::size_t colon = w.find(':');
  return colon != std::string_view::npos && meta_field_from_name(w.substr(0, colon), mf);
}

bool is_keyword(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "ATLEAST" || w == "MENTIONS" ||
         w == "NEAR" || w == "ONEAR" || w.substr(0, 5) == "NEAR/" || w.substr(0, 6) == "ONEAR/";
}

class Lexer {
 public:
  Lexer(std::string_view text, QueryError& err) : s_(text), err_(err) {}

  bool run(std::vector<Token>& out) {
    for (;;) {
      while (i_ < s_.size() && is_space(s_[i_])) ++i_;
      Token t;
      t.offset = static_cast<std::uint32_t>(i_);
      if (i_ >= s_.size()) {
        out.push_back(t);
        return true;
      }
      const char c = s_[i_];
      if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '(' ? Tok::lparen : c == ')' ? Tok::rparen : Tok::comma;
        ++i_;
      } else if (c == '"' || s_.substr(i_, kOpenQuote.size()) == kOpenQuote) {
        if (!phrase(t)) return false;
      } else if (c == '@') {
        if (!entity(t)) return false;
      } else if (!word(t)) {
        return false;
      }
      out.push_back(t);
    }
  }

 private:
  bool fail(std::size_t at, std::string msg) {
    err_.offset = static_cast<std::uint32_t>(at);
    err_.message = std::move(msg);
    return false;
  }

  bool phrase(Token& t) {
    const bool typographic = s_[i_] != '"';
    const std::size_t open = i_;
    i_ += typographic ? kOpenQuote.size() : 1;
    // A phrase closes with the quote style it opened with, so either kind of quote
    // can appear inside the other.
    const std::string_view closing = typographic ? kCloseQuote : std::string_view("\"");
    const std::size_t close = s_.find(closing, i_);
    const std::size_t close_len = closing.size();
    if (close == std::string_view::npos)
      return fail(open, "unterminated phrase: add the closing '" + std::string(closing) + "'");
    t.kind = Tok::phrase;
    t.text = s_.substr(i_, close - i_);
    i_ = close + close_len;
    return true;
  }

  bool entity(Token& t) {
    const std::size_t at = i_++;
    const std::size_t list_begin = i_;
    while (i_ < s_.size() && is_list_char(s_[i_])) ++i_;
    if (i_ == list_begin || i_ >= s_.size() || s_[i_] != '/')
      return fail(at, "entity reference needs a list and a name: write @list/Canonical Name");
    t.kind = Tok::entity;
    t.text = s_.substr(list_begin, i_ - list_begin);
    ++i_;  // '/'
    if (i_ < s_.size() && s_[i_] == '"') {
      const std::size_t close = s_.find('"', i_ + 1);
      if (close == std::string_view::npos)
        return fail(i_, "unterminated phrase: add the closing '\"'");
      t.name = s_.substr(i_ + 1, close - i_ - 1);
      i_ = close + 1;
    } else {
      // The name runs over words up to a bracket, comma, quote, keyword or the end.
      std::size_t end = i_;
      std::size_t j = i_;
      for (;;) {
        while (j < s_.size() && is_space(s_[j])) ++j;
        if (j >= s_.size() || s_[j] == '(' || s_[j] == ')' || s_[j] == ',' || s_[j] == '"') break;
        std::size_t k = j;
        while (k < s_.size() && !ends_word(s_, k)) ++k;
        if (k == j || is_keyword(s_.substr(j, k - j)) || is_filter_word(s_.substr(j, k - j))) break;
        end = k;
        j = k;
      }
      t.name = s_.substr(i_, end - i_);
      i_ = end;
    }
    std::size_t b = 0;
    std::size_t e = t.name.size();
    while (b < e && is_space(t.name[b])) ++b;
    while (e > b && is_space(t.name[e - 1])) --e;
    t.name = t.name.substr(b, e - b);
    if (t.name.empty())
      return fail(
          at, "entity reference has no name: write @" + std::string(t.text) + "/Canonical Name");
    return true;
  }

  bool word(Token& t) {
    const std::size_t b = i_;
    while (i_ < s_.size() && !ends_word(s_, i_)) ++i_;
    const std::string_view w = s_.substr(b, i_ - b);
    t.text = w;
    t.kind = Tok::word;
    if (w == "AND") {
      t.kind = Tok::kw_and;
    } else if (w == "OR") {
      t.kind = Tok::kw_or;
    } else if (w == "NOT") {
      t.kind = Tok::kw_not;
    } else if (w == "ATLEAST") {
      t.kind = Tok::kw_atleast;
    } else if (w == "MENTIONS") {
      t.kind = Tok::kw_mentions;
    } else if (w == "NEAR" || w == "ONEAR" || w.substr(0, 5) == "NEAR/" ||
               w.substr(0, 6) == "ONEAR/") {
      t.kind = Tok::kw_near;
      t.ordered = w[0] == 'O';
      const std::string_view op = t.ordered ? "ONEAR" : "NEAR";
      const std::size_t slash = op.size();
      std::uint32_t n = 0;
      const std::string_view arg = w.size() > slash + 1 ? w.substr(slash + 1) : "";
      if (arg == "s" || arg == "p") {
        t.unit = arg == "s" ? NearUnit::sentence : NearUnit::paragraph;
        return true;
      }
      if (arg.empty() || !parse_count(arg, n))
        return fail(
            b, std::string(op) + " needs a distance in words: write " + std::string(op) + "/5");
      if (n < 1 || n > kMaxNearDistance)
        return fail(b, std::string(op) + "/" + std::to_string(n) +
                           ": the distance must be between 1 and " +
                           std::to_string(kMaxNearDistance) + " words");
      t.n = n;
    } else if (MetaField mf{}; w.find(':') != std::string_view::npos &&
                               meta_field_from_name(w.substr(0, w.find(':')), mf)) {
      return meta(t, b, w, mf);
    } else if (!w.empty() && w.back() == ':' && i_ < s_.size() && s_[i_] == '(') {
      const std::string_view f = w.substr(0, w.size() - 1);
      t.kind = Tok::field;
      if (!scope_from_name(f, t.scope)) {
        return fail(b, "unknown field '" + std::string(f) +
                           "': use headline:(...), body:(...), description:(...) or lead:(...)");
      }
    } else if (QueryScope sc{}; w.find(':') != std::string_view::npos &&
                                scope_from_name(w.substr(0, w.find(':')), sc)) {
      const std::string_view f = w.substr(0, w.find(':'));
      return fail(b, "a field scope needs parentheses right after the colon: write " +
                         std::string(f) + ":(...)");
    }
    return true;
  }

  /// A metadata filter `name:value`, `name:"value"` or `name:(a OR b)`; `w` is the
  /// word read so far (up to a bracket, quote or space).
  bool meta(Token& t, std::size_t b, std::string_view w, MetaField mf) {
    t.kind = Tok::meta;
    t.meta = mf;
    const std::string_view name = to_string(mf);
    const std::size_t colon = name.size();
    if (colon + 1 < w.size()) {
      t.text = w.substr(colon + 1);
      return true;
    }
    if (i_ < s_.size() && s_[i_] == '(') {
      // The group's values are read raw up to the closing bracket (a quoted value
      // may hold one); the parser splits them.
      const std::size_t open = i_++;
      while (i_ < s_.size() && s_[i_] != ')') {
        const bool typo = s_.substr(i_, kOpenQuote.size()) == kOpenQuote;
        if (s_[i_] == '"' || typo) {
          const std::string_view closing = typo ? kCloseQuote : std::string_view("\"");
          const std::size_t close = s_.find(closing, i_ + (typo ? kOpenQuote.size() : 1));
          if (close == std::string_view::npos)
            return fail(i_, "unterminated phrase: add the closing '" + std::string(closing) + "'");
          i_ = close + closing.size();
          continue;
        }
        ++i_;
      }
      if (i_ >= s_.size()) return fail(open, "unclosed '(': add a matching ')'");
      t.group = true;
      t.text = s_.substr(open + 1, i_ - open - 1);
      t.offset = static_cast<std::uint32_t>(b);
      ++i_;
      return true;
    }
    if (i_ < s_.size() && (s_[i_] == '"' || s_.substr(i_, kOpenQuote.size()) == kOpenQuote)) {
      Token p;
      if (!phrase(p)) return false;
      t.text = p.text;
      t.quoted = true;
      return true;
    }
    return fail(b, "filter '" + std::string(name) + ":' needs a value: write " + std::string(name) +
                       ":" + example_value(mf));
  }

  static std::string example_value(MetaField mf) {
    switch (mf) {
      case MetaField::lang:
        return "en";
      case MetaField::source:
        return "reuters";
      case MetaField::subject:
        return "\"medtop:20000106\"";
      case MetaField::urgency:
        return "<=3";
      case MetaField::type:
        return "text";
      case MetaField::located:
        return "Geneva";
    }
    return "x";
  }

  std::string_view s_;
  QueryError& err_;
  std::size_t i_ = 0;
};

}  // namespace

bool parse_count(std::string_view digits, std::uint32_t& n) {
  if (digits.empty() || digits.size() > 6) return false;
  n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return true;
}

bool lex_query(std::string_view text, std::vector<Token>& out, QueryError& err) {
  Lexer lexer(text, err);
  return lexer.run(out);
}

}  // namespace newshound::topic_lex

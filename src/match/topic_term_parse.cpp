// Stage: match. Owns the leaves of the topic query language: a word or phrase token
// -> a term or phrase QueryNode, folded, with its suffix wildcard (`sanction*`) or
// word forms (`talk~`) marker and acronym exactness, and the errors of each
// (docs/query-language.md, "Error messages").
#include <string>

#include "newshound/match/rules.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "topic_lexer.hpp"

namespace newshound::topic_lex {

namespace {

bool term_error(QueryError& err, const Token& t, std::string msg) {
  err.offset = t.offset;
  err.message = std::move(msg);
  return false;
}

/// A `~` term is one word of at least 3 letters or digits (as folded).
bool stem_word_ok(const Token& t, std::string_view literal, QueryError& err) {
  std::size_t letters = 0;
  for (std::size_t j = 0; j < literal.size(); ++j) {
    if ((static_cast<unsigned char>(literal[j]) & 0xC0) == 0x80) continue;
    if (!word_char_at(literal, j))
      return term_error(err, t,
                        "word forms ('~') are for single words of letters and digits: '" +
                            std::string(t.text) + "' holds other characters; write a phrase");
    ++letters;
  }
  if (letters < 3)
    return term_error(err, t,
                      "'" + std::string(t.text) + "' is too short for word forms: write at " +
                          "least 3 letters before '~'");
  return true;
}

}  // namespace

bool parse_leaf(const Token& t, bool phrase, QueryNode& n, QueryError& err) {
  std::string_view text = t.text;
  n.kind = phrase ? QueryKind::phrase : QueryKind::term;
  n.offset = t.offset;
  if (!phrase) {
    if (text.front() == '~')
      return term_error(err, t,
                        "'~' must follow a single word (talk~): word forms are for single terms, "
                        "not phrases or @entities");
    if (text.find('~') != std::string_view::npos && text.find('*') != std::string_view::npos) {
      const std::string base(text.substr(0, text.find_first_of("~*")));
      return term_error(
          err, t, "'~' cannot be combined with a wildcard: write " + base + "~ or " + base + "*");
    }
    if (text.back() == '~') {
      text.remove_suffix(1);
      n.stem = true;
    }
    const std::size_t star = text.find('*');
    if (star != std::string_view::npos) {
      if (star + 1 != text.size())
        return term_error(err, t,
                          "'*' is only allowed at the end of a term (suffix wildcard): write " +
                              std::string(text.substr(0, star + 1)));
      text.remove_suffix(1);
      n.prefix = true;
    }
  }
  n.literal = fold_phrase(text);
  if (n.prefix) {
    std::size_t letters = 0;
    for (std::size_t j = 0; j < n.literal.size(); ++j) {
      const auto b = static_cast<unsigned char>(n.literal[j]);
      if ((b & 0xC0) != 0x80 && word_char_at(n.literal, j)) ++letters;
    }
    if (letters < 3)
      return term_error(err, t,
                        "wildcard '" + std::string(t.text) +
                            "' is too short: write at least 3 letters before '*'");
    // A no-break or other odd space inside the word folds to ' ': the stem would
    // then span two words, which a suffix wildcard cannot express.
    if (n.literal.find(' ') != std::string::npos)
      return term_error(err, t,
                        "wildcard '" + std::string(t.text) +
                            "' holds a space-like character: a wildcard applies to one word; "
                            "remove the space or write a phrase");
  }
  if (n.literal.empty()) {
    if (phrase && text.empty())
      return term_error(err, t, "empty phrase: put words between the quotes");
    return term_error(err, t,
                      std::string(phrase ? "phrase" : "term") + " '" + std::string(text) +
                          "' has nothing left to match after folding: remove it");
  }
  // A term that starts with '~' once folded (a control character before it folds
  // away) would print as one that does not parse: refused as written so.
  if (!phrase && n.literal.front() == '~')
    return term_error(err, t,
                      "'~' must follow a single word (talk~): word forms are for single terms, "
                      "not phrases or @entities");
  if (n.stem && !stem_word_ok(t, n.literal, err)) return false;
  // A '~' that ends a word after folding ("prime minister~", or a term whose last
  // character folded away) would print as a `~` term: word forms are single terms.
  if (!n.stem) {
    const std::string_view lit = n.literal;
    for (std::size_t k = lit.find('~'); k != std::string_view::npos; k = lit.find('~', k + 1))
      if (k + 1 == lit.size() || lit[k + 1] == ' ')
        return term_error(err, t,
                          "word forms ('~') are for single terms: write the phrase without '~', "
                          "or the word alone (minister~)");
  }
  if (!n.prefix && !n.stem && is_acronym(text)) n.exact = std::string(text);
  return true;
}

}  // namespace newshound::topic_lex

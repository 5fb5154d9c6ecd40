// Stage: match. Private to the topic query parser, printer and filter values (not public):
// the token type produced by the topic query lexer, the lexer entry point, and the
// small lexical facts the other two share (the typographic quote pair, counts).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "newshound/match/topic_query.hpp"

namespace newshound::topic_lex {

enum class Tok : std::uint8_t {
  word,
  phrase,
  lparen,
  rparen,
  comma,
  kw_and,
  kw_or,
  kw_not,
  kw_near,
  kw_atleast,
  kw_mentions,
  field,
  meta,  // a metadata filter: text = the value, or the inside of `name:(...)` (group)
  entity,
  end
};

/// One token. Views point into the query text, which must outlive the token.
struct Token {
  Tok kind = Tok::end;
  std::uint32_t offset = 0;
  std::string_view text;            // word text, phrase content, list name (entity)
  std::string_view name;            // entity: canonical name
  std::uint32_t n = 0;              // near distance
  bool ordered = false;             // ONEAR
  NearUnit unit = NearUnit::words;  // NEAR/s, NEAR/p
  QueryScope scope = QueryScope::body;
  MetaField meta = MetaField::lang;
  bool group = false;   // meta: `name:(a OR b)`; text is what the brackets hold
  bool quoted = false;  // meta: `name:"value"`
};

inline constexpr std::string_view kOpenQuote = "\xE2\x80\x9C";   // “
inline constexpr std::string_view kCloseQuote = "\xE2\x80\x9D";  // ”

/// Parses a decimal count of 1 to 6 digits into `n`; false if `digits` is not one.
bool parse_count(std::string_view digits, std::uint32_t& n);

/// Builds the meta node of filter token `t` (kind Tok::meta) into `node`: its values
/// (the OR group split), each checked (a language tag, a known type, an urgency
/// comparison some urgency 1-9 satisfies). False with `err` at the offending value
/// otherwise. Never throws except std::bad_alloc.
bool parse_filter(const Token& t, QueryNode& node, QueryError& err);

/// Builds the term or phrase node of word or phrase token `t` into `node` (kind,
/// offset, folded literal, wildcard `prefix`, word-forms `stem`, acronym `exact`).
/// False with `err` at the token for a misplaced `*` or `~`, a wildcard or `~`
/// term too short, a `~` on a phrase or a term of several words, or nothing left
/// after folding. Never throws except std::bad_alloc.
bool parse_leaf(const Token& t, bool phrase, QueryNode& node, QueryError& err);

/// Splits `text` into `out`, which ends with one Tok::end token. On the first
/// lexical error returns false and fills `err` (byte offset and what to do);
/// `out` is then partial. Never throws except std::bad_alloc.
bool lex_query(std::string_view text, std::vector<Token>& out, QueryError& err);

}  // namespace newshound::topic_lex

// Stage: match. The topic query language (docs/query-language.md): the AST of one
// topic as a compact tree (a vector of nodes addressed by index) and the parser
// that builds it from query text. Parsing is pure: no I/O, errors as values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"

namespace newshound {

/// Kinds of query nodes. And/Or are n-ary (chains are flattened), Not is unary,
/// Near is binary, Field unary, AtLeast n-ary; Term/Phrase/EntityRef are leaves.
enum class QueryKind : std::uint8_t {
  term,
  phrase,
  and_,
  or_,
  not_,
  near,
  field,
  at_least,
  entity_ref,
  meta,     ///< a metadata filter: `lang:en`, `urgency:<=3` (no children)
  mentions  ///< MENTIONS n (operand): one child, a NEAR-style operand
};

/// The article metadata a filter tests (docs/query-language.md, "Metadata filters").
enum class MetaField : std::uint8_t { lang, source, subject, urgency, type, located };

/// How a proximity clause measures closeness: words (NEAR/n), one sentence
/// (NEAR/s) or one paragraph (NEAR/p).
enum class NearUnit : std::uint8_t { words, sentence, paragraph };

/// The filter name as written before the colon ("lang", "source", ...).
std::string_view to_string(MetaField field);

/// The filter named `name`; false for any other name.
bool meta_field_from_name(std::string_view name, MetaField& out);

/// Where a field scope looks: the headlines, the bodies, the descriptions, or the
/// main body's first paragraph.
enum class QueryScope : std::uint8_t { headline, body, lead, description };

/// The scope's name as written before the colon: "headline", "body", "lead",
/// "description".
std::string_view to_string(QueryScope scope);

/// The scope named `name` (as to_string writes it); false for any other name.
bool scope_from_name(std::string_view name, QueryScope& out);

/// The article field a field scope looks in (`lead` is part of the body).
constexpr Field field_of(QueryScope scope) {
  return scope == QueryScope::headline      ? Field::headline
         : scope == QueryScope::description ? Field::description
                                            : Field::body;
}

/// One node. Which members are meaningful depends on `kind`:
/// - term / phrase: `literal` is the folded text (fold_phrase); `exact` is the text as
///   written when it is an acronym (is_acronym), matched case-exactly, else empty;
///   `prefix` marks a suffix wildcard (`sanction*`: literal = "sanction"); `stem`
///   marks a word-forms term (`talk~`: literal = "talk", never exact; see stem.hpp).
/// - near: `n` = maximum word distance (unit words), `unit` words / sentence /
///   paragraph (`n` is 0 for the last two), `ordered` for ONEAR; two children.
/// - meta: `meta` names the field; `values` the accepted values as written (an OR:
///   `lang:(en OR fr)`); for urgency, `n` is the mask of accepted urgencies (bit
///   u-1 for urgency u, 1 to 9) that the values' comparisons (`<=3`, `5`) allow.
/// - mentions: `n` = how many occurrences; one child (term, phrase, entity or an
///   OR of those).
/// - field: `scope`; one child.
/// - at_least: `n` = how many distinct children must hold.
/// - entity_ref: `literal` = list name, `exact` = canonical name (resolved later).
/// `offset` is the byte offset in the query text of the token that made the node.
struct QueryNode {
  QueryKind kind = QueryKind::term;
  QueryScope scope = QueryScope::body;
  bool prefix = false;
  bool stem = false;
  bool ordered = false;
  NearUnit unit = NearUnit::words;
  MetaField meta = MetaField::lang;
  std::uint32_t n = 0;
  std::uint32_t offset = 0;
  std::string literal;
  std::string exact;
  std::vector<std::uint32_t> children;  ///< indexes into TopicQuery::nodes
  std::vector<std::string> values;      ///< meta: accepted values, as written
  /// Set by Rules::compile (0 until then): the Rules::terms() index of a term or
  /// phrase, the Rules::entities() index of an entity_ref.
  std::uint32_t target = 0;
};

/// A parsed topic query. Children always precede their parent in `nodes`;
/// `root` is the last node. Owned by value; immutable after parsing.
struct TopicQuery {
  std::vector<QueryNode> nodes;
  std::uint32_t root = 0;
  /// The list's `[[watchlist]] language` (an ISO 639-1 code, "" = none): the
  /// language of `~` terms for an article that names none Snowball stems. Set by
  /// Rules::compile from TopicFile::language; not part of the query text.
  std::string language;

  const QueryNode& node(std::uint32_t i) const { return nodes[i]; }

  /// Canonical, fully parenthesised form: `(("security guarantees" AND (NATO OR
  /// alliance)) AND (NOT sport*))`. Terms print folded (acronyms as written), so
  /// two spellings that match alike print alike. Empty for an empty query.
  std::string to_string() const;
  std::string to_string(std::uint32_t node) const;
};

/// A parse error: byte offset in the query text and a message saying what to do.
struct QueryError {
  std::uint32_t offset = 0;
  std::string message;
};

/// Largest count accepted by MENTIONS n.
inline constexpr std::uint32_t kMaxMentions = 1000;
/// Largest distance accepted by NEAR/n and ONEAR/n.
inline constexpr std::uint32_t kMaxNearDistance = 1000;
/// Deepest operator nesting accepted, counted on the parsed query (the AST): every
/// AND/OR chain, NOT, NEAR, field scope and ATLEAST on a path from the root to a
/// term is one level; brackets that add no operator do not count. Counting the
/// AST rather than the text keeps the limit stable under to_string(), which may
/// add brackets (`(NOT a)`).
inline constexpr std::uint32_t kMaxQueryDepth = 100;
/// The parser's recursion guard (against stack exhaustion, not a language rule):
/// brackets, field scopes, ATLEAST groups and NOTs nested in the text. Room for
/// any query within kMaxQueryDepth in canonical form (at most two per level).
inline constexpr std::uint32_t kMaxSyntaxDepth = 4 * kMaxQueryDepth;

/// Parses `text` (one query, any length; continuation lines already joined).
/// On success fills `out` and returns true. On the first error returns false and
/// fills `err` (offset of the offending token and a message); `out` is then
/// unspecified. A query that can never be triggered by a term (only negations,
/// `a OR NOT b`, `ATLEAST 4 (a, b, c)`) is an error; a metadata filter counts as
/// something present (a filter-only topic is allowed: see needs_terms()). Never throws except
/// std::bad_alloc. A query whose AST nests deeper than kMaxQueryDepth is an error
/// (at the first operator beyond the limit); recursion is bounded by kMaxSyntaxDepth.
bool parse_query(std::string_view text, TopicQuery& out, QueryError& err);

/// True if every way `q` can hold includes a term, phrase or @entity present (so
/// only an article with a scan hit can match it); false for a topic that a
/// metadata filter alone can satisfy (`lang:en`, `lang:en OR Putin`), which the
/// engine evaluates for every article.
bool needs_terms(const TopicQuery& q);

/// 1-based column, in code points, of byte `offset` in `line`.
std::uint32_t column_of_offset(std::string_view line, std::size_t offset);

}  // namespace newshound

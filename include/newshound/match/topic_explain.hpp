// Stage: match. `newshound explain`'s core: why one article did or did not match
// each topic (clause by clause, with the spans found) and each entity (the aliases
// that matched, and the near misses: literal found but rejected, and why). Built on
// the reference evaluator and the Rules tables; slow on purpose, never on the hot
// path. Rendering as JSON lives in the daemon (src/daemon/explain_command.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/topic_eval.hpp"
#include "newshound/match/topic_query.hpp"
#include "newshound/normalize/normalized_article.hpp"

namespace newshound {

/// One clause (node) of a topic and its truth on the article.
struct ClauseExplanation {
  std::uint32_t node = 0;   ///< index in the topic's TopicQuery::nodes
  std::uint32_t depth = 0;  ///< nesting depth below the root (root: 0)
  bool value = false;       ///< truth of the clause, inside its enclosing field scopes
  /// What was found: for a term, phrase or @entity every occurrence in scope; for
  /// a true AND/OR/NEAR/ATLEAST/field clause the spans that satisfied it; for NOT
  /// the occurrences of what it negates (why it is false). Sorted by position; an
  /// occurrence inside a longer one of the same term or @entity is left out.
  std::vector<TopicSpan> found;
};

/// The explanation of one topic on one article.
struct TopicExplanation {
  bool matched = false;
  std::vector<TopicSpan> spans;            ///< what satisfied the topic (empty if not matched)
  std::vector<ClauseExplanation> clauses;  ///< every node, pre-order: root first
  std::vector<std::string> notes;          ///< e.g. an @entity that could not be resolved
};

/// Explains `query` on `article` and its folding `text`: each node is evaluated
/// as its own TopicQuery (wrapped in the field scopes that enclose it) with
/// evaluate_topic_reference, so the truth of every clause is the reference
/// evaluator's. Never throws except std::bad_alloc; an empty or malformed query
/// gives an explanation with no clauses and matched = false.
TopicExplanation explain_topic(const TopicQuery& query, const Article& article,
                               const NormalizedArticle& text, const EntityResolver& resolve = {});

/// Why a literal occurrence of an alias did or did not count as a match.
enum class AliasVerdict : std::uint8_t {
  matched,         ///< verified match (in the MatchSet)
  word_boundary,   ///< a letter or digit right before or after it
  acronym_case,    ///< an acronym alias, but the text is not written exactly so
  crosses_fields,  ///< it only occurs across the end of the headline and the body
  negative_alias,  ///< inside an occurrence of one of the entity's negative aliases
  inside_longer,   ///< inside a longer match of the same entity (reported once)
  rejected,        ///< not matched for another reason
};

/// Stable lower-case name of a verdict ("matched", "word_boundary", ...).
std::string_view to_string(AliasVerdict v);

/// One occurrence of an alias's folded literal. `field`/`start`/`end` are the
/// original span; for crosses_fields it is the headline part, and
/// `tail_end` is where the body part ends (it starts at body offset 0 or after
/// leading white space: `tail_start`).
struct AliasOccurrence {
  std::uint32_t pattern = 0;  ///< index in Rules::patterns()
  AliasVerdict verdict = AliasVerdict::matched;
  Field field = Field::headline;
  std::uint32_t value = 0;  ///< the Article text value of start/end
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t folded_start = 0;
  std::uint32_t folded_end = 0;
  std::uint32_t tail_start = 0;  ///< crosses_fields only
  std::uint32_t tail_end = 0;    ///< crosses_fields only
  std::uint32_t negative = 0;    ///< negative_alias only: the negative pattern's index
};

/// An entity with at least one occurrence of an alias in the article.
struct EntityExplanation {
  std::uint32_t entity = 0;  ///< index in Rules::entities()
  bool matched = false;
  std::vector<AliasOccurrence> occurrences;  ///< sorted by folded position
};

/// Explains every entity of `rules` that has an alias literal somewhere in `text`
/// (also across the headline/body separator), in entity order. `verified` is the
/// MatchSet a Matcher produced for this article with these rules: its matches
/// decide what `matched` means; the verdicts of the other occurrences are worked
/// out here. Never throws except std::bad_alloc.
std::vector<EntityExplanation> explain_entities(const Rules& rules, const Article& article,
                                                const NormalizedArticle& text,
                                                const MatchSet& verified);

/// `'text' field:start-end` for a span of text value `value` of `article` (control
/// characters shown as spaces, at most ~80 bytes of text); `path` adds the value's
/// JSON Pointer after the field when it is not the main headline or body.
std::string describe_span(const Article& article, std::uint32_t value, std::uint32_t start,
                          std::uint32_t end);

/// describe_span for the main headline (Field::headline) or main body (any other).
std::string describe_span(const Article& article, Field field, std::uint32_t start,
                          std::uint32_t end);

/// The clause tree for a human, one line per clause, indented two spaces per
/// level below `indent`: `NOT sport*: false, found 'sports' body:120-126`. A NOT of
/// a single term is one line; composite clauses show their operator.
std::string describe_clauses(const TopicQuery& query, const TopicExplanation& ex,
                             const Article& article, std::size_t indent = 2);

}  // namespace newshound

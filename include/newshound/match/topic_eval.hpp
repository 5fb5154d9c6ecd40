// Stage: match. The reference evaluator of topic queries: a deliberately simple,
// slow, obviously right evaluation of a TopicQuery over one normalized article,
// used by tests (and later as the oracle for the Hyperscan-backed evaluator).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/topic_query.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/normalize/normalized_article.hpp"

namespace newshound {

/// The outcome of evaluating one topic: whether it matched, the spans of the terms
/// that satisfied it (sorted by folded position, no duplicates; empty when it did
/// not match), and notes for a human (e.g. an @entity that could not be resolved).
struct TopicEvaluation {
  bool matched = false;
  std::vector<TopicSpan> spans;
  std::vector<std::string> notes;
};

/// Resolves `@list/Canonical Name` to the entity's definition (aliases and
/// negative aliases as written in the `.names` file), or nullptr if there is no
/// such entity. The pointer must stay valid during the evaluation.
using EntityResolver =
    std::function<const EntityDef*(std::string_view list, std::string_view name)>;

/// Evaluates `query` over `article` (for acronym exactness and the lead) and its
/// normalization `text`. Terms match as names do: folded literal at word
/// boundaries, inside one field, acronyms case-exact in the original text; a
/// prefix term matches any word starting with its stem. NEAR/n: an occurrence of
/// each side in the same field, not overlapping, at most n words apart (adjacent
/// words are 1 apart; words are the space-separated tokens of the folded text that
/// hold a letter or digit); ONEAR/n also needs the left side first. An EntityRef
/// occurs where the entity matches in the match stage: any alias hit, except one
/// inside an occurrence of one of its negative aliases or inside a longer hit of
/// the entity (both judged over the whole field, whatever the scope). An EntityRef
/// without a resolver (or unknown to it) is false, with a note. A malformed
/// NormalizedArticle (tables shorter than the text) evaluates to false.
/// Word number of every byte of the folded `text`, into `out` (resized, capacity
/// kept): words are the space-separated tokens holding a letter or digit, numbered
/// from 0; a byte between words gets the number of the last word before it (0 before
/// the first). NEAR/n distances are differences of these numbers; both evaluators use
/// this one definition.
void number_words_of(std::string_view text, std::vector<std::uint32_t>& out);

/// Where new units start in one original text value `value` (marked up as
/// `format`), as ascending byte offsets into `out` (cleared first; empty for
/// NearUnit::words). A paragraph ends at a blank line ("\n", white space, "\n")
/// and, in HTML, at <p>, </p>, <li>, </li> and <br><br>; a single line break (a
/// hard wrap) does not end one. A sentence ends where a paragraph does, and after
/// `.`, `!`, `?` or `…` (closing quotes and brackets included) followed by white
/// space and an upper-case letter, a digit or a quote; a `.` after an abbreviation
/// (docs/query-language.md lists them), a single letter or a word with an inner dot
/// (`U.S.`) ends none.
void unit_breaks_of(std::string_view value, BodyFormat format, NearUnit unit,
                    std::vector<std::uint32_t>& out);

/// Unit (sentence or paragraph) number of every folded byte of `na` into `out`
/// (resized, capacity kept; `breaks` is scratch): bytes of one unit share a number,
/// numbers grow along the text and every text value starts a new one. NEAR/s and
/// NEAR/p hold for two occurrences that lie in one unit; both evaluators use this.
void number_units_of(const Article& article, const NormalizedArticle& na, NearUnit unit,
                     std::vector<std::uint32_t>& out, std::vector<std::uint32_t>& breaks);

/// True if the metadata filter `n` (kind meta) holds for `article`: lang by tag
/// (`en` holds for `en-GB`), source and located by whole words (ASCII case
/// ignored) of Article::provider / copyrightholder / located, subject by a
/// subject's code or name (case ignored), type by the type after any scheme,
/// urgency by the mask (an article without urgency fails every urgency filter).
bool meta_filter_holds(const QueryNode& n, const Article& article);

/// What `article` holds for filter `field`, for explain: `language is "en-GB"`,
/// `urgency is 3`, `subjects are "medtop:20000106" (economy), ...`, or `... is not
/// given`.
std::string describe_article_meta(MetaField field, const Article& article);

/// The span of folded bytes [s, e) of `na` (e > s) as a topic reports it: its field,
/// its original-byte offsets, and the query node `node` that found it. Both
/// evaluators build spans with this one function.
TopicSpan topic_span_of(const NormalizedArticle& na, std::uint32_t s, std::uint32_t e,
                        std::uint32_t node);

/// The one span of a topic that held with no term occurrence (by metadata filters
/// alone): the whole of the first non-empty text value (the main headline unless it
/// is empty), found by query node `node`. False if every value is empty.
bool filter_topic_span(const NormalizedArticle& na, std::uint32_t node, TopicSpan& out);

TopicEvaluation evaluate_topic_reference(const TopicQuery& query, const Article& article,
                                         const NormalizedArticle& text,
                                         const EntityResolver& resolve = {});

/// The lead (first paragraph) as a folded range [first, second) of `text`: the
/// original body up to its first blank line ("\n\n", white space allowed on the
/// blank line) or first "</p>" (any case), whichever comes first, leading white
/// space skipped; the whole body if it has neither.
std::pair<std::uint32_t, std::uint32_t> lead_range(const Article& article,
                                                   const NormalizedArticle& text);

}  // namespace newshound

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

/// The span of folded bytes [s, e) of `na` (e > s) as a topic reports it: its field,
/// its original-byte offsets, and the query node `node` that found it. Both
/// evaluators build spans with this one function.
TopicSpan topic_span_of(const NormalizedArticle& na, std::uint32_t s, std::uint32_t e,
                        std::uint32_t node);

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

// Tests, stage match: helpers for topic tests. Build Rules from `.names` and
// `.topics` text, run both engines, and check every topic of the Rules against
// evaluate_topic_reference (the definition of the semantics): matched flag and
// spans, field by field. Also used by tests/pipeline/topics_corpus_test.cpp.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "newshound/match/matcher.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/topic_eval.hpp"
#include "newshound/match/topic_file.hpp"
#include "newshound/match/topic_query.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound::test {

/// The canonical form of topic query `text`, or "error at COL: message".
inline std::string query_canon(const std::string& text) {
  TopicQuery q;
  QueryError err;
  if (!parse_query(text, q, err))
    return "error at " + std::to_string(column_of_offset(text, err.offset)) + ": " + err.message;
  return q.to_string();
}

/// Parses `.topics` text as one file called `name`; the text must be clean.
inline TopicFile topics_from(const std::string& text, const std::string& name = "topics") {
  TopicFile tf;
  tf.name = name;
  tf.path = name + ".topics";
  Diagnostics diags;
  parse_topics(text, tf.path, tf, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(diags.empty());
  return tf;
}

inline std::shared_ptr<const Rules> compile_all(const std::vector<WatchList>& lists,
                                                const std::vector<TopicFile>& topics) {
  Diagnostics diags;
  auto rules = Rules::compile(lists, topics, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(rules != nullptr);
  return rules;
}

/// Resolves @list/Name against `lists` (which must outlive the resolver).
inline EntityResolver resolver_for(const std::vector<WatchList>& lists) {
  return [&lists](std::string_view list, std::string_view name) -> const EntityDef* {
    for (const auto& l : lists) {
      if (l.name != list) continue;
      for (const auto& e : l.entities)
        if (e.canonical == name) return &e;
      return nullptr;  // the first list of that name decides, as in Rules::compile
    }
    return nullptr;
  };
}

inline std::string describe(const TopicSpan& s) {
  std::ostringstream o;
  o << to_string(s.field) << ":" << s.start << "-" << s.end << " [" << s.folded_start << ","
    << s.folded_end << ") node " << s.node;
  return o.str();
}

inline bool same_span(const TopicSpan& a, const TopicSpan& b) {
  return std::tie(a.field, a.start, a.end, a.folded_start, a.folded_end, a.node) ==
         std::tie(b.field, b.start, b.end, b.folded_start, b.folded_end, b.node);
}

/// Empty if the engine's topic hits in `ms` equal the reference evaluation of every
/// topic of `rules`; else a description of the first difference.
inline std::string topic_difference(const Rules& rules, const std::vector<WatchList>& lists,
                                    const Article& article, const NormalizedArticle& text,
                                    const MatchSet& ms) {
  const EntityResolver resolve = resolver_for(lists);
  std::size_t next = 0;  // index into ms.topics
  for (std::uint32_t t = 0; t < rules.topics().size(); ++t) {
    const Topic& topic = rules.topics()[t];
    const TopicEvaluation want = evaluate_topic_reference(topic.query, article, text, resolve);
    const bool got = next < ms.topics.size() && ms.topics[next].topic == t;
    std::ostringstream o;
    o << "topic " << topic.id << ": " << topic.text << "\n  canonical: " << topic.query.to_string()
      << "\n";
    if (got != want.matched) {
      o << "  engine " << (got ? "matched" : "did not match") << ", reference "
        << (want.matched ? "matched" : "did not");
      for (const auto& s : want.spans) o << "\n  want " << describe(s);
      return o.str();
    }
    if (!got) continue;
    const TopicHit& h = ms.topics[next++];
    std::vector<TopicSpan> have(ms.topic_spans.begin() + h.span_begin,
                                ms.topic_spans.begin() + h.span_end);
    bool equal = have.size() == want.spans.size();
    for (std::size_t i = 0; equal && i < have.size(); ++i)
      equal = same_span(have[i], want.spans[i]);
    if (!equal) {
      o << "  spans differ";
      for (const auto& s : have) o << "\n  have " << describe(s);
      for (const auto& s : want.spans) o << "\n  want " << describe(s);
      return o.str();
    }
  }
  if (next != ms.topics.size()) return "engine reported a topic twice or out of order";
  return {};
}

}  // namespace newshound::test

// Stage: match. The matcher interface and its two engines: Hyperscan (production)
// and a deliberately simple reference engine (tests, differential fuzzing, debug).
#pragma once

#include <memory>

#include "newshound/decode/article.hpp"
#include "newshound/match/alert_limits.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/normalize/transliterator.hpp"

struct hs_scratch;

namespace newshound {

struct TopicScratch;  // src/match/topic_engine.hpp: the topic engine's reusable buffers

/// Finds the matches of one article. One instance per worker thread (it owns
/// per-thread scratch); the Rules it holds are shared and read-only.
class Matcher {
 public:
  virtual ~Matcher() = default;
  /// `text` must be the folding of `article` (acronyms are checked against the
  /// original fields). Fills `out` (cleared first). Returns false only on an engine failure (out of
  /// memory in the engine, corrupted database); the article then has no matches
  /// and the caller counts the failure. Never throws except std::bad_alloc.
  virtual bool match(const Article& article, const NormalizedArticle& text, MatchSet& out) = 0;
  virtual const Rules& rules() const = 0;
  /// Bounds what match() collects: at most about 4 x limits.max_matches verified
  /// entity hits are kept in memory (the rest only counted, MatchSet::truncated),
  /// and each topic hit lists at most limits.max_spans_per_topic spans.
  void set_limits(const AlertLimits& limits) { limits_ = limits; }
  const AlertLimits& limits() const { return limits_; }

 protected:
  AlertLimits limits_;
};

/// Hyperscan block-mode engine: one scan over the folded text, the callback only
/// appends Candidates, verification runs after the scan.
class HyperscanMatcher final : public Matcher {
 public:
  /// Allocates this thread's scratch for `rules`. Throws std::runtime_error if
  /// Hyperscan cannot allocate it (start-up only, never on the hot path), and
  /// std::invalid_argument if `rules` is null.
  explicit HyperscanMatcher(std::shared_ptr<const Rules> rules);
  ~HyperscanMatcher() override;
  HyperscanMatcher(const HyperscanMatcher&) = delete;
  HyperscanMatcher& operator=(const HyperscanMatcher&) = delete;

  bool match(const Article& article, const NormalizedArticle& text, MatchSet& out) override;
  const Rules& rules() const override { return *rules_; }

 private:
  std::shared_ptr<const Rules> rules_;
  std::unique_ptr<TopicScratch> topics_;
  hs_scratch* scratch_ = nullptr;
  Transliterator translit_;  ///< ICU opened on the first article that needs a view
  TranslitView view_;
};

/// Reference engine: for every distinct literal, every occurrence found with
/// std::string_view::find. Slow and obviously right; same verification and the
/// same topic engine (topics are checked against evaluate_topic_reference).
class ReferenceMatcher final : public Matcher {
 public:
  explicit ReferenceMatcher(std::shared_ptr<const Rules> rules);
  ~ReferenceMatcher() override;
  ReferenceMatcher(const ReferenceMatcher&) = delete;
  ReferenceMatcher& operator=(const ReferenceMatcher&) = delete;
  bool match(const Article& article, const NormalizedArticle& text, MatchSet& out) override;
  const Rules& rules() const override { return *rules_; }

 private:
  std::shared_ptr<const Rules> rules_;
  std::unique_ptr<TopicScratch> topics_;
  Transliterator translit_;
  TranslitView view_;
};

/// Shared second half of every engine: turns `out.candidates` (database ids, see
/// Rules::literal_patterns) into `out.matches` (word boundaries, acronym case
/// against `original` fields, hits inside an occurrence of a negative alias of
/// their entity dropped, containment within one entity, offsets mapped back,
/// sorted by text value, then start). Topic terms are left to the topic engine.
/// `article` holds the original text values the text was folded from.
/// Bounded by `max_matches` (0 = 1): keeps the first `max_matches` matches in reading
/// order of those collected, and counts the rest in `out.truncated`. Memory stays
/// bounded: once 4 x max_matches verified hits are held, further hits are only
/// counted (so `truncated` may then include hits a longer match of their entity
/// would have hidden, and which hits are kept follows the engine's report order).
/// With `view` (the transliterated view of `text`, see TranslitView), the hits in
/// `out.view_candidates` of Pattern::translit literals count too: word boundaries
/// in the view, at least one transliterated byte, offsets mapped back through the
/// view to the folded text and from there to the original bytes.
void verify_candidates(const Rules& rules, const NormalizedArticle& text, const Article& article,
                       MatchSet& out, std::size_t max_matches = AlertLimits{}.max_matches,
                       const TranslitView* view = nullptr);

/// verify_candidates for an article of just `headline` and `body` (tests; allocates).
void verify_candidates(const Rules& rules, const NormalizedArticle& text, std::string_view headline,
                       std::string_view body, MatchSet& out,
                       std::size_t max_matches = AlertLimits{}.max_matches);

}  // namespace newshound

// Stage: match. Owns the two engines behind the Matcher interface: Hyperscan
// (production; per-thread scratch, one scan per database shard, the scan callback
// only records candidates) and the reference engine (std::string_view::find per
// pattern). Both hand their candidates to verify_candidates, so they differ only in
// how candidates are found. When a list transliterates, each also owns a
// Transliterator and scans the transliterated view of articles whose folded text
// kept non-ASCII code points (MatchSet::view_candidates).
#include <hs.h>

#include <limits>
#include <new>
#include <stdexcept>

#include "newshound/match/matcher.hpp"
#include "topic_engine.hpp"

namespace newshound {

namespace {

/// hs_scan only takes an unsigned int length, and Candidate offsets are 32-bit.
bool too_long(const std::string& text) {
  return text.size() > std::numeric_limits<unsigned int>::max() ||
         text.size() > std::numeric_limits<std::uint32_t>::max();
}

struct ScanContext {
  std::vector<Candidate>* candidates;
  bool out_of_memory = false;
};

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
             unsigned int /*flags*/, void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  // No exception may unwind through Hyperscan's C frames: stop the scan instead.
  try {
    c->candidates->push_back(Candidate{id, static_cast<std::uint32_t>(to)});
  } catch (const std::bad_alloc&) {
    c->out_of_memory = true;
    return 1;
  }
  return 0;
}

/// The transliterated view of `text` in `view`, or nullptr when none is needed: no
/// list transliterates, or the folding kept nothing but ASCII (the normalizer's
/// flag: an ASCII article costs this one test).
const TranslitView* view_of(const Rules& rules, const NormalizedArticle& text,
                            Transliterator& translit, TranslitView& view) {
  if (!rules.transliterates() || !text.non_ascii) return nullptr;
  translit.build(text.text, view);
  return &view;
}

}  // namespace

HyperscanMatcher::HyperscanMatcher(std::shared_ptr<const Rules> rules)
    : rules_(std::move(rules)), topics_(std::make_unique<TopicScratch>()) {
  if (!rules_) throw std::invalid_argument("HyperscanMatcher: no rules");
  // One scratch, grown to fit every shard (they are scanned one after the other).
  for (const hs_database* db : rules_->databases()) {
    if (hs_alloc_scratch(db, &scratch_) != HS_SUCCESS) {
      if (scratch_ != nullptr) hs_free_scratch(scratch_);
      scratch_ = nullptr;
      throw std::runtime_error("cannot allocate Hyperscan scratch space");
    }
  }
}

HyperscanMatcher::~HyperscanMatcher() {
  if (scratch_ != nullptr) hs_free_scratch(scratch_);
}

bool HyperscanMatcher::match(const Article& article, const NormalizedArticle& text, MatchSet& out) {
  out.clear();
  if (rules_->databases().empty()) {  // no literal: only filter-only topics can match
    if (!rules_->filter_topics().empty() && !too_long(text.text))
      match_topics(*rules_, article, text, out, *topics_, limits_.max_spans_per_topic);
    return true;
  }
  if (too_long(text.text)) return false;
  const TranslitView* view = view_of(*rules_, text, translit_, view_);
  if (view != nullptr && too_long(view->text)) view = nullptr;
  for (const std::string* t : {&text.text, view != nullptr ? &view->text : nullptr}) {
    if (t == nullptr) continue;
    ScanContext ctx{t == &text.text ? &out.candidates : &out.view_candidates};
    for (const hs_database* db : rules_->databases()) {
      const hs_error_t rc =
          hs_scan(db, t->data(), static_cast<unsigned int>(t->size()), 0, scratch_, on_match, &ctx);
      if (rc != HS_SUCCESS || ctx.out_of_memory) {
        out.clear();
        return false;
      }
    }
  }
  verify_candidates(*rules_, text, article, out, limits_.max_matches, view);
  match_topics(*rules_, article, text, out, *topics_, limits_.max_spans_per_topic);
  return true;
}

ReferenceMatcher::ReferenceMatcher(std::shared_ptr<const Rules> rules)
    : rules_(std::move(rules)), topics_(std::make_unique<TopicScratch>()) {
  if (!rules_) throw std::invalid_argument("ReferenceMatcher: no rules");
}

ReferenceMatcher::~ReferenceMatcher() = default;

bool ReferenceMatcher::match(const Article& article, const NormalizedArticle& text, MatchSet& out) {
  out.clear();
  if (too_long(text.text)) return false;
  const TranslitView* view = view_of(*rules_, text, translit_, view_);
  if (view != nullptr && too_long(view->text)) view = nullptr;
  const auto& patterns = rules_->patterns();
  const auto find_all = [&](std::string_view haystack, std::vector<Candidate>& found) {
    for (std::size_t id = 0; id < rules_->literal_count(); ++id) {
      const std::string_view lit =
          patterns[rules_->literal_patterns(static_cast<std::uint32_t>(id)).front()].literal;
      if (lit.empty()) continue;
      for (auto pos = haystack.find(lit); pos != std::string_view::npos;
           pos = haystack.find(lit, pos + 1)) {
        found.push_back(Candidate{static_cast<std::uint32_t>(id),
                                  static_cast<std::uint32_t>(pos + lit.size())});
      }
    }
  };
  find_all(text.text, out.candidates);
  if (view != nullptr) find_all(view->text, out.view_candidates);
  verify_candidates(*rules_, text, article, out, limits_.max_matches, view);
  match_topics(*rules_, article, text, out, *topics_, limits_.max_spans_per_topic);
  return true;
}

}  // namespace newshound

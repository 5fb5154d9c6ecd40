// Stage: match. Owns verification, the engine-independent second half of matching:
// raw Candidates (database id + folded end) -> Matches that obey the matching rules
// of docs/matching.md, including negative aliases, bounded by
// AlertLimits::max_matches (what is left out is counted). Also owns verify_hit, the check
// of one literal hit shared with the topic engine (which rejects the
// transliterated view's literals: they are checked in the view, verify_view_hit). Works in place in
// the MatchSet's reused vectors: no allocation once they have grown to the article sizes seen.
#include <algorithm>
#include <tuple>

#include "newshound/match/matcher.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "topic_engine.hpp"

namespace newshound {

bool verify_hit(const Pattern& p, const NormalizedArticle& na, const Article& article,
                std::uint32_t hit_end, LiteralHit& out) {
  const std::string_view text = na.text;
  const std::size_t len = p.literal.size();
  if (len == 0 || hit_end > text.size() || hit_end < len) return false;
  if (p.translit) return false;  // matched in the transliterated view only
  const std::size_t s = hit_end - len;
  std::size_t e = hit_end;
  // The tables must cover the span; a malformed article never crashes us.
  if (e > na.src_begin.size() || e > na.src_end.size()) return false;

  // Rule 7 (docs/matching.md): a match lies in one text value: inside one segment,
  // never touching or crossing the '\0' after it.
  const std::uint32_t value = na.segment_at(static_cast<std::uint32_t>(s));
  if (value >= article.text_count()) return false;
  const TextSegment seg = na.segment(value);
  if (s < seg.begin || e > seg.end) return false;
  const std::size_t field_end = seg.end;

  // Rule 5: word boundaries in the folded text; a prefix term's word may continue.
  if (word_char_before(text, s)) return false;
  if (p.prefix) {
    const std::size_t limit = std::min({field_end, na.src_end.size()});
    while (e < limit && word_char_at(text, e)) {
      ++e;
      while (e < limit && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    }
  } else if (word_char_at(text, e)) {
    return false;
  }

  const std::uint32_t start = na.src_begin[s];
  const std::uint32_t end = na.src_end[e - 1];
  if (end < start) return false;

  // Rule 1: acronyms match exactly as written in the original field.
  if (!p.exact.empty()) {
    const std::string_view original = article.text(value).text;
    if (end > original.size() || original.substr(start, end - start) != p.exact) return false;
  }
  out.field = seg.field;
  out.value = value;
  out.start = start;
  out.end = end;
  out.folded_start = static_cast<std::uint32_t>(s);
  out.folded_end = static_cast<std::uint32_t>(e);
  return true;
}

namespace {

/// verify_hit for a Pattern::translit literal hit ending at `hit_end` in `view`:
/// fills `out` with folded and original offsets and returns true if it holds.
bool verify_view_hit(const Pattern& p, const NormalizedArticle& na, const TranslitView& view,
                     std::uint32_t hit_end, LiteralHit& out) {
  const std::string_view vt = view.text;
  const std::size_t len = p.literal.size();
  if (!p.translit || len == 0 || hit_end > vt.size() || hit_end < len) return false;
  const std::size_t s = hit_end - len;
  const std::size_t e = hit_end;
  if (e > view.main_begin.size() || e > view.main_end.size()) return false;
  // Rule 5 in the view's spelling; Latin-only spans are the folded text's business.
  if (word_char_before(vt, s) || word_char_at(vt, e)) return false;
  if (!view.touches_translit(s, e)) return false;
  const std::uint32_t ms = view.main_begin[s];
  const std::uint32_t me = view.main_end[e - 1];
  if (me <= ms || me > na.src_begin.size() || me > na.src_end.size()) return false;
  // Rule 7: inside one text value of the folded text.
  const std::uint32_t value = na.segment_at(ms);
  if (value >= na.segment_count()) return false;
  const TextSegment seg = na.segment(value);
  if (ms < seg.begin || me > seg.end) return false;
  const std::uint32_t start = na.src_begin[ms];
  const std::uint32_t end = na.src_end[me - 1];
  if (end < start) return false;
  out.field = seg.field;
  out.value = value;
  out.start = start;
  out.end = end;
  out.folded_start = ms;
  out.folded_end = me;
  return true;
}

}  // namespace

void verify_candidates(const Rules& rules, const NormalizedArticle& text, std::string_view headline,
                       std::string_view body, MatchSet& out, std::size_t max_matches) {
  Article article;
  article.headline.assign(headline);
  article.body.assign(body);
  verify_candidates(rules, text, article, out, max_matches);
}

void verify_candidates(const Rules& rules, const NormalizedArticle& text, const Article& article,
                       MatchSet& out, std::size_t max_matches, const TranslitView* view) {
  auto& ms = out.matches;
  ms.clear();
  out.truncated = 0;
  max_matches = std::max<std::size_t>(max_matches, 1);
  // Room for the matches kept, the ones containment drops and the negatives; beyond
  // it hits are only counted, so an alias shared by thousands of entities costs
  // time in its hits but memory in the bound only.
  const std::size_t hold = 4 * max_matches;
  const auto& patterns = rules.patterns();
  for (const Candidate& c : out.candidates) {
    for (const std::uint32_t pi : rules.literal_patterns(c.pattern)) {
      const Pattern& p = patterns[pi];
      if (p.kind == PatternKind::term) continue;  // the topic engine's business
      if (ms.size() >= hold && p.kind == PatternKind::negative) continue;
      LiteralHit h;
      if (!verify_hit(p, text, article, c.end, h)) continue;
      if (ms.size() >= hold) {
        ++out.truncated;
        continue;
      }
      // Verified negatives ride along in `ms` until the pass below drops them.
      ms.push_back(
          Match{p.entity, pi, h.field, h.start, h.end, h.folded_start, h.folded_end, h.value});
    }
  }
  // Hits in the transliterated view, mapped to folded offsets: from here on they are
  // like any other (an alias in the article's own script and its transliteration
  // hitting the same word give equal spans: containment keeps one).
  if (view != nullptr) {
    for (const Candidate& c : out.view_candidates) {
      for (const std::uint32_t pi : rules.literal_patterns(c.pattern)) {
        const Pattern& p = patterns[pi];
        if (!p.translit) continue;
        if (ms.size() >= hold && p.kind == PatternKind::negative) continue;
        LiteralHit h;
        if (!verify_view_hit(p, text, *view, c.end, h) || h.value >= article.text_count()) continue;
        if (ms.size() >= hold) {
          ++out.truncated;
          continue;
        }
        ms.push_back(
            Match{p.entity, pi, h.field, h.start, h.end, h.folded_start, h.folded_end, h.value});
      }
    }
  }
  const auto negative = [&](const Match& m) {
    return patterns[m.pattern].kind == PatternKind::negative;
  };

  // Rule 7, continued: within one entity, drop matches contained in (or equal to) another,
  // and (negative aliases) matches contained in an occurrence of a negative.
  // Ordered by entity, then start ascending, end descending, negatives first, pattern
  // ascending: a match is contained iff an earlier match (or negative) of its entity
  // reaches its end. The lowest pattern id wins among exact duplicates, whatever the
  // engine order.
  std::sort(ms.begin(), ms.end(), [&](const Match& a, const Match& b) {
    const bool na = !negative(a);
    const bool nb = !negative(b);
    return std::tie(a.entity, a.folded_start, b.folded_end, na, a.pattern) <
           std::tie(b.entity, b.folded_start, a.folded_end, nb, b.pattern);
  });
  std::size_t kept = 0;
  bool started = false;
  std::uint32_t entity = 0;
  std::uint32_t reach = 0;      // furthest folded end of a kept match of `entity`
  std::uint32_t neg_reach = 0;  // furthest folded end of a negative of `entity`
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const Match m = ms[i];
    if (!started || m.entity != entity) {
      started = true;
      entity = m.entity;
      reach = 0;
      neg_reach = 0;
    }
    if (negative(m)) {
      neg_reach = std::max(neg_reach, m.folded_end);
      continue;
    }
    if (m.folded_end <= neg_reach || m.folded_end <= reach) continue;
    reach = m.folded_end;
    ms[kept++] = m;
  }
  ms.resize(kept);

  std::sort(ms.begin(), ms.end(), [](const Match& a, const Match& b) {
    return std::tie(a.value, a.start, a.entity, a.end, a.folded_start, a.pattern) <
           std::tie(b.value, b.start, b.entity, b.end, b.folded_start, b.pattern);
  });
  if (ms.size() > max_matches) {
    out.truncated += ms.size() - max_matches;
    ms.resize(max_matches);
  }
}

}  // namespace newshound

// Stage: match. Owns verification, the engine-independent second half of matching:
// raw Candidates (pattern id + folded end) -> Matches that obey the matching rules
// of docs/matching.md. Works in place in the MatchSet's reused vectors: no
// allocation once they have grown to the article sizes seen.
#include <algorithm>
#include <tuple>

#include "newshound/match/matcher.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {

namespace {

/// Builds the Match for candidate `c`, or returns false if it breaks a rule.
bool verify_one(const Rules& rules, const NormalizedArticle& na, std::string_view headline,
                std::string_view body, const Candidate& c, Match& m) {
  const auto& patterns = rules.patterns();
  if (c.pattern >= patterns.size()) return false;
  const Pattern& p = patterns[c.pattern];
  const std::string_view text = na.text;
  const std::size_t len = p.literal.size();
  if (len == 0 || c.end > text.size() || c.end < len) return false;
  const std::size_t s = c.end - len;
  const std::size_t e = c.end;
  // The tables must cover the span; a malformed article never crashes us.
  if (e > na.src_begin.size() || e > na.src_end.size()) return false;

  // Rule 7 (docs/matching.md): a match lies in one field. The headline is [0, body_offset - 1), the
  // '\0' is at body_offset - 1, the body is [body_offset, size).
  Field field = Field::body;
  if (na.body_offset > 0 && s < na.body_offset) {
    if (e > na.body_offset - 1) return false;  // touches or crosses the separator
    field = Field::headline;
  }

  // Rule 5: word boundaries in the folded text.
  if (word_char_before(text, s) || word_char_at(text, e)) return false;

  const std::uint32_t start = na.src_begin[s];
  const std::uint32_t end = na.src_end[e - 1];
  if (end < start) return false;

  // Rule 1: acronyms match exactly as written in the original field.
  if (!p.exact.empty()) {
    const std::string_view original = field == Field::headline ? headline : body;
    if (end > original.size() || original.substr(start, end - start) != p.exact) return false;
  }

  m.entity = p.entity;
  m.pattern = c.pattern;
  m.field = field;
  m.start = start;
  m.end = end;
  m.folded_start = static_cast<std::uint32_t>(s);
  m.folded_end = static_cast<std::uint32_t>(e);
  return true;
}

}  // namespace

void verify_candidates(const Rules& rules, const NormalizedArticle& text, std::string_view headline,
                       std::string_view body, MatchSet& out) {
  auto& ms = out.matches;
  ms.clear();
  for (const Candidate& c : out.candidates) {
    Match m;
    if (verify_one(rules, text, headline, body, c, m)) ms.push_back(m);
  }

  // Rule 7, continued: within one entity, drop matches contained in (or equal to) another.
  // Ordered by entity, then start ascending, end descending, pattern ascending:
  // a match is contained iff an earlier match of its entity reaches its end.
  // The lowest pattern id wins among exact duplicates, whatever the engine order.
  std::sort(ms.begin(), ms.end(), [](const Match& a, const Match& b) {
    return std::tie(a.entity, a.folded_start, b.folded_end, a.pattern) <
           std::tie(b.entity, b.folded_start, a.folded_end, b.pattern);
  });
  std::size_t kept = 0;
  std::uint32_t entity = 0;
  std::uint32_t reach = 0;  // furthest folded end seen for `entity`
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const Match& m = ms[i];
    if (kept == 0 || m.entity != entity) {
      entity = m.entity;
      reach = 0;
    } else if (m.folded_end <= reach) {
      continue;
    }
    reach = std::max(reach, m.folded_end);
    ms[kept++] = m;
  }
  ms.resize(kept);

  std::sort(ms.begin(), ms.end(), [](const Match& a, const Match& b) {
    return std::tie(a.field, a.start, a.entity, a.end, a.folded_start, a.pattern) <
           std::tie(b.field, b.start, b.entity, b.end, b.folded_start, b.pattern);
  });
}

}  // namespace newshound

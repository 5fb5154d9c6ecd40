// Stage: match. Owns the topic engine: after the scan and entity verification, turns
// term hits into verified term occurrences, wakes only the topics that own a seen
// term (or reference a matched entity), and evaluates those over the occurrences:
// scopes as folded regions, NEAR with word numbers computed only when needed (a
// linear sweep over sorted occurrence edges, not every pair), ATLEAST. Every step
// is linear (or n log n) in the article and its occurrences. Its results equal
// evaluate_topic_reference (topic_reference_eval.cpp), the definition of the semantics; spans are
// collected on one stack (MatchSet::topic_spans) that a false sub-query truncates back.
// Metadata filters (topic_filters.cpp), NEAR/s and NEAR/p (per-unit reach, units from
// topic_sentences.cpp) and MENTIONS are evaluated here too; filter-only topics
// (Rules::filter_topics) are woken for every article. A `~` term's hit counts when
// its word is a form of the term in the article's language (stem.hpp).
// About 530 lines: the evaluator's scopes, NEAR sweeps, unit reaches and the gather
// step share its private types; splitting them would only spread one algorithm.
#include "topic_engine.hpp"

#include <algorithm>
#include <tuple>

#include "newshound/match/topic_eval.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {

namespace {

struct Region {
  std::uint32_t b = 0;
  std::uint32_t e = 0;
};

/// The folded regions a sub-query looks in, ordered and disjoint: the whole text,
/// or the runs of segments of one field (at most two: the main value and the
/// further ones, see Article), or the lead, or intersections of those.
struct Scope {
  static constexpr std::uint32_t kMax = 4;
  Region r[kMax];
  std::uint32_t n = 0;
};

bool by_key(const Occurrence& a, const Occurrence& b) {
  return std::tie(a.key, a.s, a.e) < std::tie(b.key, b.s, b.e);
}

std::pair<const Occurrence*, const Occurrence*> range_of(const std::vector<Occurrence>& v,
                                                         std::uint32_t key) {
  const auto lo = std::lower_bound(v.begin(), v.end(), key,
                                   [](const Occurrence& o, std::uint32_t k) { return o.key < k; });
  const auto hi = std::upper_bound(lo, v.end(), key,
                                   [](std::uint32_t k, const Occurrence& o) { return k < o.key; });
  return {v.data() + (lo - v.begin()), v.data() + (hi - v.begin())};
}

class Evaluator {
 public:
  Evaluator(const Rules& rules, const Article& a, const NormalizedArticle& na, TopicScratch& s,
            std::vector<TopicSpan>& spans)
      : rules_(rules), a_(a), na_(na), text_(na.text), s_(s), spans_(spans) {}

  /// The whole text: occurrences never cross a separator (verify_hit), so one
  /// region covers every text value.
  Scope all() const {
    Scope sc;
    const auto size = static_cast<std::uint32_t>(text_.size());
    if (size > 0) sc.r[sc.n++] = {0, size};
    return sc;
  }

  /// Evaluates node `i` of `q` in `sc`. True: its spans were pushed on spans_.
  /// False: spans_ is as it was.
  bool eval(const TopicQuery& q, std::uint32_t i, const Scope& sc) {
    const QueryNode& n = q.node(i);
    const std::size_t base = spans_.size();
    switch (n.kind) {
      case QueryKind::term:
      case QueryKind::phrase:
      case QueryKind::entity_ref:
        collect(q, i, sc, spans_);
        return spans_.size() > base;
      case QueryKind::and_:
        for (const auto c : n.children) {
          if (!eval(q, c, sc)) {
            spans_.resize(base);
            return false;
          }
        }
        return true;
      case QueryKind::or_: {
        bool any = false;
        for (const auto c : n.children) any = eval(q, c, sc) || any;
        return any;
      }
      case QueryKind::not_: {
        const bool held = eval(q, n.children[0], sc);
        spans_.resize(base);
        return !held;
      }
      case QueryKind::near:
        return near(q, n, sc);
      case QueryKind::meta:
        return meta_filter_holds(n, a_);
      case QueryKind::mentions:
        return mentions(q, n, sc);
      case QueryKind::field:
        return eval(q, n.children[0], scoped(sc, n.scope));
      case QueryKind::at_least: {
        std::uint32_t count = 0;
        for (const auto c : n.children) count += eval(q, c, sc) ? 1 : 0;
        if (count >= n.n) return true;
        spans_.resize(base);
        return false;
      }
    }
    return false;
  }

 private:
  TopicSpan make_span(std::uint32_t s, std::uint32_t e, std::uint32_t node) const {
    return topic_span_of(na_, s, e, node);
  }

  /// Pushes the occurrences in `sc` of occurrence list [b, e) for node `node`.
  /// `stem` > 0 for a prefix term: its word may be cut at a region's end.
  void push_in_scope(const Occurrence* b, const Occurrence* e, std::uint32_t stem,
                     std::uint32_t node, const Scope& sc, std::vector<TopicSpan>& out) const {
    for (const Occurrence* o = b; o != e; ++o) {
      for (std::uint32_t k = 0; k < sc.n; ++k) {
        const Region& r = sc.r[k];
        if (o->s < r.b) continue;
        if (stem > 0) {
          if (o->s + stem > r.e) continue;
          out.push_back(make_span(o->s, std::min(o->e, r.e), node));
        } else {
          if (o->e > r.e) continue;
          out.push_back(make_span(o->s, o->e, node));
        }
        break;  // regions do not overlap
      }
    }
  }

  /// Occurrences of a term, phrase, entity or OR-group of those, in `sc`.
  void collect(const TopicQuery& q, std::uint32_t i, const Scope& sc,
               std::vector<TopicSpan>& out) const {
    const QueryNode& n = q.node(i);
    switch (n.kind) {
      case QueryKind::term:
      case QueryKind::phrase: {
        const auto [b, e] = range_of(s_.terms, n.target);
        const Term& t = rules_.terms()[n.target];
        push_in_scope(b, e, t.prefix ? static_cast<std::uint32_t>(t.literal.size()) : 0, i, sc,
                      out);
        return;
      }
      case QueryKind::entity_ref: {
        const auto [b, e] = range_of(s_.entities, n.target);
        push_in_scope(b, e, 0, i, sc, out);
        return;
      }
      case QueryKind::or_:
        for (const auto c : n.children) collect(q, c, sc, out);
        return;
      default:
        return;  // the parser allows nothing else as a NEAR operand
    }
  }

  /// Word number of every folded byte, as the reference evaluator counts them.
  void number_words() {
    if (s_.words_ready) return;
    s_.words_ready = true;
    number_words_of(text_, s_.words);
  }

  /// NEAR/ONEAR: keeps every occurrence of either side that has a partner on the
  /// other side (same field, not overlapping, within n words; ONEAR: left first).
  /// Word numbers never decrease along the text, so an occurrence's best partner
  /// after it is the one starting first at or after its end, and its best partner
  /// before it the one ending last at or before its start: four merge sweeps over
  /// the occurrence edges sorted by position, linear after the sort (not the
  /// reference's every pair).
  bool near(const TopicQuery& q, const QueryNode& n, const Scope& sc) {
    auto& left = s_.left;
    auto& right = s_.right;
    left.clear();
    right.clear();
    collect(q, n.children[0], sc, left);
    if (left.empty()) return false;
    collect(q, n.children[1], sc, right);
    if (right.empty()) return false;
    if (n.unit != NearUnit::words) return near_units(n);
    number_words();
    s_.left_used.assign(left.size(), 0);
    s_.right_used.assign(right.size(), 0);
    edges(left, s_.left_starts, s_.left_ends);
    edges(right, s_.right_starts, s_.right_ends);
    // Left first: x.end <= y.start.
    after(s_.left_ends, s_.right_starts,
          [&](std::uint32_t xi, std::uint32_t yi) { mark_if_near(xi, yi, true, n.n); });
    before(s_.right_starts, s_.left_ends,
           [&](std::uint32_t yi, std::uint32_t xi) { mark_if_near(xi, yi, true, n.n); });
    if (!n.ordered) {  // right first: y.end <= x.start
      after(s_.right_ends, s_.left_starts,
            [&](std::uint32_t yi, std::uint32_t xi) { mark_if_near(xi, yi, false, n.n); });
      before(s_.left_starts, s_.right_ends,
             [&](std::uint32_t xi, std::uint32_t yi) { mark_if_near(xi, yi, false, n.n); });
    }
    const std::size_t base = spans_.size();
    for (std::size_t xi = 0; xi < left.size(); ++xi)
      if (s_.left_used[xi] != 0) spans_.push_back(left[xi]);
    for (std::size_t yi = 0; yi < right.size(); ++yi)
      if (s_.right_used[yi] != 0) spans_.push_back(right[yi]);
    return spans_.size() > base;
  }

  /// MENTIONS n: the operand's occurrences in scope, counted once per span.
  bool mentions(const TopicQuery& q, const QueryNode& n, const Scope& sc) {
    auto& occ = s_.left;
    occ.clear();
    collect(q, n.children[0], sc, occ);
    if (occ.size() < n.n) return false;
    std::sort(occ.begin(), occ.end(), [](const TopicSpan& x, const TopicSpan& y) {
      return std::tie(x.folded_start, x.folded_end) < std::tie(y.folded_start, y.folded_end);
    });
    std::uint32_t distinct = 0;
    for (std::size_t k = 0; k < occ.size(); ++k) {
      if (k == 0 || occ[k].folded_start != occ[k - 1].folded_start ||
          occ[k].folded_end != occ[k - 1].folded_end)
        ++distinct;
    }
    s_.stats.near_steps += occ.size();
    if (distinct < n.n) return false;
    spans_.insert(spans_.end(), occ.begin(), occ.end());
    return true;
  }

  /// Unit number per folded byte for NEAR/s or NEAR/p, computed once per article.
  const std::vector<std::uint32_t>& units(NearUnit unit) {
    const bool sentence = unit == NearUnit::sentence;
    auto& v = sentence ? s_.sentences : s_.paragraphs;
    bool& ready = sentence ? s_.sentences_ready : s_.paragraphs_ready;
    if (!ready) {
      number_units_of(a_, na_, unit, v, s_.unit_breaks);
      ready = true;
    }
    return v;
  }

  /// Each side's occurrences that lie in one unit, as one UnitReach per unit
  /// (sorted by unit).
  void reach(const std::vector<TopicSpan>& spans, const std::vector<std::uint32_t>& u,
             std::vector<UnitReach>& out) {
    out.clear();
    for (const TopicSpan& sp : spans) {
      const std::uint32_t first = u[sp.folded_start];
      if (u[sp.folded_end - 1] != first) continue;  // crosses a boundary: in no unit
      out.push_back({first, sp.folded_start, sp.folded_end});
    }
    std::sort(out.begin(), out.end(),
              [](const UnitReach& a, const UnitReach& b) { return a.unit < b.unit; });
    std::size_t kept = 0;
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (kept > 0 && out[kept - 1].unit == out[k].unit) {
        out[kept - 1].max_start = std::max(out[kept - 1].max_start, out[k].max_start);
        out[kept - 1].min_end = std::min(out[kept - 1].min_end, out[k].min_end);
      } else {
        out[kept++] = out[k];
      }
    }
    out.resize(kept);
    s_.stats.near_steps += spans.size();
  }

  /// The other side's reach in unit `unit`, or nullptr.
  static const UnitReach* reach_in(const std::vector<UnitReach>& v, std::uint32_t unit) {
    const auto it = std::lower_bound(
        v.begin(), v.end(), unit, [](const UnitReach& r, std::uint32_t k) { return r.unit < k; });
    return it != v.end() && it->unit == unit ? &*it : nullptr;
  }

  /// NEAR/s, NEAR/p (and ONEAR): keeps every occurrence with a partner on the other
  /// side in its unit, not overlapping it (ONEAR: the left one first). Per unit, a
  /// partner after an occurrence exists iff the other side's latest start is at or
  /// after its end; one before it iff the other side's earliest end is at or before
  /// its start.
  bool near_units(const QueryNode& n) {
    const auto& u = units(n.unit);
    reach(s_.left, u, s_.left_units);
    reach(s_.right, u, s_.right_units);
    const std::size_t base = spans_.size();
    const auto keep = [&](const std::vector<TopicSpan>& side, const std::vector<UnitReach>& other,
                          bool may_follow, bool may_precede) {
      for (const TopicSpan& x : side) {
        const std::uint32_t unit = u[x.folded_start];
        if (u[x.folded_end - 1] != unit) continue;
        const UnitReach* r = reach_in(other, unit);
        if (r == nullptr) continue;
        if ((may_follow && r->max_start >= x.folded_end) ||
            (may_precede && r->min_end <= x.folded_start))
          spans_.push_back(x);
      }
    };
    // A left occurrence may have its partner after it (always) or before it (NEAR).
    keep(s_.left, s_.right_units, true, !n.ordered);
    keep(s_.right, s_.left_units, !n.ordered, true);
    return spans_.size() > base;
  }

  /// The start and end edges of `spans`, each sorted by position.
  void edges(const std::vector<TopicSpan>& spans, std::vector<NearEdge>& starts,
             std::vector<NearEdge>& ends) {
    starts.clear();
    ends.clear();
    for (std::uint32_t i = 0; i < spans.size(); ++i) {
      starts.push_back({spans[i].folded_start, i});
      ends.push_back({spans[i].folded_end, i});
    }
    const auto by_pos = [](const NearEdge& a, const NearEdge& b) { return a.pos < b.pos; };
    if (!std::is_sorted(starts.begin(), starts.end(), by_pos))
      std::sort(starts.begin(), starts.end(), by_pos);
    if (!std::is_sorted(ends.begin(), ends.end(), by_pos))
      std::sort(ends.begin(), ends.end(), by_pos);
    s_.stats.near_steps += 2 * spans.size();
  }

  /// For each of `queries` (sorted), f(query, target) with the first of `targets`
  /// (sorted) at or after it; stops when no target is left.
  template <class F>
  void after(const std::vector<NearEdge>& queries, const std::vector<NearEdge>& targets, F&& f) {
    std::size_t j = 0;
    for (const NearEdge& e : queries) {
      while (j < targets.size() && targets[j].pos < e.pos) ++j;
      if (j == targets.size()) break;
      f(e.i, targets[j].i);
    }
    s_.stats.near_steps += queries.size() + j;
  }

  /// For each of `queries` (sorted), f(query, target) with the last of `targets`
  /// (sorted) at or before it.
  template <class F>
  void before(const std::vector<NearEdge>& queries, const std::vector<NearEdge>& targets, F&& f) {
    std::size_t j = 0;  // targets [0, j) are at or before the query
    for (const NearEdge& e : queries) {
      while (j < targets.size() && targets[j].pos <= e.pos) ++j;
      if (j > 0) f(e.i, targets[j - 1].i);
    }
    s_.stats.near_steps += queries.size() + j;
  }

  /// Marks left[xi] and right[yi] used if they are near: same text value and at most
  /// `n` words apart, x before y when `x_first` (else y before x).
  void mark_if_near(std::uint32_t xi, std::uint32_t yi, bool x_first, std::uint32_t n) {
    const TopicSpan& x = s_.left[xi];
    const TopicSpan& y = s_.right[yi];
    if (x.value != y.value) return;
    const TopicSpan& a = x_first ? x : y;
    const TopicSpan& b = x_first ? y : x;
    if (a.folded_end > b.folded_start) return;  // overlapping
    if (s_.words[b.folded_start] - s_.words[a.folded_end - 1] > n) return;
    s_.left_used[xi] = 1;
    s_.right_used[yi] = 1;
  }

  /// `sc` cut to the segments of the scope's field (or to the lead).
  Scope scoped(const Scope& sc, QueryScope scope) {
    Scope within;
    if (scope == QueryScope::lead) {
      if (!s_.lead_ready) {
        s_.lead = lead_range(a_, na_);
        s_.lead_ready = true;
      }
      within.r[within.n++] = {s_.lead.first, s_.lead.second};
    } else {
      const Field f = field_of(scope);
      // Segments of one field come in at most two runs (Article order); a run spans
      // the separators between its segments, which no occurrence covers.
      for (std::size_t i = 0; i < na_.segment_count(); ++i) {
        const TextSegment seg = na_.segment(i);
        if (seg.field != f) continue;
        if (within.n > 0 && na_.segment(i - 1).field == f) {
          within.r[within.n - 1].e = seg.end;
        } else if (within.n < Scope::kMax) {
          within.r[within.n++] = {seg.begin, seg.end};
        }
      }
    }
    Scope out;
    for (std::uint32_t k = 0; k < sc.n; ++k) {
      for (std::uint32_t j = 0; j < within.n && out.n < Scope::kMax; ++j) {
        const Region x{std::max(sc.r[k].b, within.r[j].b), std::min(sc.r[k].e, within.r[j].e)};
        if (x.b < x.e) out.r[out.n++] = x;
      }
    }
    return out;
  }

  const Rules& rules_;
  const Article& a_;
  const NormalizedArticle& na_;
  std::string_view text_;
  TopicScratch& s_;
  std::vector<TopicSpan>& spans_;
};

/// True unless `t` is a `~` term and the word of hit `h` (of pattern `p`) is not one
/// of its forms in the article's language (stem.hpp). Only the pattern of that
/// language's scan literal counts, so a word is found once. No allocation once the
/// stemmer exists.
bool is_stem_form(const Term& t, const Pattern& p, const Article& article,
                  const NormalizedArticle& text, const LiteralHit& h, TopicScratch& s) {
  if (!t.stem) return true;
  const std::uint32_t lang = effective_stem_language(article.language, t.language);
  if (lang >= t.stems.size() || lang >= t.scans.size() || p.literal != t.scans[lang]) return false;
  const std::string_view word =
      std::string_view(text.text).substr(h.folded_start, h.folded_end - h.folded_start);
  return is_word_form(s.stemmers, lang, word, t.literal, t.stems[lang], t.scans[lang]);
}

/// Verified occurrences of terms, and the matches of referenced entities (alias
/// hits outside their negatives' occurrences and outside longer hits).
void gather(const Rules& rules, const Article& article, const NormalizedArticle& text,
            const MatchSet& out, TopicScratch& s) {
  const auto& patterns = rules.patterns();
  for (const Candidate& c : out.candidates) {
    for (const std::uint32_t pi : rules.literal_patterns(c.pattern)) {
      const Pattern& p = patterns[pi];
      if (p.kind != PatternKind::term && rules.entity_topics(p.entity).empty()) continue;
      LiteralHit h;
      if (!verify_hit(p, text, article, c.end, h)) continue;
      if (p.kind == PatternKind::term &&
          !is_stem_form(rules.terms()[p.term], p, article, text, h, s))
        continue;
      const std::uint32_t key = p.kind == PatternKind::term ? p.term : p.entity;
      auto& v = p.kind == PatternKind::term       ? s.terms
                : p.kind == PatternKind::negative ? s.negatives
                                                  : s.entities;
      v.push_back(Occurrence{key, h.folded_start, h.folded_end});
    }
  }
  std::sort(s.terms.begin(), s.terms.end(), by_key);
  if (s.entities.empty()) return;
  // As verify_candidates does for matches: drop hits inside a negative's occurrence
  // or inside a longer (or equal, earlier) hit of the same entity. Ordered by
  // entity, start ascending, end descending.
  std::sort(s.entities.begin(), s.entities.end(), [](const Occurrence& a, const Occurrence& b) {
    return std::tie(a.key, a.s, b.e) < std::tie(b.key, b.s, a.e);
  });
  std::sort(s.negatives.begin(), s.negatives.end(), by_key);
  // A hit is negated when a negative of its entity starts at or before it and ends
  // at or after its end: hits come in start order, so one pointer per entity into
  // its negatives (start order) with the furthest end seen so far decides it.
  std::size_t kept = 0;
  bool started = false;
  std::uint32_t key = 0;
  std::uint32_t reach = 0;
  const Occurrence* neg = nullptr;
  const Occurrence* neg_end = nullptr;
  std::uint32_t neg_reach = 0;
  bool any_neg = false;
  for (std::size_t i = 0; i < s.entities.size(); ++i) {
    const Occurrence o = s.entities[i];
    if (!started || o.key != key) {
      started = true;
      key = o.key;
      reach = 0;
      std::tie(neg, neg_end) = range_of(s.negatives, o.key);
      any_neg = false;
      neg_reach = 0;
    }
    if (o.e <= reach) continue;  // contained in a kept hit (which no negative covers)
    for (; neg != neg_end && neg->s <= o.s; ++neg) {
      neg_reach = any_neg ? std::max(neg_reach, neg->e) : neg->e;
      any_neg = true;
    }
    if (any_neg && o.e <= neg_reach) continue;  // negated
    reach = o.e;
    s.entities[kept++] = o;
  }
  s.entities.resize(kept);
  // Back to (entity, start, end) order for range_of and span order.
  std::sort(s.entities.begin(), s.entities.end(), by_key);
}

}  // namespace

void match_topics(const Rules& rules, const Article& article, const NormalizedArticle& text,
                  MatchSet& out, TopicScratch& s, std::size_t max_spans) {
  max_spans = std::max<std::size_t>(max_spans, 1);
  s.terms.clear();
  s.entities.clear();
  s.negatives.clear();
  s.woken.clear();
  s.words_ready = false;
  s.sentences_ready = false;
  s.paragraphs_ready = false;
  s.lead_ready = false;
  if (rules.topics().empty()) return;
  gather(rules, article, text, out, s);
  s.woken.insert(s.woken.end(), rules.filter_topics().begin(), rules.filter_topics().end());

  for (std::size_t i = 0; i < s.terms.size(); ++i) {
    if (i > 0 && s.terms[i].key == s.terms[i - 1].key) continue;
    const auto& owners = rules.terms()[s.terms[i].key].topics;
    s.woken.insert(s.woken.end(), owners.begin(), owners.end());
  }
  for (std::size_t i = 0; i < s.entities.size(); ++i) {
    if (i > 0 && s.entities[i].key == s.entities[i - 1].key) continue;
    const auto owners = rules.entity_topics(s.entities[i].key);
    s.woken.insert(s.woken.end(), owners.begin(), owners.end());
  }
  if (s.woken.empty()) return;
  std::sort(s.woken.begin(), s.woken.end());
  s.woken.erase(std::unique(s.woken.begin(), s.woken.end()), s.woken.end());

  auto& spans = out.topic_spans;
  Evaluator ev(rules, article, text, s, spans);
  const Scope all = ev.all();
  for (const std::uint32_t t : s.woken) {
    const TopicQuery& q = rules.topics()[t].query;
    if (q.nodes.empty() || q.root >= q.nodes.size()) continue;
    const std::size_t base = spans.size();
    if (!ev.eval(q, q.root, all)) continue;
    if (spans.size() == base) {  // held by metadata filters alone
      TopicSpan whole;
      if (!filter_topic_span(text, q.root, whole)) continue;
      spans.push_back(whole);
    }
    const auto first = spans.begin() + static_cast<std::ptrdiff_t>(base);
    std::sort(first, spans.end(), [](const TopicSpan& x, const TopicSpan& y) {
      return std::tie(x.folded_start, x.folded_end, x.node) <
             std::tie(y.folded_start, y.folded_end, y.node);
    });
    spans.erase(std::unique(first, spans.end(),
                            [](const TopicSpan& x, const TopicSpan& y) {
                              return x.folded_start == y.folded_start &&
                                     x.folded_end == y.folded_end && x.node == y.node;
                            }),
                spans.end());
    if (spans.size() - base > max_spans) {
      out.spans_truncated += spans.size() - base - max_spans;
      spans.resize(base + max_spans);
    }
    out.topics.push_back(
        TopicHit{t, static_cast<std::uint32_t>(base), static_cast<std::uint32_t>(spans.size())});
  }
}

}  // namespace newshound

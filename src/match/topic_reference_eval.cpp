// Stage: match. Owns the reference topic evaluator: finds every occurrence of every
// term with std::string_view::find over the folded text, checks boundaries, fields
// and acronyms directly, numbers words by counting, and walks the AST recursively.
// Slow on purpose; it is the oracle the fast evaluator will be tested against.
// NEAR/s and NEAR/p test every pair against the unit numbers of topic_sentences.cpp,
// filters use topic_filters.cpp (one definition each, shared with the engine).
// `~` terms stem every word of the text (stem.hpp's word-form test, shared).
// Slightly over 400 lines: the shared helpers (lead, spans, words) live at its end.
#include <algorithm>
#include <tuple>

#include "newshound/match/rules.hpp"
#include "newshound/match/stem.hpp"
#include "newshound/match/topic_eval.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {

namespace {

struct Region {
  std::uint32_t b = 0;
  std::uint32_t e = 0;
};

using Regions = std::vector<Region>;

bool lower_eq(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

class Evaluator {
 public:
  Evaluator(const TopicQuery& q, const Article& a, const NormalizedArticle& na,
            const EntityResolver& resolve, TopicEvaluation& out)
      : q_(q), a_(a), na_(na), text_(na.text), resolve_(resolve), out_(out) {
    number_words();
  }

  bool run() {
    for (std::size_t i = 0; i < na_.segment_count(); ++i) {
      const TextSegment seg = na_.segment(i);
      if (seg.begin < seg.end) all_.push_back({seg.begin, seg.end});
    }
    std::vector<TopicSpan> spans;
    const bool ok = eval(q_.root, all_, spans);
    if (ok && spans.empty()) {  // held by metadata filters alone
      TopicSpan whole;
      if (!filter_topic_span(na_, q_.root, whole)) return false;
      spans.push_back(whole);
    }
    if (ok) {
      std::sort(spans.begin(), spans.end(), [](const TopicSpan& x, const TopicSpan& y) {
        return std::tie(x.folded_start, x.folded_end, x.node) <
               std::tie(y.folded_start, y.folded_end, y.node);
      });
      spans.erase(std::unique(spans.begin(), spans.end(),
                              [](const TopicSpan& x, const TopicSpan& y) {
                                return x.folded_start == y.folded_start &&
                                       x.folded_end == y.folded_end && x.node == y.node;
                              }),
                  spans.end());
      out_.spans = std::move(spans);
    }
    return ok;
  }

 private:
  /// word_[i]: index of the word (space-separated token holding a letter or digit)
  /// that byte i belongs to, or of the last word before it.
  void number_words() { number_words_of(text_, word_); }

  TopicSpan make_span(std::uint32_t s, std::uint32_t e, std::uint32_t node) const {
    return topic_span_of(na_, s, e, node);
  }

  /// Every occurrence of a literal inside one of `rs`.
  void find_literal(std::string_view lit, std::string_view exact, bool prefix, std::uint32_t node,
                    const Regions& rs, std::vector<TopicSpan>& out) const {
    if (lit.empty()) return;
    for (const Region& r : rs) {
      std::size_t pos = text_.find(lit, r.b);
      while (pos != std::string_view::npos && pos + lit.size() <= r.e) {
        std::size_t end = pos + lit.size();
        bool ok = !word_char_before(text_, pos);
        if (prefix) {
          while (end < r.e && word_char_at(text_, end)) {
            ++end;
            while (end < r.e && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
          }
        } else {
          ok = ok && !word_char_at(text_, end);
        }
        if (ok && !exact.empty()) {
          const std::uint32_t value = na_.segment_at(static_cast<std::uint32_t>(pos));
          const std::string_view field =
              value < a_.text_count() ? a_.text(value).text : std::string_view();
          const std::uint32_t s = na_.src_begin[pos];
          const std::uint32_t e = na_.src_end[end - 1];
          ok = e >= s && e <= field.size() && field.substr(s, e - s) == exact;
        }
        if (ok)
          out.push_back(
              make_span(static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(end), node));
        pos = text_.find(lit, pos + 1);
      }
    }
  }

  /// Every word inside one of `rs` (whole, not cut by the region's ends) that is a
  /// form of `~` term `term` in the article's language: each word is stemmed.
  void find_word_forms(std::string_view term, std::uint32_t node, const Regions& rs,
                       std::vector<TopicSpan>& out) {
    const std::uint32_t lang = effective_stem_language(a_.language, q_.language);
    const std::string term_stem(stemmers_.stem(lang, term));
    const std::string scan = stem_scan_literal(term, lang, stemmers_);
    for (const Region& r : rs) {
      std::size_t pos = r.b;
      while (pos < r.e) {
        if (!word_char_at(text_, pos) || word_char_before(text_, pos)) {
          ++pos;
          continue;
        }
        std::size_t end = pos;
        while (end < r.e && word_char_at(text_, end)) {
          ++end;
          while (end < r.e && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
        }
        if (!word_char_at(text_, end) &&
            is_word_form(stemmers_, lang, text_.substr(pos, end - pos), term, term_stem, scan))
          out.push_back(
              make_span(static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(end), node));
        pos = end;
      }
    }
  }

  /// Occurrences of a term, phrase, entity or OR-group of those.
  void occurrences(std::uint32_t i, const Regions& rs, std::vector<TopicSpan>& out) {
    const QueryNode& n = q_.node(i);
    switch (n.kind) {
      case QueryKind::term:
      case QueryKind::phrase:
        if (n.stem) {
          find_word_forms(n.literal, i, rs, out);
          return;
        }
        find_literal(n.literal, n.exact, n.prefix, i, rs, out);
        return;
      case QueryKind::entity_ref: {
        const EntityDef* def = resolve_ ? resolve_(n.literal, n.exact) : nullptr;
        if (def == nullptr) {
          out_.notes.push_back("@" + n.literal + "/" + n.exact +
                               " is not resolved (no such entity known here): counted as absent");
          return;
        }
        // The entity's matches, as the match stage reports them: every alias hit in
        // either field, except one inside an occurrence of a negative (anywhere in its
        // field) or inside a longer hit of the entity; then those within `rs`.
        std::vector<TopicSpan> hits;
        for (const auto& alias : def->aliases) {
          const std::string f = fold_phrase(alias);
          find_literal(f, is_acronym(alias) ? std::string_view(alias) : std::string_view(), false,
                       i, all_, hits);
        }
        std::vector<TopicSpan> negs;
        for (const auto& neg : def->negatives) {
          const std::string f = fold_phrase(neg);
          find_literal(f, is_acronym(neg) ? std::string_view(neg) : std::string_view(), false, i,
                       all_, negs);
        }
        const auto within = [](const TopicSpan& a, const TopicSpan& b) {
          return b.folded_start <= a.folded_start && a.folded_end <= b.folded_end;
        };
        std::vector<TopicSpan> kept;
        for (const auto& h : hits) {
          bool negated = false;
          for (const auto& ng : negs) negated = negated || within(h, ng);
          if (!negated) kept.push_back(h);
        }
        for (std::size_t k = 0; k < kept.size(); ++k) {
          const TopicSpan& h = kept[k];
          bool contained = false;
          for (std::size_t j = 0; j < kept.size() && !contained; ++j) {
            const TopicSpan& o = kept[j];
            const bool equal = o.folded_start == h.folded_start && o.folded_end == h.folded_end;
            // Strictly inside a longer hit (equal hits are one match: keep the first).
            contained = equal ? j < k : within(h, o);
          }
          if (contained) continue;
          for (const Region& r : rs) {
            if (h.folded_start >= r.b && h.folded_end <= r.e) {
              out.push_back(h);
              break;
            }
          }
        }
        return;
      }
      case QueryKind::or_:
        for (const auto c : n.children) occurrences(c, rs, out);
        return;
      default:
        return;  // the parser allows nothing else as a NEAR operand
    }
  }

  bool near(const QueryNode& n, const Regions& rs, std::vector<TopicSpan>& spans) {
    std::vector<TopicSpan> left;
    std::vector<TopicSpan> right;
    occurrences(n.children[0], rs, left);
    occurrences(n.children[1], rs, right);
    bool any = false;
    for (const auto& x : left) {
      for (const auto& y : right) {
        if (x.value != y.value) continue;
        const bool x_first = x.folded_end <= y.folded_start;
        const bool y_first = y.folded_end <= x.folded_start;
        if (!x_first && !y_first) continue;  // overlapping
        if (n.ordered && !x_first) continue;
        const TopicSpan& a = x_first ? x : y;
        const TopicSpan& b = x_first ? y : x;
        if (n.unit != NearUnit::words) {
          // One sentence (paragraph): from the first's start to the last's end.
          const auto& unit = units(n.unit);
          if (unit[a.folded_start] != unit[b.folded_end - 1]) continue;
        } else if (word_[b.folded_start] - word_[a.folded_end - 1] > n.n) {
          continue;
        }
        spans.push_back(x);
        spans.push_back(y);
        any = true;
      }
    }
    return any;
  }

  const std::vector<std::uint32_t>& units(NearUnit unit) {
    auto& v = unit == NearUnit::sentence ? sentence_ : paragraph_;
    if (v.empty() && !text_.empty()) {
      std::vector<std::uint32_t> breaks;
      number_units_of(a_, na_, unit, v, breaks);
    }
    return v;
  }

  /// MENTIONS n: at least n distinct occurrence spans of the operand.
  bool mentions(const QueryNode& n, const Regions& rs, std::vector<TopicSpan>& spans) {
    std::vector<TopicSpan> occ;
    occurrences(n.children[0], rs, occ);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> distinct;
    for (const auto& o : occ) {
      const std::pair<std::uint32_t, std::uint32_t> key{o.folded_start, o.folded_end};
      if (std::find(distinct.begin(), distinct.end(), key) == distinct.end())
        distinct.push_back(key);
    }
    if (distinct.size() < n.n) return false;
    spans.insert(spans.end(), occ.begin(), occ.end());
    return true;
  }

  /// `rs` cut to the segments of the scope's field (or to the lead).
  Regions scoped(const Regions& rs, QueryScope scope) const {
    Regions within;
    if (scope == QueryScope::lead) {
      const auto lead = lead_range(a_, na_);
      within.push_back({lead.first, lead.second});
    } else {
      const Field f = field_of(scope);
      for (std::size_t i = 0; i < na_.segment_count(); ++i) {
        const TextSegment seg = na_.segment(i);
        if (seg.field == f) within.push_back({seg.begin, seg.end});
      }
    }
    Regions out;
    for (const Region& r : rs) {
      for (const Region& s : within) {
        const Region x{std::max(r.b, s.b), std::min(r.e, s.e)};
        if (x.b < x.e) out.push_back(x);
      }
    }
    return out;
  }

  bool eval(std::uint32_t i, const Regions& rs, std::vector<TopicSpan>& spans) {
    const QueryNode& n = q_.node(i);
    switch (n.kind) {
      case QueryKind::term:
      case QueryKind::phrase:
      case QueryKind::entity_ref: {
        const std::size_t before = spans.size();
        occurrences(i, rs, spans);
        return spans.size() > before;
      }
      case QueryKind::and_: {
        bool all = true;
        for (const auto c : n.children) all = eval(c, rs, spans) && all;
        return all;
      }
      case QueryKind::or_: {
        bool any = false;
        for (const auto c : n.children) {
          std::vector<TopicSpan> sub;
          if (eval(c, rs, sub)) {
            any = true;
            spans.insert(spans.end(), sub.begin(), sub.end());
          }
        }
        return any;
      }
      case QueryKind::not_: {
        std::vector<TopicSpan> ignored;
        return !eval(n.children[0], rs, ignored);
      }
      case QueryKind::near:
        return near(n, rs, spans);
      case QueryKind::meta:
        return meta_filter_holds(n, a_);
      case QueryKind::mentions:
        return mentions(n, rs, spans);
      case QueryKind::field:
        return eval(n.children[0], scoped(rs, n.scope), spans);
      case QueryKind::at_least: {
        std::uint32_t count = 0;
        for (const auto c : n.children) {
          std::vector<TopicSpan> sub;
          if (eval(c, rs, sub)) {
            ++count;
            spans.insert(spans.end(), sub.begin(), sub.end());
          }
        }
        return count >= n.n;
      }
    }
    return false;
  }

  const TopicQuery& q_;
  const Article& a_;
  const NormalizedArticle& na_;
  std::string_view text_;
  const EntityResolver& resolve_;
  TopicEvaluation& out_;
  Stemmers stemmers_;  ///< `~` terms
  std::vector<std::uint32_t> word_;
  std::vector<std::uint32_t> sentence_;  ///< number_units_of, on first use
  std::vector<std::uint32_t> paragraph_;
  Regions all_;  ///< every non-empty text value
};

}  // namespace

std::pair<std::uint32_t, std::uint32_t> lead_range(const Article& article,
                                                   const NormalizedArticle& text) {
  const std::string_view body = article.body;
  std::size_t p = 0;
  while (p < body.size() &&
         (body[p] == ' ' || body[p] == '\t' || body[p] == '\r' || body[p] == '\n'))
    ++p;
  std::size_t end = body.size();
  for (std::size_t i = p; i < body.size(); ++i) {
    if (body[i] == '\n') {
      std::size_t j = i + 1;
      while (j < body.size() && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r')) ++j;
      if (j < body.size() && body[j] == '\n') {
        end = i;
        break;
      }
    } else if (body[i] == '<' && i + 4 <= body.size() && lower_eq(body.substr(i, 4), "</p>")) {
      end = i;
      break;
    }
  }
  // The main body is segment 1; the lead stops at its end.
  const auto size = std::min(static_cast<std::uint32_t>(text.text.size()), text.segment(1).end);
  std::uint32_t stop = size;
  for (std::uint32_t i = text.body_offset; i < size && i < text.src_begin.size(); ++i) {
    if (text.src_begin[i] >= end) {
      stop = i;
      break;
    }
  }
  return {text.body_offset, std::max(text.body_offset, stop)};
}

TopicSpan topic_span_of(const NormalizedArticle& na, std::uint32_t s, std::uint32_t e,
                        std::uint32_t node) {
  TopicSpan sp;
  sp.value = na.segment_at(s);
  sp.field = na.segment(sp.value).field;
  sp.start = na.src_begin[s];
  sp.end = na.src_end[e - 1];
  sp.folded_start = s;
  sp.folded_end = e;
  sp.node = node;
  return sp;
}

bool filter_topic_span(const NormalizedArticle& na, std::uint32_t node, TopicSpan& out) {
  for (std::size_t i = 0; i < na.segment_count(); ++i) {
    const TextSegment seg = na.segment(i);
    if (seg.begin < seg.end && seg.end <= na.text.size()) {
      out = topic_span_of(na, seg.begin, seg.end, node);
      return true;
    }
  }
  return false;
}

void number_words_of(std::string_view text, std::vector<std::uint32_t>& out) {
  out.assign(text.size(), 0);
  std::uint32_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\0') {
      out[i] = count == 0 ? 0 : count - 1;
      ++i;
      continue;
    }
    std::size_t j = i;
    bool has_word_char = false;
    while (j < text.size() && text[j] != ' ' && text[j] != '\0') {
      has_word_char = has_word_char || word_char_at(text, j);
      ++j;
    }
    if (has_word_char) ++count;
    for (std::size_t k = i; k < j; ++k) out[k] = count == 0 ? 0 : count - 1;
    i = j;
  }
}

TopicEvaluation evaluate_topic_reference(const TopicQuery& query, const Article& article,
                                         const NormalizedArticle& text,
                                         const EntityResolver& resolve) {
  TopicEvaluation out;
  if (query.nodes.empty() || query.root >= query.nodes.size()) return out;
  if (text.src_begin.size() < text.text.size() || text.src_end.size() < text.text.size() ||
      text.body_offset > text.text.size())
    return out;
  Evaluator ev(query, article, text, resolve, out);
  out.matched = ev.run();
  if (!out.matched) out.spans.clear();
  return out;
}

}  // namespace newshound

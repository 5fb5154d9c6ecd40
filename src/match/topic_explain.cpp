// Stage: match. Owns `newshound explain`'s core (topic_explain.hpp): the clause
// tree of a topic evaluated node by node with the reference evaluator, the near
// misses of entity aliases found by a plain literal search over the folded text,
// and their rendering as text for humans. A little over 400 lines: the clause
// labels (filters, NEAR/s, MENTIONS, `~` stems) sit in the one rendering switch.
#include "newshound/match/topic_explain.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "newshound/match/stem.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {

namespace {

constexpr std::uint32_t kNone = ~std::uint32_t{0};

/// Node `node` of `q` and everything below it as a query of its own, wrapped in
/// the field scopes that enclose it in `q`. `old_of[k]` is the original index of
/// node k of the result (kNone for an added scope).
TopicQuery subquery(const TopicQuery& q, std::uint32_t node,
                    const std::vector<std::uint32_t>& parent, std::vector<std::uint32_t>& old_of) {
  std::vector<std::uint32_t> members;
  std::vector<std::uint32_t> stack{node};
  std::vector<bool> seen(q.nodes.size(), false);
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    stack.pop_back();
    if (seen[i]) continue;
    seen[i] = true;
    members.push_back(i);
    for (const auto c : q.nodes[i].children) {
      if (c < i) stack.push_back(c);  // children precede parents: anything else is malformed
    }
  }
  std::sort(members.begin(), members.end());  // keeps children before parents, `node` last
  std::vector<std::uint32_t> new_of(q.nodes.size(), kNone);
  TopicQuery sub;
  sub.language = q.language;
  old_of.clear();
  for (const auto i : members) {
    new_of[i] = static_cast<std::uint32_t>(sub.nodes.size());
    QueryNode n = q.nodes[i];
    std::vector<std::uint32_t> kids;
    for (const auto c : n.children) {
      if (c < i && new_of[c] != kNone) kids.push_back(new_of[c]);
    }
    n.children = std::move(kids);
    sub.nodes.push_back(std::move(n));
    old_of.push_back(i);
  }
  for (std::uint32_t a = parent[node]; a != kNone; a = parent[a]) {
    if (q.nodes[a].kind != QueryKind::field) continue;
    QueryNode scope;
    scope.kind = QueryKind::field;
    scope.scope = q.nodes[a].scope;
    scope.offset = q.nodes[a].offset;
    scope.children = {static_cast<std::uint32_t>(sub.nodes.size() - 1)};
    sub.nodes.push_back(std::move(scope));
    old_of.push_back(kNone);
  }
  sub.root = static_cast<std::uint32_t>(sub.nodes.size() - 1);
  return sub;
}

/// Evaluates node `node` of `q` on its own; spans point at nodes of `q`.
TopicEvaluation evaluate_node(const TopicQuery& q, std::uint32_t node,
                              const std::vector<std::uint32_t>& parent, const Article& article,
                              const NormalizedArticle& text, const EntityResolver& resolve) {
  std::vector<std::uint32_t> old_of;
  const TopicQuery sub = subquery(q, node, parent, old_of);
  TopicEvaluation ev = evaluate_topic_reference(sub, article, text, resolve);
  for (auto& s : ev.spans) s.node = s.node < old_of.size() ? old_of[s.node] : s.node;
  return ev;
}

void add_notes(std::vector<std::string>& notes, const std::vector<std::string>& more) {
  for (const auto& n : more) {
    if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
  }
}

/// Drops a span that lies inside another span of the same node (`Putin` inside
/// `Vladimir Putin`), as names matching does; keeps the order.
void drop_contained(std::vector<TopicSpan>& spans) {
  std::vector<TopicSpan> kept;
  kept.reserve(spans.size());
  for (const auto& s : spans) {
    bool inside = false;
    for (const auto& o : spans) {
      const bool longer = o.folded_end - o.folded_start > s.folded_end - s.folded_start;
      inside = inside || (o.node == s.node && longer && o.folded_start <= s.folded_start &&
                          s.folded_end <= o.folded_end);
    }
    if (!inside) kept.push_back(s);
  }
  spans = std::move(kept);
}

bool is_leaf(QueryKind k) {
  return k == QueryKind::term || k == QueryKind::phrase || k == QueryKind::entity_ref;
}

std::string found_list(const std::vector<TopicSpan>& spans, const Article& article) {
  constexpr std::size_t kShown = 4;
  std::string s;
  for (std::size_t i = 0; i < spans.size() && i < kShown; ++i) {
    if (i > 0) s += ", ";
    s += describe_span(article, spans[i].value, spans[i].start, spans[i].end);
  }
  if (spans.size() > kShown) s += ", and " + std::to_string(spans.size() - kShown) + " more";
  return s;
}

/// Where `lit` occurs in `joined` (the folded text with its
/// separator read as a space) with word boundaries on both sides.
void find_bounded(std::string_view joined, std::string_view lit,
                  std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) {
  out.clear();
  if (lit.empty()) return;
  for (std::size_t pos = joined.find(lit); pos != std::string_view::npos;
       pos = joined.find(lit, pos + 1)) {
    const std::size_t end = pos + lit.size();
    if (!word_char_before(joined, pos) && !word_char_at(joined, end))
      out.emplace_back(static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(end));
  }
}

/// True if folded span [s, e) of `text` is written exactly `exact` in the article.
bool exact_ok(const Article& article, const NormalizedArticle& text, std::uint32_t s,
              std::uint32_t e, std::string_view exact) {
  if (exact.empty()) return true;
  const std::uint32_t value = text.segment_at(s);
  if (value >= article.text_count()) return false;
  const std::string_view field = article.text(value).text;
  const std::uint32_t b = text.src_begin[s];
  const std::uint32_t f = text.src_end[e - 1];
  return f >= b && f <= field.size() && field.substr(b, f - b) == exact;
}

/// ` (english stem "talk")`: how a `~` term is stemmed for `article`.
std::string stem_note(std::string_view term, const TopicQuery& query, const Article& article,
                      Stemmers& stemmers) {
  const std::uint32_t lang = effective_stem_language(article.language, query.language);
  if (lang >= kStemLanguages.size()) return {};
  return " (" + std::string(kStemLanguages[lang].algorithm) + " stem \"" +
         std::string(stemmers.stem(lang, term)) + "\")";
}

}  // namespace

TopicExplanation explain_topic(const TopicQuery& query, const Article& article,
                               const NormalizedArticle& text, const EntityResolver& resolve) {
  TopicExplanation ex;
  const auto n = static_cast<std::uint32_t>(query.nodes.size());
  if (n == 0 || query.root >= n) return ex;
  std::vector<std::uint32_t> parent(n, kNone);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (const auto c : query.nodes[i].children) {
      if (c < i) parent[c] = i;
    }
  }
  TopicEvaluation whole = evaluate_topic_reference(query, article, text, resolve);
  ex.matched = whole.matched;
  ex.spans = std::move(whole.spans);
  add_notes(ex.notes, whole.notes);

  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack{{query.root, 0}};  // (node, depth)
  while (!stack.empty()) {
    const auto [i, depth] = stack.back();
    stack.pop_back();
    const QueryNode& node = query.nodes[i];
    ClauseExplanation c;
    c.node = i;
    c.depth = depth;
    TopicEvaluation ev = evaluate_node(query, i, parent, article, text, resolve);
    c.value = ev.matched;
    add_notes(ex.notes, ev.notes);
    if (node.kind == QueryKind::not_ && !node.children.empty() && node.children[0] < i) {
      TopicEvaluation inner =
          evaluate_node(query, node.children[0], parent, article, text, resolve);
      c.found = std::move(inner.spans);
    } else if (node.kind != QueryKind::meta) {  // a filter finds no text
      c.found = std::move(ev.spans);
    }
    drop_contained(c.found);
    ex.clauses.push_back(std::move(c));
    for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) {
      if (*it < i) stack.emplace_back(*it, depth + 1);
    }
  }
  return ex;
}

std::string describe_span(const Article& article, std::uint32_t value_index, std::uint32_t start,
                          std::uint32_t end) {
  if (value_index >= article.text_count()) return "''";
  const TextRef ref = article.text(value_index);
  constexpr std::size_t kMaxText = 80;
  const std::string_view value = ref.text;
  const Field field = ref.field;
  const std::size_t s = std::min<std::size_t>(start, value.size());
  const std::size_t e = std::clamp<std::size_t>(end, s, value.size());
  std::size_t cut = std::min(e, s + kMaxText);
  while (cut > s && cut < e && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  std::string out = "'";
  for (std::size_t k = s; k < cut; ++k) {
    const char ch = value[k];
    out += static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch;
  }
  if (cut < e) out += "\xE2\x80\xA6";  // …
  out += "' ";
  out += to_string(field);
  out += ':' + std::to_string(s) + '-' + std::to_string(e);
  if (value_index >= 2) {  // not the main headline or body: say which value
    out += " (";
    article.append_pointer(*ref.path, out);
    out += ')';
  }
  return out;
}

std::string describe_span(const Article& article, Field field, std::uint32_t start,
                          std::uint32_t end) {
  return describe_span(article, field == Field::headline ? 0u : 1u, start, end);
}

std::string describe_clauses(const TopicQuery& query, const TopicExplanation& ex,
                             const Article& article, std::size_t indent) {
  std::map<std::uint32_t, const ClauseExplanation*> by_node;
  for (const auto& c : ex.clauses) by_node[c.node] = &c;
  std::string out;
  std::uint32_t skip = kNone;  // the leaf under a one-line NOT
  Stemmers stemmers;
  for (const auto& c : ex.clauses) {
    if (c.node == skip) continue;
    const QueryNode& node = query.nodes[c.node];
    std::string label;
    std::string tail;
    bool one_line_not = false;
    std::size_t true_children = 0;
    for (const auto k : node.children) {
      const auto it = by_node.find(k);
      if (it != by_node.end() && it->second->value) ++true_children;
    }
    const std::string counts = " (" + std::to_string(true_children) + " of " +
                               std::to_string(node.children.size()) + " true)";
    switch (node.kind) {
      case QueryKind::term:
      case QueryKind::phrase:
      case QueryKind::entity_ref:
        label = query.to_string(c.node);
        if (node.stem) label += stem_note(node.literal, query, article, stemmers);
        break;
      case QueryKind::not_:
        if (!node.children.empty() && node.children[0] < query.nodes.size() &&
            is_leaf(query.nodes[node.children[0]].kind)) {
          label = "NOT " + query.to_string(node.children[0]);
          skip = node.children[0];
          one_line_not = true;
        } else {
          label = "NOT";
        }
        break;
      case QueryKind::and_:
        label = "AND";
        tail = counts;
        break;
      case QueryKind::or_:
        label = "OR";
        tail = counts;
        break;
      case QueryKind::at_least:
        label = "ATLEAST " + std::to_string(node.n);
        tail = counts;
        break;
      case QueryKind::near:
        label = (node.ordered ? "ONEAR/" : "NEAR/") +
                (node.unit == NearUnit::sentence    ? std::string("s")
                 : node.unit == NearUnit::paragraph ? std::string("p")
                                                    : std::to_string(node.n));
        if (!c.value)
          tail = node.unit == NearUnit::sentence    ? ", no pair in one sentence"
                 : node.unit == NearUnit::paragraph ? ", no pair in one paragraph"
                                                    : ", no pair close enough";
        break;
      case QueryKind::mentions:
        label = "MENTIONS " + std::to_string(node.n);
        if (!c.value) tail = ", fewer occurrences";
        break;
      case QueryKind::meta:
        label = query.to_string(c.node);
        tail = ", the article's " + describe_article_meta(node.meta, article);
        break;
      case QueryKind::field:
        label = std::string(to_string(node.scope)) + ":(...)";
        break;
    }
    out.append(indent + 2 * c.depth, ' ');
    out += label;
    out += c.value ? ": true" : ": false";
    out += tail;
    if (is_leaf(node.kind) || one_line_not ||
        ((node.kind == QueryKind::near || node.kind == QueryKind::mentions) && c.value))
      out += c.found.empty() ? ", not found" : ", found " + found_list(c.found, article);
    out += '\n';
  }
  return out;
}

std::vector<EntityExplanation> explain_entities(const Rules& rules, const Article& article,
                                                const NormalizedArticle& text,
                                                const MatchSet& verified) {
  std::vector<EntityExplanation> out;
  const auto size = static_cast<std::uint32_t>(text.text.size());
  if (text.src_begin.size() < size || text.src_end.size() < size || text.body_offset > size)
    return out;
  std::string joined = text.text;
  const std::uint32_t sep = text.body_offset > 0 ? text.body_offset - 1 : kNone;
  if (sep != kNone && joined[sep] == '\0') joined[sep] = ' ';

  std::map<std::uint32_t, EntityExplanation> by_entity;
  for (const Match& m : verified.matches) {
    if (m.entity >= rules.entities().size()) continue;
    EntityExplanation& e = by_entity[m.entity];
    e.entity = m.entity;
    e.matched = true;
    AliasOccurrence o;
    o.pattern = m.pattern;
    o.field = m.field;
    o.value = m.value;
    o.start = m.start;
    o.end = m.end;
    o.folded_start = m.folded_start;
    o.folded_end = m.folded_end;
    e.occurrences.push_back(o);
  }
  std::map<std::uint32_t, std::vector<std::uint32_t>> negatives;  // entity -> patterns
  for (std::uint32_t p = 0; p < rules.patterns().size(); ++p) {
    if (rules.patterns()[p].kind == PatternKind::negative)
      negatives[rules.patterns()[p].entity].push_back(p);
  }

  std::vector<std::pair<std::uint32_t, std::uint32_t>> hits, neg_hits;
  for (std::uint32_t p = 0; p < rules.patterns().size(); ++p) {
    const Pattern& pat = rules.patterns()[p];
    if (pat.kind != PatternKind::alias || pat.entity >= rules.entities().size()) continue;
    find_bounded(joined, pat.literal, hits);
    for (std::size_t pos = joined.find(pat.literal);
         !pat.literal.empty() && pos != std::string_view::npos;
         pos = joined.find(pat.literal, pos + 1)) {
      const auto b = static_cast<std::uint32_t>(pos);
      const auto e = static_cast<std::uint32_t>(pos + pat.literal.size());
      const bool bounded = std::find(hits.begin(), hits.end(), std::make_pair(b, e)) != hits.end();
      const bool crosses = sep != kNone && b < sep && e > sep;
      AliasOccurrence o;
      o.pattern = p;
      o.folded_start = b;
      o.folded_end = e;
      o.value = text.segment_at(b);
      o.field = text.field_at(b);
      o.start = text.src_begin[b];
      o.end = text.src_end[crosses ? sep - 1 : e - 1];
      if (!bounded) {
        if (crosses) continue;  // noise: neither a word nor in one field
        o.verdict = AliasVerdict::word_boundary;
      } else if (crosses) {
        o.verdict = AliasVerdict::crosses_fields;
        o.tail_start = text.src_begin[text.body_offset];
        o.tail_end = text.src_end[e - 1];
      } else if (!exact_ok(article, text, b, e, pat.exact)) {
        o.verdict = AliasVerdict::acronym_case;
      } else {
        o.verdict = AliasVerdict::rejected;
        const auto negs = negatives.find(pat.entity);
        for (std::size_t k = 0; negs != negatives.end() && k < negs->second.size(); ++k) {
          const Pattern& np = rules.patterns()[negs->second[k]];
          find_bounded(joined, np.literal, neg_hits);
          for (const auto& [nb, ne] : neg_hits) {
            if (nb <= b && e <= ne && (sep == kNone || nb > sep || ne <= sep) &&
                exact_ok(article, text, nb, ne, np.exact)) {
              o.verdict = AliasVerdict::negative_alias;
              o.negative = negs->second[k];
            }
          }
        }
      }
      EntityExplanation& ent = by_entity[pat.entity];
      ent.entity = pat.entity;
      bool verified_here = false, inside = false;
      for (const Match& m : verified.matches) {
        if (m.entity != pat.entity) continue;
        verified_here = verified_here || (m.folded_start == b && m.folded_end == e);
        inside = inside || (m.folded_start <= b && e <= m.folded_end);
      }
      if (verified_here) continue;  // already listed as matched
      if (o.verdict == AliasVerdict::rejected && inside) o.verdict = AliasVerdict::inside_longer;
      ent.occurrences.push_back(o);
    }
  }
  out.reserve(by_entity.size());
  for (auto& [index, e] : by_entity) {
    if (e.occurrences.empty()) continue;
    std::sort(e.occurrences.begin(), e.occurrences.end(),
              [](const AliasOccurrence& x, const AliasOccurrence& y) {
                return std::tie(x.folded_start, x.folded_end, x.pattern) <
                       std::tie(y.folded_start, y.folded_end, y.pattern);
              });
    out.push_back(std::move(e));
  }
  return out;
}

std::string_view to_string(AliasVerdict v) {
  switch (v) {
    case AliasVerdict::matched:
      return "matched";
    case AliasVerdict::word_boundary:
      return "word_boundary";
    case AliasVerdict::acronym_case:
      return "acronym_case";
    case AliasVerdict::crosses_fields:
      return "crosses_fields";
    case AliasVerdict::negative_alias:
      return "negative_alias";
    case AliasVerdict::inside_longer:
      return "inside_longer";
    case AliasVerdict::rejected:
      return "rejected";
  }
  return "rejected";
}

}  // namespace newshound

// Stage: match. Owns the topic half of Rules::compile: topic files -> Rules::topics()
// with @list/Name resolved to entity indexes (unknown ones are file:line:col
// diagnostics), distinct terms -> Rules::terms() and their term Patterns, the
// entity -> referencing topics table, and the topics' part of the rules version.
// A `~` term compiles to its scan literals (stem.hpp) plus its stems per language.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "newshound/match/stem.hpp"
#include "rules_builder.hpp"

namespace newshound {

namespace {

std::string ref_key(std::string_view list, std::string_view name) {
  std::string k(list);
  k += '\0';
  k += name;
  return k;
}

/// The Term of query node `n`; for a `~` term also its scan literal and its stem in
/// every language.
Term make_term(const QueryNode& n, const std::string& language, Stemmers& stemmers) {
  Term t;
  t.literal = n.literal;
  t.exact = n.exact;
  t.prefix = n.prefix;
  if (!n.stem) return t;
  t.stem = true;
  t.language = language;
  t.stems.reserve(kStemLanguages.size());
  t.scans.reserve(kStemLanguages.size());
  for (std::uint32_t l = 0; l < kStemLanguages.size(); ++l) {
    t.stems.emplace_back(stemmers.stem(l, n.literal));
    t.scans.push_back(stem_scan_literal(n.literal, l, stemmers));
  }
  return t;
}

}  // namespace

bool RulesBuilder::compile_topics(Rules& rules, const std::vector<WatchList>& lists,
                                  const std::vector<TopicFile>& topics, StableHasher& hasher,
                                  Diagnostics& diags) {
  // (list name, canonical name) -> entity; the first list of a name wins.
  std::unordered_map<std::string, std::uint32_t> entity_of;
  std::unordered_map<std::string_view, bool> list_names;
  {
    std::uint32_t e = 0;
    for (const auto& list : lists) {
      list_names.emplace(list.name, true);
      for (const auto& def : list.entities)
        entity_of.try_emplace(ref_key(list.name, def.canonical), e++);
    }
  }
  std::unordered_map<std::string, std::uint32_t> term_of;  // literal \0 exact \0 kind [lang]
  Stemmers stemmers;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> refs;  // (entity, topic)
  bool ok = true;

  for (const auto& file : topics) {
    const auto list_index = static_cast<std::uint32_t>(rules.lists_.size());
    rules.lists_.push_back(ListInfo{file.name, file.path, file.tags, true});
    hasher.add("topics");
    hasher.add(file.name);
    hasher.add(std::to_string(file.tags.size()));
    for (const auto& tag : file.tags) hasher.add(tag);
    for (const auto& def : file.topics) {
      const auto topic_index = static_cast<std::uint32_t>(rules.topics_.size());
      Topic t{def.id, list_index, def.line, def.text, def.query};
      t.query.language = file.language;
      hasher.add("topic");
      hasher.add(def.id);
      hasher.add(def.query.to_string());
      if (!file.language.empty()) hasher.add("language:" + file.language);
      for (std::uint32_t i = 0; i < t.query.nodes.size(); ++i) {
        QueryNode& n = t.query.nodes[i];
        if (n.kind == QueryKind::entity_ref) {
          const auto it = entity_of.find(ref_key(n.literal, n.exact));
          if (it == entity_of.end()) {
            std::uint32_t line = 0;
            std::uint32_t col = 0;
            def.position(n.offset, line, col);
            const std::string ref = "@" + n.literal + "/" + n.exact;
            std::string msg;
            if (list_names.find(n.literal) == list_names.end()) {
              msg = "unknown list in " + ref + ": no .names list called \"" + n.literal +
                    "\" is loaded; load it with --watchlist (or a [[watchlist]]) or fix the name";
            } else {
              msg = "unknown entity in " + ref + ": list \"" + n.literal +
                    "\" has no entity with that canonical name; write the first name of its "
                    "line exactly";
            }
            diags.push_back(
                Diagnostic{file.path.empty() ? file.name : file.path, line, col, std::move(msg)});
            ok = false;
            continue;
          }
          n.target = it->second;
          refs.emplace_back(it->second, topic_index);
        } else if (n.kind == QueryKind::term || n.kind == QueryKind::phrase) {
          std::string key = n.literal;
          key += '\0';
          key += n.exact;
          key += '\0';
          key += n.prefix ? 'p' : n.stem ? 's' : 'w';
          if (n.stem) key += file.language;
          const auto [it, fresh] =
              term_of.try_emplace(std::move(key), static_cast<std::uint32_t>(rules.terms_.size()));
          if (fresh) rules.terms_.push_back(make_term(n, file.language, stemmers));
          Term& term = rules.terms_[it->second];
          if (term.topics.empty() || term.topics.back() != topic_index)
            term.topics.push_back(topic_index);
          n.target = it->second;
        }
      }
      if (!needs_terms(t.query)) rules.filter_topics_.push_back(topic_index);
      rules.topics_.push_back(std::move(t));
    }
  }
  if (!ok) return false;

  for (std::uint32_t i = 0; i < rules.terms_.size(); ++i) {
    const Term& term = rules.terms_[i];
    if (term.literal.empty()) continue;  // the parser rejects these; never reaches Hyperscan
    Pattern p;
    p.exact = term.exact;
    p.kind = PatternKind::term;
    p.prefix = term.prefix || term.stem;
    p.term = i;
    if (!term.stem) {
      p.literal = term.literal;
      rules.patterns_.push_back(std::move(p));
      continue;
    }
    // A `~` term: one pattern per distinct scan literal of its languages.
    std::vector<std::string> scans = term.scans;
    std::sort(scans.begin(), scans.end());
    scans.erase(std::unique(scans.begin(), scans.end()), scans.end());
    for (auto& scan : scans) {
      p.literal = std::move(scan);
      rules.patterns_.push_back(p);
    }
  }

  if (!refs.empty()) {
    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    rules.entity_topic_first_.assign(rules.entities_.size() + 1, 0);
    for (const auto& r : refs) ++rules.entity_topic_first_[r.first + 1];
    for (std::size_t e = 0; e < rules.entities_.size(); ++e)
      rules.entity_topic_first_[e + 1] += rules.entity_topic_first_[e];
    rules.entity_topic_list_.reserve(refs.size());
    for (const auto& r : refs) rules.entity_topic_list_.push_back(r.second);
  }
  return true;
}

}  // namespace newshound

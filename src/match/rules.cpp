// Stage: match. Owns Rules compilation: watch-lists -> list/entity/pattern tables
// (the Hyperscan databases are built by rules_database.cpp). Also owns the acronym
// test (rule 1 of docs/matching.md) and the rules version hash.
#include "newshound/match/rules.hpp"

#include <hs.h>
#include <utf8proc.h>

#include <string_view>

#include "rules_builder.hpp"

#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

bool is_acronym(std::string_view alias) {
  std::size_t chars = 0;
  std::size_t letters = 0;
  std::size_t i = 0;
  while (i < alias.size()) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(alias.data() + i),
                                    static_cast<utf8proc_ssize_t>(alias.size() - i), &cp);
    if (n <= 0 || cp < 0) return false;  // invalid UTF-8 is never an acronym
    i += static_cast<std::size_t>(n);
    if (++chars > 5) return false;
    if (cp == '.') continue;
    if (utf8proc_category(cp) != UTF8PROC_CATEGORY_LU) return false;
    ++letters;
  }
  return letters > 0;
}

bool RulesBuilder::add_literal(Rules& rules, std::string_view written, std::uint32_t entity,
                               PatternKind kind) {
  Pattern p;
  p.literal = fold_phrase(written);
  // parse_names reports aliases that fold to nothing; lists built in code may
  // still hold one. An empty literal must never reach Hyperscan.
  if (p.literal.empty()) return false;
  if (is_acronym(written)) p.exact = std::string(written);
  p.entity = entity;
  p.kind = kind;
  rules.patterns_.push_back(std::move(p));
  return true;
}

void RulesBuilder::add_translit_literal(Rules& rules, Transliterator& translit,
                                        std::string_view written, std::uint32_t entity,
                                        PatternKind kind) {
  // Acronyms match case-exact in the original text; a transliterated spelling
  // has no case to check, so they are not transliterated.
  if (is_acronym(written)) return;
  Pattern p;
  p.literal = translit.fold_phrase(written);
  if (p.literal.empty()) return;
  p.entity = entity;
  p.kind = kind;
  p.translit = true;
  rules.patterns_.push_back(std::move(p));
  rules.transliterates_ = true;
}

Rules::~Rules() {
  for (hs_database* db : dbs_) hs_free_database(db);
}

std::shared_ptr<const Rules> Rules::compile(const std::vector<WatchList>& lists,
                                            Diagnostics& diags) {
  return compile(lists, {}, diags);
}

std::shared_ptr<const Rules> Rules::compile(const std::vector<WatchList>& lists,
                                            const std::vector<TopicFile>& topics,
                                            Diagnostics& diags, const CompileOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Rules> rules(new Rules);
  StableHasher hasher;

  std::size_t alias_count = 0;
  for (const auto& list : lists) {
    for (const auto& def : list.entities) alias_count += def.aliases.size() + def.negatives.size();
  }
  rules->lists_.reserve(lists.size() + topics.size());
  rules->patterns_.reserve(alias_count);
  // Opened only if some list transliterates (ICU's chain takes a while to open).
  std::unique_ptr<Transliterator> translit;

  for (const auto& list : lists) {
    const auto list_index = static_cast<std::uint32_t>(rules->lists_.size());
    rules->lists_.push_back(ListInfo{list.name, list.path, list.tags, false, list.transliterate});
    hasher.add("list");
    hasher.add(list.name);
    hasher.add(std::to_string(list.tags.size()));
    for (const auto& tag : list.tags) hasher.add(tag);
    // Only transliterating lists hash it, so other versions stay as they were.
    if (list.transliterate) {
      hasher.add("transliterate");
      if (!translit) translit = std::make_unique<Transliterator>();
      if (!translit->ok()) {
        diags.push_back(Diagnostic{list.path.empty() ? list.name : list.path, 0, 0,
                                   translit->error() + " (transliterate = true)"});
        return nullptr;
      }
    }
    for (const auto& def : list.entities) {
      const auto entity_index = static_cast<std::uint32_t>(rules->entities_.size());
      rules->entities_.push_back(Entity{def.canonical, list_index, def.line});
      hasher.add("entity");
      hasher.add(def.canonical);
      hasher.add(std::to_string(def.aliases.size()));
      for (const auto& alias : def.aliases) {
        hasher.add(alias);
        RulesBuilder::add_literal(*rules, alias, entity_index, PatternKind::alias);
        if (list.transliterate)
          RulesBuilder::add_translit_literal(*rules, *translit, alias, entity_index,
                                             PatternKind::alias);
      }
      // Only lists with negatives hash them, so older versions stay as they were.
      if (!def.negatives.empty()) {
        hasher.add("negatives");
        hasher.add(std::to_string(def.negatives.size()));
        for (const auto& neg : def.negatives) {
          hasher.add(neg);
          if (RulesBuilder::add_literal(*rules, neg, entity_index, PatternKind::negative))
            rules->has_negatives_ = true;
          if (list.transliterate)
            RulesBuilder::add_translit_literal(*rules, *translit, neg, entity_index,
                                               PatternKind::negative);
        }
      }
    }
  }

  if (!topics.empty() && !RulesBuilder::compile_topics(*rules, lists, topics, hasher, diags))
    return nullptr;
  rules->version_ = hasher.hex().substr(0, 12);

  if (!RulesBuilder::build_database(*rules, options, diags)) return nullptr;
  rules->compile_time_ =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  return rules;
}

}  // namespace newshound

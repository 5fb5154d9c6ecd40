// Stage: match. Owns Rules compilation: watch-lists -> list/entity/pattern tables
// and one Hyperscan block-mode database of folded, fully escaped literals. Also owns
// the acronym test (rule 1 of docs/matching.md) and the rules version hash.
#include "newshound/match/rules.hpp"

#include <hs.h>
#include <utf8proc.h>

#include <string_view>
#include <unordered_map>

#include "rules_builder.hpp"

#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

namespace {

/// A literal as a Hyperscan expression: every byte that is not [A-Za-z0-9]
/// written as \xHH, so no byte can be read as regex syntax.
void append_escaped(std::string_view literal, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char ch : literal) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

}  // namespace

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

bool RulesBuilder::build_database(Rules& rules, Diagnostics& diags) {
  const auto& patterns = rules.patterns_;
  if (patterns.empty()) return true;
  // Database id per distinct literal, in order of first appearance.
  std::vector<std::uint32_t> id_of(patterns.size());
  std::vector<std::uint32_t> first_pattern;  // id -> first pattern with that literal
  {
    std::unordered_map<std::string_view, std::uint32_t> ids;
    ids.reserve(patterns.size());
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      const auto [it, fresh] =
          ids.try_emplace(patterns[i].literal, static_cast<std::uint32_t>(first_pattern.size()));
      if (fresh) first_pattern.push_back(static_cast<std::uint32_t>(i));
      id_of[i] = it->second;
    }
  }
  const std::size_t n = first_pattern.size();
  rules.literal_first_.assign(n + 1, 0);
  for (const auto id : id_of) ++rules.literal_first_[id + 1];
  for (std::size_t i = 0; i < n; ++i) rules.literal_first_[i + 1] += rules.literal_first_[i];
  rules.literal_patterns_.resize(patterns.size());
  {
    std::vector<std::uint32_t> fill(rules.literal_first_.begin(), rules.literal_first_.end() - 1);
    for (std::size_t i = 0; i < patterns.size(); ++i)
      rules.literal_patterns_[fill[id_of[i]]++] = static_cast<std::uint32_t>(i);
  }

  // Every literal as an expression with each byte outside [A-Za-z0-9] written
  // \xHH, so no byte is read as regex syntax. (hs_compile_lit_multi was tried: the
  // Hyperscan in Debian 12 built databases with it that failed at scan time with
  // HS_UNKNOWN_ERROR on a NUL-bearing literal set found by the watch-list fuzzer;
  // see tests/fuzz/regressions/watchlist-hs-scan-false.)
  std::string storage;  // all escaped expressions, '\0'-terminated, back to back
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < n; ++i) bytes += patterns[first_pattern[i]].literal.size() * 4 + 1;
  storage.reserve(bytes);
  std::vector<std::size_t> offsets(n);
  for (std::size_t i = 0; i < n; ++i) {
    offsets[i] = storage.size();
    append_escaped(patterns[first_pattern[i]].literal, storage);
    storage += '\0';
  }
  std::vector<const char*> exprs(n);
  std::vector<unsigned> flags(n, 0);
  std::vector<unsigned> ids(n);
  for (std::size_t i = 0; i < n; ++i) {
    exprs[i] = storage.data() + offsets[i];
    ids[i] = static_cast<unsigned>(i);
  }
  hs_compile_error_t* err = nullptr;
  const hs_error_t rc =
      hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(n),
                       HS_MODE_BLOCK, nullptr, &rules.db_, &err);
  if (rc != HS_SUCCESS) {
    Diagnostic d;
    const std::string what = err != nullptr && err->message != nullptr ? err->message : "";
    if (err != nullptr && err->expression >= 0 && static_cast<std::size_t>(err->expression) < n) {
      const Pattern& p = patterns[first_pattern[static_cast<std::size_t>(err->expression)]];
      if (p.kind == PatternKind::term && p.term < rules.terms_.size() &&
          !rules.terms_[p.term].topics.empty()) {
        const Topic& t = rules.topics_[rules.terms_[p.term].topics.front()];
        const ListInfo& l = rules.lists_[t.list];
        d.file = l.path.empty() ? l.name : l.path;
        d.line = t.line;
        d.message = "cannot compile a term of topic \"" + t.id + "\" (folded \"" + p.literal +
                    "\"): " + what + "; remove or respell the term";
      } else {
        const Entity& e = rules.entities_[p.entity];
        const ListInfo& l = rules.lists_[e.list];
        d.file = l.path.empty() ? l.name : l.path;
        d.line = e.line;
        d.message = "cannot compile an alias of \"" + e.canonical + "\" (folded \"" + p.literal +
                    "\"): " + what + "; remove or respell the alias";
      }
    } else {
      d.message = "cannot compile the watch-lists (Hyperscan: " + what + ")";
    }
    diags.push_back(std::move(d));
    if (err != nullptr) hs_free_compile_error(err);
    rules.db_ = nullptr;
    return false;
  }
  std::size_t size = 0;
  if (hs_database_size(rules.db_, &size) == HS_SUCCESS) rules.database_bytes_ = size;
  return true;
}

Rules::~Rules() {
  if (db_ != nullptr) hs_free_database(db_);
}

std::shared_ptr<const Rules> Rules::compile(const std::vector<WatchList>& lists,
                                            Diagnostics& diags) {
  return compile(lists, {}, diags);
}

std::shared_ptr<const Rules> Rules::compile(const std::vector<WatchList>& lists,
                                            const std::vector<TopicFile>& topics,
                                            Diagnostics& diags) {
  const auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Rules> rules(new Rules);
  StableHasher hasher;

  std::size_t alias_count = 0;
  for (const auto& list : lists) {
    for (const auto& def : list.entities) alias_count += def.aliases.size() + def.negatives.size();
  }
  rules->lists_.reserve(lists.size() + topics.size());
  rules->patterns_.reserve(alias_count);

  for (const auto& list : lists) {
    const auto list_index = static_cast<std::uint32_t>(rules->lists_.size());
    rules->lists_.push_back(ListInfo{list.name, list.path, list.tags});
    hasher.add("list");
    hasher.add(list.name);
    hasher.add(std::to_string(list.tags.size()));
    for (const auto& tag : list.tags) hasher.add(tag);
    for (const auto& def : list.entities) {
      const auto entity_index = static_cast<std::uint32_t>(rules->entities_.size());
      rules->entities_.push_back(Entity{def.canonical, list_index, def.line});
      hasher.add("entity");
      hasher.add(def.canonical);
      hasher.add(std::to_string(def.aliases.size()));
      for (const auto& alias : def.aliases) {
        hasher.add(alias);
        RulesBuilder::add_literal(*rules, alias, entity_index, PatternKind::alias);
      }
      // Only lists with negatives hash them, so older versions stay as they were.
      if (!def.negatives.empty()) {
        hasher.add("negatives");
        hasher.add(std::to_string(def.negatives.size()));
        for (const auto& neg : def.negatives) {
          hasher.add(neg);
          if (RulesBuilder::add_literal(*rules, neg, entity_index, PatternKind::negative))
            rules->has_negatives_ = true;
        }
      }
    }
  }

  if (!topics.empty() && !RulesBuilder::compile_topics(*rules, lists, topics, hasher, diags))
    return nullptr;
  rules->version_ = hasher.hex().substr(0, 12);

  if (!RulesBuilder::build_database(*rules, diags)) return nullptr;
  rules->compile_time_ =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  return rules;
}

}  // namespace newshound

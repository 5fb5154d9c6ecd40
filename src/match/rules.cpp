// Stage: match. Owns Rules compilation: watch-lists -> list/entity/pattern tables
// and one Hyperscan block-mode database of folded, fully escaped literals. Also owns
// the acronym test (rule 1 of docs/matching.md) and the rules version hash.
#include "newshound/match/rules.hpp"

#include <hs.h>
#include <utf8proc.h>

#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

namespace {

bool is_alnum_ascii(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// A literal as a Hyperscan expression: every byte that is not [A-Za-z0-9]
/// written as \xHH, so no byte can be read as regex syntax.
void append_escaped(std::string_view literal, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char ch : literal) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_alnum_ascii(c)) {
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

Rules::~Rules() {
  if (db_ != nullptr) hs_free_database(db_);
}

std::shared_ptr<const Rules> Rules::compile(const std::vector<WatchList>& lists,
                                            Diagnostics& diags) {
  const auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Rules> rules(new Rules);
  StableHasher hasher;

  std::size_t alias_count = 0;
  for (const auto& list : lists) {
    for (const auto& def : list.entities) alias_count += def.aliases.size();
  }
  rules->lists_.reserve(lists.size());
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
        Pattern p;
        p.literal = fold_phrase(alias);
        // parse_names reports aliases that fold to nothing; lists built in code
        // may still hold one. An empty literal must never reach Hyperscan.
        if (p.literal.empty()) continue;
        if (is_acronym(alias)) p.exact = alias;
        p.entity = entity_index;
        rules->patterns_.push_back(std::move(p));
      }
    }
  }
  rules->version_ = hasher.hex().substr(0, 12);

  if (!rules->patterns_.empty()) {
    const std::size_t n = rules->patterns_.size();
    std::string storage;  // all escaped expressions, '\0'-terminated, back to back
    std::size_t bytes = 0;
    for (const auto& p : rules->patterns_) bytes += p.literal.size() * 4 + 1;
    storage.reserve(bytes);
    std::vector<std::size_t> offsets(n);
    for (std::size_t i = 0; i < n; ++i) {
      offsets[i] = storage.size();
      append_escaped(rules->patterns_[i].literal, storage);
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
                         HS_MODE_BLOCK, nullptr, &rules->db_, &err);
    if (rc != HS_SUCCESS) {
      Diagnostic d;
      const std::string what = err != nullptr && err->message != nullptr ? err->message : "";
      if (err != nullptr && err->expression >= 0 && static_cast<std::size_t>(err->expression) < n) {
        const Pattern& p = rules->patterns_[static_cast<std::size_t>(err->expression)];
        const Entity& e = rules->entities_[p.entity];
        d.file = rules->lists_[e.list].path.empty() ? rules->lists_[e.list].name
                                                    : rules->lists_[e.list].path;
        d.line = e.line;
        d.message = "cannot compile an alias of \"" + e.canonical + "\" (folded \"" + p.literal +
                    "\"): " + what + "; remove or respell the alias";
      } else {
        d.message = "cannot compile the watch-lists (Hyperscan: " + what + ")";
      }
      diags.push_back(std::move(d));
      if (err != nullptr) hs_free_compile_error(err);
      rules->db_ = nullptr;
      return nullptr;
    }
    std::size_t size = 0;
    if (hs_database_size(rules->db_, &size) == HS_SUCCESS) rules->database_bytes_ = size;
  }

  rules->compile_time_ =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  return rules;
}

}  // namespace newshound

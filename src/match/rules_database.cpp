// Stage: match. Owns the Hyperscan side of Rules compilation: one database id per
// distinct folded literal, each literal escaped so no byte reads as regex syntax,
// and the literal set compiled into one block-mode database, or for very large
// lists into a few shards compiled in parallel (CompileOptions); shards found in
// the database cache (database_cache.hpp) are loaded instead of compiled.
#include <hs.h>

#include <algorithm>
#include <atomic>
#include <span>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "database_cache.hpp"
#include "newshound/util/utf8.hpp"
#include "rules_builder.hpp"

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

/// The input and output of one shard's hs_compile_multi. Everything is allocated
/// before the compile threads start: they only call Hyperscan (no exceptions).
struct Shard {
  std::string storage;  // the escaped expressions, '\0'-terminated, back to back
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;    // global database ids
  hs_database_t* db = nullptr;  // owned until handed to the Rules
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = HS_SUCCESS;

  Shard() = default;
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;
  ~Shard() {
    if (db != nullptr) hs_free_database(db);
    if (err != nullptr) hs_free_compile_error(err);
  }

  void compile() {
    if (db != nullptr) return;  // loaded from the cache
    rc = hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                          static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db, &err);
  }
};

/// Runs every shard's compile on up to `threads` threads (the caller's among them).
/// Falls back to fewer threads if the system cannot start one.
void compile_all(std::vector<Shard>& shards, unsigned threads) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < shards.size();) shards[i].compile();
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // the threads started (and this one) share the work
    }
  }
  work();
  for (auto& t : pool) t.join();
}

/// Bytes of a name or literal a compile error echoes (an over-long alias is cut).
constexpr std::size_t kEcho = 80;

/// The diagnostic for a Hyperscan error on database id `id` (or on none: -1).
Diagnostic compile_error(const Rules& rules, std::span<const std::uint32_t> first_pattern, long id,
                         const std::string& what) {
  Diagnostic d;
  if (id < 0 || static_cast<std::size_t>(id) >= first_pattern.size()) {
    d.message = "cannot compile the watch-lists (Hyperscan: " + what + ")";
    return d;
  }
  const Pattern& p = rules.patterns()[first_pattern[static_cast<std::size_t>(id)]];
  if (p.kind == PatternKind::term && p.term < rules.terms().size() &&
      !rules.terms()[p.term].topics.empty()) {
    const Topic& t = rules.topics()[rules.terms()[p.term].topics.front()];
    const ListInfo& l = rules.lists()[t.list];
    d.file = l.path.empty() ? l.name : l.path;
    d.line = t.line;
    d.message = "cannot compile a term of topic \"" + t.id + "\" (folded \"" +
                utf8::shorten(p.literal, kEcho) + "\"): " + what + "; remove or respell the term";
  } else {
    const Entity& e = rules.entities()[p.entity];
    const ListInfo& l = rules.lists()[e.list];
    d.file = l.path.empty() ? l.name : l.path;
    d.line = e.line;
    d.message = "cannot compile an alias of \"" + utf8::shorten(e.canonical, kEcho) +
                "\" (folded \"" + utf8::shorten(p.literal, kEcho) + "\"): " + what +
                "; remove or respell the alias";
  }
  return d;
}

}  // namespace

bool RulesBuilder::build_database(Rules& rules, const CompileOptions& options, Diagnostics& diags) {
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
  // see tests/fuzz/regressions/watchlist-hs-scan-false.) Literal i goes to shard
  // i % shards, so each shard holds a like mix of the lists.
  const std::size_t per_shard = std::max<std::size_t>(options.shard_literals, 1);
  const std::size_t count = (n + per_shard - 1) / per_shard;
  std::vector<Shard> shards(count);
  for (std::size_t s = 0; s < count; ++s) {
    Shard& sh = shards[s];
    std::size_t bytes = 0;
    for (std::size_t i = s; i < n; i += count)
      bytes += patterns[first_pattern[i]].literal.size() * 4 + 1;
    sh.storage.reserve(bytes);
    std::vector<std::size_t> offsets;
    for (std::size_t i = s; i < n; i += count) {
      offsets.push_back(sh.storage.size());
      append_escaped(patterns[first_pattern[i]].literal, sh.storage);
      sh.storage += '\0';
      sh.ids.push_back(static_cast<unsigned>(i));
    }
    sh.flags.assign(offsets.size(), 0);
    for (const std::size_t off : offsets) sh.exprs.push_back(sh.storage.data() + off);
  }
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, count));
  match_detail::DatabaseCache cache(options.cache_dir);
  std::vector<std::string> keys(count);
  std::vector<bool> loaded(count, false);
  if (cache.enabled()) {
    for (std::size_t s = 0; s < count; ++s) {
      keys[s] = match_detail::DatabaseCache::key(shards[s].storage, shards[s].flags, shards[s].ids);
      bool rejected = false;
      shards[s].db = cache.load(keys[s], rejected);
      loaded[s] = shards[s].db != nullptr;
      rules.cache_.loaded += loaded[s] ? 1 : 0;
      rules.cache_.rejected += rejected ? 1 : 0;
    }
  }
  rules.dbs_.reserve(count);  // no allocation between compiling and owning the shards
  compile_all(shards, threads);

  for (const Shard& sh : shards) {
    if (sh.rc == HS_SUCCESS) continue;
    const std::string what = sh.err != nullptr && sh.err->message != nullptr ? sh.err->message : "";
    long id = -1;
    if (sh.err != nullptr && sh.err->expression >= 0 &&
        static_cast<std::size_t>(sh.err->expression) < sh.ids.size())
      id = static_cast<long>(sh.ids[static_cast<std::size_t>(sh.err->expression)]);
    diags.push_back(compile_error(rules, first_pattern, id, what));
    return false;  // the shards free their databases
  }
  if (cache.enabled()) {
    for (std::size_t s = 0; s < count; ++s) {
      if (loaded[s]) continue;
      std::string error = cache.store(keys[s], shards[s].db);
      if (error.empty()) {
        ++rules.cache_.stored;
      } else {
        rules.cache_.error = std::move(error);
      }
    }
    cache.prune(keys);
  }
  for (Shard& sh : shards) {
    std::size_t size = 0;
    if (hs_database_size(sh.db, &size) == HS_SUCCESS) rules.database_bytes_ += size;
    rules.dbs_.push_back(std::exchange(sh.db, nullptr));  // reserved: cannot throw
  }
  return true;
}

}  // namespace newshound

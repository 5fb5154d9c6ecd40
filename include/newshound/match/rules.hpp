// Stage: match. The compiled rules: every alias of every watch-list as one folded
// literal in Hyperscan databases (one, or a few shards for very large lists).
// Immutable once built, shared read-only by all workers; a reload builds a new
// Rules beside the old one and swaps the pointer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "newshound/match/topic_file.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/util/diagnostic.hpp"

struct hs_database;

namespace newshound {

/// A list as compiled: name, origin and tags, for alerts and summaries.
struct ListInfo {
  std::string name;
  std::string path;
  std::vector<std::string> tags;
  bool topics = false;         ///< a `.topics` file (its "entities" are topics)
  bool transliterate = false;  ///< WatchList::transliterate
};

/// An entity: its canonical name and the list it belongs to.
struct Entity {
  std::string canonical;
  std::uint32_t list = 0;
  std::uint32_t line = 0;  ///< line of its EntityDef in the list file (0: unknown)
};

/// What a compiled literal stands for.
enum class PatternKind : std::uint8_t {
  alias,     ///< an alias of `entity`
  negative,  ///< a negative alias of `entity` (`!Gerhard Stoltenberg`): suppresses its hits
  term,      ///< a topic term (`term` indexes Rules::terms())
};

/// One compiled literal. `literal` is the folded alias, negative or term
/// (fold_phrase). When `exact` is non-empty it is an acronym (rule 1 of
/// docs/matching.md) and a hit counts only if the original text of the span equals
/// `exact` byte for byte. `entity` is meaningful for aliases and negatives.
struct Pattern {
  std::string literal;
  std::string exact;
  std::uint32_t entity = 0;
  PatternKind kind = PatternKind::alias;
  /// term only: a suffix wildcard stem or a `~` term's scan literal (start boundary
  /// only; the hit extends over the rest of its word)
  bool prefix = false;
  std::uint32_t term = 0;  ///< term only
  /// A transliterating list's second literal for an alias or negative: its
  /// Transliterator::fold_phrase, matched only in the transliterated view
  /// (TranslitView), and only over transliterated bytes; never a topic term, never
  /// an acronym (`exact` is empty).
  bool translit = false;
};

/// One topic as compiled: its id, the list (`.topics` file) it came from, its
/// query with @references resolved, and where it was defined.
struct Topic {
  std::string id;
  std::uint32_t list = 0;
  std::uint32_t line = 0;
  std::string text;  ///< the query as written (continuations joined)
  TopicQuery query;
};

/// A distinct topic term (same folded literal, exactness and prefix flag share one
/// entry) and the topics that use it, so a hit wakes only those topics.
/// A `~` term (`stem`) is distinct per list language: `literal` is the folded term,
/// `scans[l]` its stem_scan_literal in kStemLanguages[l] (one term Pattern per
/// distinct scan literal), `stems[l]` its stem there, and `language` the list's
/// `[[watchlist]] language` ("" = none).
struct Term {
  std::string literal;
  std::string exact;
  bool prefix = false;
  std::vector<std::uint32_t> topics;
  bool stem = false;
  std::vector<std::string> scans;
  std::string language;
  std::vector<std::string> stems;
};

/// How Rules::compile builds its Hyperscan databases. The defaults suit every
/// list size; tests force small shards to check that sharding changes nothing.
struct CompileOptions {
  /// Distinct literals per database shard. Hyperscan's compiler needs time and
  /// memory that grow faster than the literal count, and one database cannot be
  /// compiled on several cores: above this many literals the set is split into
  /// ceil(n / shard_literals) databases, compiled in parallel and scanned one
  /// after the other (docs/performance.md, "Compile, 100,000 names"). Lists below it (every
  /// list up to about 20,000 names) keep one database: no extra scan pass.
  std::size_t shard_literals = 40'000;
  /// Threads compiling shards at once; 0 = one per core, at most one per shard.
  unsigned threads = 0;
  /// Folder of the compiled-database cache (the daemon uses <state_dir>/hs-cache);
  /// empty = no cache. Each shard is looked up there before compiling and stored
  /// after; files of other lists are removed. A cache that cannot be read or
  /// written only costs the compile (see Rules::cache()).
  std::filesystem::path cache_dir;
};

/// What the compiled-database cache did for one Rules::compile.
struct DatabaseCacheStats {
  std::size_t loaded = 0;    ///< shards loaded instead of compiled
  std::size_t stored = 0;    ///< shards compiled and written to the cache
  std::size_t rejected = 0;  ///< cache files found unusable (corrupt, foreign): replaced
  std::string error;         ///< the last store failure ("" = none), with its path
};

/// Compiled, immutable rules. Owns the Hyperscan databases.
class Rules {
 public:
  /// Compiles the lists. Returns nullptr and appends diagnostics if nothing could
  /// be compiled (Hyperscan error, no patterns at all is NOT an error: an empty
  /// Rules matches nothing). Never throws except std::bad_alloc.
  static std::shared_ptr<const Rules> compile(const std::vector<WatchList>& lists,
                                              Diagnostics& diags);

  /// Compiles names lists and topic files together into one database: topic
  /// terms are literals beside the aliases. An @list/Name that names no entity of
  /// `lists` is a diagnostic (file:line:col of the reference) and the result is
  /// nullptr. Never throws except std::bad_alloc.
  static std::shared_ptr<const Rules> compile(const std::vector<WatchList>& lists,
                                              const std::vector<TopicFile>& topics,
                                              Diagnostics& diags,
                                              const CompileOptions& options = {});

  ~Rules();
  Rules(const Rules&) = delete;
  Rules& operator=(const Rules&) = delete;

  const std::vector<ListInfo>& lists() const { return lists_; }
  const std::vector<Entity>& entities() const { return entities_; }
  const std::vector<Pattern>& patterns() const { return patterns_; }
  const std::vector<Topic>& topics() const { return topics_; }
  const std::vector<Term>& terms() const { return terms_; }

  /// Database ids. Identical literals (the same alias in several entities, an alias
  /// that is also a topic term, ...) share one Hyperscan id; a Candidate's
  /// `pattern` is that id, and literal_patterns(id) lists the Pattern indexes it
  /// stands for (ascending). Without duplicates id i stands for pattern i.
  std::size_t literal_count() const {
    return literal_first_.empty() ? 0 : literal_first_.size() - 1;
  }
  std::span<const std::uint32_t> literal_patterns(std::uint32_t id) const {
    if (id + std::size_t{1} >= literal_first_.size()) return {};
    return std::span<const std::uint32_t>(literal_patterns_)
        .subspan(literal_first_[id], literal_first_[id + 1] - literal_first_[id]);
  }
  /// Topics (ascending indexes into topics()) that reference entity `e` with
  /// `@list/Name`; empty for most entities.
  std::span<const std::uint32_t> entity_topics(std::uint32_t e) const {
    if (e + std::size_t{1} >= entity_topic_first_.size()) return {};
    return std::span<const std::uint32_t>(entity_topic_list_)
        .subspan(entity_topic_first_[e], entity_topic_first_[e + 1] - entity_topic_first_[e]);
  }
  /// Topics (ascending) that metadata filters alone can satisfy (!needs_terms):
  /// the topic engine evaluates them for every article, woken or not.
  const std::vector<std::uint32_t>& filter_topics() const { return filter_topics_; }
  /// True if some entity has a negative alias (verification then looks for them).
  bool has_negatives() const { return has_negatives_; }
  /// True if some list transliterates (some Pattern::translit): the matchers then
  /// build and scan the transliterated view of articles with non-ASCII text.
  bool transliterates() const { return transliterates_; }

  /// Content hash of everything that affects matching (first 12 hex digits of
  /// XXH3-128): the same lists give the same version on every run and host.
  const std::string& version() const { return version_; }
  std::chrono::microseconds compile_time() const { return compile_time_; }
  /// Bytes of all database shards together.
  std::size_t database_bytes() const { return database_bytes_; }
  /// What the database cache did (all zero without CompileOptions::cache_dir).
  const DatabaseCacheStats& cache() const { return cache_; }

  /// The database shards (empty when there are no patterns). Every literal is in
  /// exactly one shard, under its database id; a match scans them all.
  std::span<hs_database* const> databases() const { return dbs_; }

 private:
  friend struct RulesBuilder;  // src/match/rules_builder.hpp: the compile steps
  Rules() = default;
  std::vector<ListInfo> lists_;
  std::vector<Entity> entities_;
  std::vector<Pattern> patterns_;
  std::vector<Topic> topics_;
  std::vector<Term> terms_;
  std::vector<std::uint32_t> literal_first_;  ///< literal_count() + 1 offsets
  std::vector<std::uint32_t> literal_patterns_;
  std::vector<std::uint32_t> entity_topic_first_;  ///< entities + 1 offsets (or empty)
  std::vector<std::uint32_t> entity_topic_list_;
  std::vector<std::uint32_t> filter_topics_;
  bool has_negatives_ = false;
  bool transliterates_ = false;
  std::string version_;
  std::chrono::microseconds compile_time_{0};
  std::size_t database_bytes_ = 0;
  DatabaseCacheStats cache_;
  std::vector<hs_database*> dbs_;  ///< owned: freed by ~Rules
};

/// True if `alias` is matched case-sensitively: at most 5 characters (dots included)
/// and, with dots removed, non-empty and only upper-case letters (Unicode Lu: US,
/// EU, NATO, U.S., ÖVP).
bool is_acronym(std::string_view alias);

}  // namespace newshound

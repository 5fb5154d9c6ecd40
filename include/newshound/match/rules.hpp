// Stage: match. The compiled rules: every alias of every watch-list as one folded
// literal in one Hyperscan database. Immutable once built, shared read-only by all
// workers; a reload builds a new Rules beside the old one and swaps the pointer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "newshound/match/watchlist.hpp"
#include "newshound/util/diagnostic.hpp"

struct hs_database;

namespace newshound {

/// A list as compiled: name, origin and tags, for alerts and summaries.
struct ListInfo {
  std::string name;
  std::string path;
  std::vector<std::string> tags;
};

/// An entity: its canonical name and the list it belongs to.
struct Entity {
  std::string canonical;
  std::uint32_t list = 0;
  std::uint32_t line = 0;  ///< line of its EntityDef in the list file (0: unknown)
};

/// One compiled literal. `literal` is the folded alias (fold_phrase). When `exact`
/// is non-empty the alias is an acronym (rule 1 of docs/matching.md) and a hit
/// counts only if the original text of the span equals `exact` byte for byte.
struct Pattern {
  std::string literal;
  std::string exact;
  std::uint32_t entity = 0;
};

/// Compiled, immutable rules. Owns the Hyperscan database.
class Rules {
 public:
  /// Compiles the lists. Returns nullptr and appends diagnostics if nothing could
  /// be compiled (Hyperscan error, no patterns at all is NOT an error: an empty
  /// Rules matches nothing). Never throws except std::bad_alloc.
  static std::shared_ptr<const Rules> compile(const std::vector<WatchList>& lists,
                                              Diagnostics& diags);

  ~Rules();
  Rules(const Rules&) = delete;
  Rules& operator=(const Rules&) = delete;

  const std::vector<ListInfo>& lists() const { return lists_; }
  const std::vector<Entity>& entities() const { return entities_; }
  const std::vector<Pattern>& patterns() const { return patterns_; }

  /// Content hash of everything that affects matching (first 12 hex digits of
  /// XXH3-128): the same lists give the same version on every run and host.
  const std::string& version() const { return version_; }
  std::chrono::microseconds compile_time() const { return compile_time_; }
  std::size_t database_bytes() const { return database_bytes_; }

  /// The database, or nullptr when there are no patterns.
  const hs_database* database() const { return db_; }

 private:
  Rules() = default;
  std::vector<ListInfo> lists_;
  std::vector<Entity> entities_;
  std::vector<Pattern> patterns_;
  std::string version_;
  std::chrono::microseconds compile_time_{0};
  std::size_t database_bytes_ = 0;
  hs_database* db_ = nullptr;
};

/// True if `alias` is matched case-sensitively: at most 5 characters (dots included)
/// and, with dots removed, non-empty and only upper-case letters (Unicode Lu: US,
/// EU, NATO, U.S., ÖVP).
bool is_acronym(std::string_view alias);

}  // namespace newshound

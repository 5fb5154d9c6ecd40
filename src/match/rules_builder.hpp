// Stage: match. Internal to Rules::compile: the steps that fill a Rules' private
// tables (patterns, topics and terms, the literal table, the Hyperscan database).
// Split from rules.cpp so each file keeps one concern; not part of the public API.
#pragma once

#include <string_view>
#include <vector>

#include "newshound/match/rules.hpp"
#include "newshound/normalize/transliterator.hpp"
#include "newshound/util/hash.hpp"

namespace newshound {

struct RulesBuilder {
  /// Appends the Pattern for one alias or negative of `entity` (folded; acronyms
  /// case-exact). Returns false, adding nothing, if it folds to nothing.
  static bool add_literal(Rules& rules, std::string_view written, std::uint32_t entity,
                          PatternKind kind);

  /// Appends the Pattern::translit literal of one alias or negative of a
  /// transliterating list (none for an acronym, or if it folds to nothing).
  static void add_translit_literal(Rules& rules, Transliterator& translit, std::string_view written,
                                   std::uint32_t entity, PatternKind kind);

  /// Topics (rules_topics.cpp): copies the topics, resolves @list/Name against the
  /// entities compiled so far (QueryNode::target), deduplicates terms into
  /// Rules::terms() with their owner topics, appends one term Pattern per term,
  /// fills the entity -> topics table and hashes it all. Returns false after
  /// appending a diagnostic per unknown reference.
  static bool compile_topics(Rules& rules, const std::vector<WatchList>& lists,
                             const std::vector<TopicFile>& topics, StableHasher& hasher,
                             Diagnostics& diags);

  /// rules_database.cpp: groups identical literals under one database id
  /// (Rules::literal_patterns) and compiles the database shards (CompileOptions).
  /// Returns false after appending a diagnostic on a Hyperscan error (no shard is
  /// kept then).
  static bool build_database(Rules& rules, const CompileOptions& options, Diagnostics& diags);
};

}  // namespace newshound

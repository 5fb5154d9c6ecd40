// Daemon: loads every configured watch-list (`.names` lists and `.topics` files)
// and compiles them into one Rules. Shared by `run` (start-up and reload),
// `check`, `scan` and `explain`.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "newshound/config/config.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/match/topic_file.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/util/diagnostic.hpp"

namespace newshound {

/// True if `path` names a topics file (its extension is `.topics`); every other
/// watch-list is a `.names` list.
bool is_topics_path(const std::filesystem::path& path);

/// The watch-lists of a config as parsed, before compilation, in config order
/// within each kind.
struct LoadedLists {
  std::vector<WatchList> names;
  std::vector<TopicFile> topics;
  Diagnostics warnings;  ///< the names lists' warnings (moved out of each WatchList)
};

/// Loads each list with load_watchlist or load_topics (by is_topics_path), config
/// `name` and `tags` applied. Returns false if any diagnostic was produced (they
/// are appended to `diags`). Never throws except std::bad_alloc.
bool load_lists(const std::vector<WatchlistConfig>& lists, LoadedLists& out, Diagnostics& diags);

/// load_lists, then Rules::compile of names lists and topic files together (with
/// `options`: database shards), then returns the compiler's freed heap to the
/// system. Returns nullptr if any diagnostic was produced: a watch-list with
/// errors is never half-loaded. With `warnings`, the lists' warnings and
/// warn_shared_aliases' are appended there (they never fail the load). Never
/// throws except std::bad_alloc.
std::shared_ptr<const Rules> load_rules(const std::vector<WatchlistConfig>& lists,
                                        Diagnostics& diags, const CompileOptions& options = {},
                                        Diagnostics* warnings = nullptr);

/// An alias (folded) shared by more entities than this gets a `check` warning.
inline constexpr std::size_t kMaxEntitiesPerAlias = 100;

/// Appends a warning (at the first entity's file:line) for each folded alias that
/// more than kMaxEntitiesPerAlias entities share: each mention alerts for all.
void warn_shared_aliases(const Rules& rules, Diagnostics& warnings);

/// A config with its compiled watch-lists: what `run`, `check` and a reload load.
struct LoadedConfig {
  Config config;
  std::shared_ptr<const Rules> rules;
  /// The config's warnings (Config::warnings, moved here), then load_rules':
  /// `check` prints them, `run` and a reload log them.
  Diagnostics warnings;
};

/// load_config, then load_rules on its watch-lists. nullopt (with diagnostics)
/// if either failed. Never throws except std::bad_alloc. With `cached` (the
/// daemon) and an existing state_dir, compiled databases are cached in
/// <state_dir>/hs-cache: loaded when the lists are unchanged, stored otherwise;
/// a cache that cannot be written adds a warning, never an error. `check`
/// compiles without it.
std::optional<LoadedConfig> load_config_and_rules(const std::filesystem::path& config,
                                                  Diagnostics& diags, bool cached = false);

/// "compiled in 812.4 ms", or "loaded from the cache in 41.0 ms" (or "3 of 4
/// shards loaded from the cache...") for log lines.
std::string compile_summary(const Rules& rules);

/// Prints the summary `check` shows: one line per list (entities and aliases of a
/// `.names` list; topics and distinct terms of a `.topics` file), then the totals,
/// database size, compile time and rules version, to `out`.
void print_rules_summary(const Rules& rules, std::FILE* out);

/// Prints each diagnostic as `file:line:col: message`; for a diagnostic in a
/// `.topics` or `.names` file that has a line, also that line of the file and a
/// caret under the column (render_diagnostic). A file that cannot be re-read
/// gets the first line only. Never throws except std::bad_alloc.
void print_diagnostics(const Diagnostics& diags, std::FILE* out);

}  // namespace newshound

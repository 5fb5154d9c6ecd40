// Daemon: loads every configured watch-list and compiles them into one Rules.
// Shared by `run` (start-up, and reload later), `check` and `scan`.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "newshound/daemon/config.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/util/diagnostic.hpp"

namespace newshound {

/// Loads each list (config name and tags applied) and compiles them together.
/// Returns nullptr if any diagnostic was produced: a watch-list with errors is
/// never half-loaded. Never throws except std::bad_alloc.
std::shared_ptr<const Rules> load_rules(const std::vector<WatchlistConfig>& lists,
                                        Diagnostics& diags);

/// A config with its compiled watch-lists: what `run`, `check` and a reload load.
struct LoadedConfig {
  Config config;
  std::shared_ptr<const Rules> rules;
};

/// load_config, then load_rules on its watch-lists. nullopt (with diagnostics)
/// if either failed. Never throws except std::bad_alloc.
std::optional<LoadedConfig> load_config_and_rules(const std::filesystem::path& config,
                                                  Diagnostics& diags);

/// Prints the one-paragraph summary `check` shows (lists, entities, aliases,
/// database size, compile time, version) to `out`.
void print_rules_summary(const Rules& rules, std::FILE* out);

}  // namespace newshound

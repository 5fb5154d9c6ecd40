// Daemon: loads every configured watch-list and compiles them into one Rules.
#include "newshound/daemon/rules_loader.hpp"

#include <cstdio>

#include "newshound/match/watchlist.hpp"

namespace newshound {

std::shared_ptr<const Rules> load_rules(const std::vector<WatchlistConfig>& lists,
                                        Diagnostics& diags) {
  const std::size_t before = diags.size();
  std::vector<WatchList> loaded;
  loaded.reserve(lists.size());
  for (const auto& cfg : lists) {
    WatchList wl = load_watchlist(cfg.path, diags);
    if (!cfg.name.empty()) wl.name = cfg.name;
    wl.tags = cfg.tags;
    loaded.push_back(std::move(wl));
  }
  if (diags.size() != before) return nullptr;
  auto rules = Rules::compile(loaded, diags);
  if (diags.size() != before) return nullptr;
  return rules;
}

std::optional<LoadedConfig> load_config_and_rules(const std::filesystem::path& config,
                                                  Diagnostics& diags) {
  auto cfg = load_config(config, diags);
  if (!cfg) return std::nullopt;
  auto rules = load_rules(cfg->watchlists, diags);
  if (!rules) return std::nullopt;
  return LoadedConfig{std::move(*cfg), std::move(rules)};
}

void print_rules_summary(const Rules& rules, std::FILE* out) {
  std::vector<std::size_t> entities(rules.lists().size()), aliases(rules.lists().size());
  for (const auto& e : rules.entities()) ++entities[e.list];
  for (const auto& p : rules.patterns()) ++aliases[rules.entities()[p.entity].list];
  for (std::size_t i = 0; i < rules.lists().size(); ++i) {
    const auto& l = rules.lists()[i];
    std::fprintf(out, "list %-16s %8zu entities %8zu aliases  %s\n", l.name.c_str(), entities[i],
                 aliases[i], l.path.c_str());
  }
  std::fprintf(
      out,
      "total: %zu lists, %zu entities, %zu aliases; database %.1f KiB compiled in %.1f ms; "
      "rules version %s\n",
      rules.lists().size(), rules.entities().size(), rules.patterns().size(),
      rules.database_bytes() / 1024.0, rules.compile_time().count() / 1000.0,
      rules.version().c_str());
}

}  // namespace newshound

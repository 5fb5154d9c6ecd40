// Config: load_config's checks across sections (unique names, routes naming
// configured watch-lists, the memory budget, one spool folder per output),
// worst_case_memory, the bound the budget is checked against, and
// OutputConfig::queue(), the queue it counts.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "loader.hpp"

namespace newshound {
namespace config_detail {

namespace fs = std::filesystem;

template <class Item>
void ConfigLoader::check_unique_names(ConfigSection sec, const std::vector<Item>& items,
                                      const std::vector<const toml::table*>& tables) {
  std::map<std::string, std::uint32_t> first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name.empty()) continue;
    const auto [it, fresh] = first.emplace(items[i].name, items[i].line);
    if (fresh) continue;
    const toml::node* at = tables[i]->get("name");
    error(at ? at->source() : tables[i]->source(),
          "duplicate " + std::string(section_title(sec)) + " name " + dq(items[i].name) +
              " (first used at line " + std::to_string(it->second) +
              "); give one of them a distinct name = \"...\"");
  }
}

// Every name in an output's `lists` must be a configured watch-list.
void ConfigLoader::check_routes(const Config& cfg, const std::vector<const toml::table*>& outputs) {
  std::string known;
  for (const auto& wl : cfg.watchlists) known += (known.empty() ? "" : ", ") + dq(wl.name);
  for (std::size_t i = 0; i < cfg.outputs.size() && i < outputs.size(); ++i) {
    if (!cfg.outputs[i].lists) continue;
    const toml::array* arr = outputs[i]->get_as<toml::array>("lists");
    const auto& names = *cfg.outputs[i].lists;
    for (std::size_t j = 0; j < names.size(); ++j) {
      const bool found = std::any_of(cfg.watchlists.begin(), cfg.watchlists.end(),
                                     [&](const WatchlistConfig& w) { return w.name == names[j]; });
      if (found) continue;
      error(arr && j < arr->size() ? (*arr)[j].source() : outputs[i]->source(),
            "output " + dq(cfg.outputs[i].name) + " routes list " + dq(names[j]) +
                ", which is not a configured watch-list; use one of " + known +
                " (a [[watchlist]]'s name, by default its file's stem)");
    }
  }
}

// Spooled outputs without `spool_dir` get <state_dir>/spool/<name>, the name's
// characters other than [A-Za-z0-9._-] replaced by '_'; two spools may not share a folder.
void ConfigLoader::resolve_spools(Config& cfg, const std::vector<const toml::table*>& outputs) {
  std::map<fs::path, std::uint32_t> used;
  for (std::size_t i = 0; i < cfg.outputs.size() && i < outputs.size(); ++i) {
    OutputConfig& out = cfg.outputs[i];
    fs::path& dir = out.spool.options.dir;
    if (!out.spool.enabled) continue;
    if (dir.empty()) {
      std::string safe = out.name;
      for (char& c : safe)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
          c = '_';
      if (safe.empty() || safe == "." || safe == "..") safe = "output-" + std::to_string(i + 1);
      dir = (cfg.state_dir / "spool" / safe).lexically_normal();
    }
    const auto [it, fresh] = used.emplace(dir, out.line);
    if (fresh) continue;
    const toml::node* at = outputs[i]->get("spool_dir");
    error(at ? at->source() : outputs[i]->source(),
          "output " + dq(out.name) + " would share the spool folder " + dir.string() +
              " with the output at line " + std::to_string(it->second) +
              "; give one of them its own spool_dir = \"...\"");
  }
}

template void ConfigLoader::check_unique_names(ConfigSection, const std::vector<InputConfig>&,
                                               const std::vector<const toml::table*>&);
template void ConfigLoader::check_unique_names(ConfigSection, const std::vector<OutputConfig>&,
                                               const std::vector<const toml::table*>&);
template void ConfigLoader::check_unique_names(ConfigSection, const std::vector<WatchlistConfig>&,
                                               const std::vector<const toml::table*>&);

// With a memory budget, the worst case of the inputs and outputs must fit in it
// (checked only when everything else loaded, as it needs every value).
void ConfigLoader::check_memory_budget(const toml::table& root, const Config& cfg) {
  if (cfg.memory_budget == 0 || !diags.empty()) return;
  const std::size_t worst = worst_case_memory(cfg);
  if (worst > cfg.memory_budget) {
    const toml::node* at = root.get("memory_budget_bytes");
    auto mib = [](std::size_t b) { return std::to_string((b + (1 << 20) - 1) >> 20) + " MiB"; };
    error(at ? at->source() : root.source(),
          "the inputs and outputs could hold up to " + mib(worst) +
              ", more than memory_budget_bytes (" + mib(cfg.memory_budget) +
              "); lower max_connections, max_inflight_bytes, max_line_bytes or queue_bytes, "
              "or raise the budget");
  }
}

}  // namespace config_detail

std::size_t worst_case_memory(const Config& config) {
  constexpr std::size_t kReadChunk = 64 * 1024;
  std::size_t total = 0;
  const std::size_t max_alert = config.alert_limits.max_bytes;
  for (const auto& in : config.inputs) {
    const TcpInputOptions& t = in.tcp;
    const std::size_t conns = in.mode == TcpInput::Mode::listen ? t.max_connections : 1;
    // Lines and their ordinary alerts, plus one alert of up to max_alert_bytes per batch.
    total += conns * (2 * t.max_inflight_bytes + t.max_line_bytes + kReadChunk +
                      t.max_inflight_batches * max_alert);
  }
  // An empty queue takes one alert larger than queue_bytes (at most max_alert_bytes).
  for (const auto& out : config.outputs) total += std::max(out.queue().queue_bytes, max_alert);
  return total;
}

const QueueOptions& OutputConfig::queue() const {
  if (type == "file") return file.queue;
  if (type == "tcp") return tcp.queue;
  if (type == "webhook") return webhook.queue;
  return stdout_.queue;
}

}  // namespace newshound

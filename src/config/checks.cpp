// Config: load_config's checks across sections (two keys for one thing, unique names, routes naming
// configured watch-lists, the memory budget, one spool folder per output holding
// only spool files, one listener per address, no output aimed at the daemon's own
// listen addresses or files), worst_case_memory, the bound the budget is checked
// against, and OutputConfig::queue(), the queue it counts.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>

#include "loader.hpp"
#include "newshound/sink/spool.hpp"

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
void ConfigLoader::check_one_of(const toml::table& tbl, std::string_view a, std::string_view b) {
  const toml::node* na = tbl.get(a);
  const toml::node* nb = tbl.get(b);
  if (na == nullptr || nb == nullptr) return;
  error(na->source(), "'" + std::string(a) + "' and '" + std::string(b) + "' (" + file_ + ":" +
                          std::to_string(nb->source().begin.line) +
                          ") are both set and mean the same; keep one");
}

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

namespace {

bool is_wildcard(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "*";
}

bool same_host(std::string a, std::string b) {
  for (auto* s : {&a, &b})
    for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (a == b) return true;
  // "localhost" may resolve to any loopback address; two literal ones differ.
  return is_loopback_host(a) && is_loopback_host(b) && (a == "localhost" || b == "localhost");
}

/// Could sockets bound to `a` and to `b` collide (same port, same host or a wildcard)?
bool binds_overlap(const Endpoint& a, const Endpoint& b) {
  return a.port == b.port &&
         (is_wildcard(a.host) || is_wildcard(b.host) || same_host(a.host, b.host));
}

/// Would a connection to `to` reach a socket listening on `listen`? A wildcard
/// listener is reached through loopback (other local addresses are not known here).
bool reaches(const Endpoint& to, const Endpoint& listen) {
  if (to.port != listen.port) return false;
  const bool local = is_loopback_host(to.host) || is_wildcard(to.host);
  return same_host(to.host, listen.host) || (is_wildcard(listen.host) && local) ||
         (is_wildcard(to.host) && is_loopback_host(listen.host));
}

/// `p` with symlinks of its existing part resolved, for comparing paths.
fs::path canonical_path(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

bool is_inside(const fs::path& file, const fs::path& dir) {
  const fs::path rel = file.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

}  // namespace

std::vector<ConfigLoader::Listener> ConfigLoader::listeners(
    const toml::table& root, const Config& cfg, const std::vector<const toml::table*>& inputs) {
  std::vector<Listener> out;
  for (std::size_t i = 0; i < cfg.inputs.size() && i < inputs.size(); ++i) {
    const InputConfig& in = cfg.inputs[i];
    if (in.type != "tcp" || in.mode != TcpInput::Mode::listen) continue;
    const toml::node* at = inputs[i]->get("listen");
    out.push_back({in.endpoint(),
                   "[[input]] " + dq(in.name) + " (line " + std::to_string(in.line) + ")",
                   at ? at->source() : inputs[i]->source(), false});
  }
  if (cfg.admin_listen) {
    const toml::node* at = root.at_path("admin.listen").node();
    out.push_back(
        {*cfg.admin_listen, "the [admin] listen address", at ? at->source() : root.source(), true});
  }
  return out;
}

// Two listeners on one address: the second cannot bind.
void ConfigLoader::check_listen_addresses(const std::vector<Listener>& listens) {
  for (std::size_t j = 0; j < listens.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (!binds_overlap(listens[i].at, listens[j].at)) continue;
      error(listens[j].source, listens[j].what + " listens on " + listens[j].at.to_string() +
                                   ", and " + listens[i].what + " on " + listens[i].at.to_string() +
                                   ": only one of them can bind it; give one of them another port");
      break;
    }
  }
}

// An output aimed at the daemon itself: alerts come back as articles (tcp to an
// input), or go where they do not belong (the admin endpoint, the daemon's files).
void ConfigLoader::check_self_targets(const Config& cfg, const std::vector<Listener>& listens,
                                      const std::vector<const toml::table*>& outputs) {
  // Files the daemon reads or writes, with what they are.
  std::vector<std::pair<fs::path, std::string>> files;
  files.emplace_back(canonical_path(cfg.file), "the config file");
  for (const auto& wl : cfg.watchlists)
    files.emplace_back(canonical_path(wl.path),
                       "the watch-list " + dq(wl.name) + " (line " + std::to_string(wl.line) + ")");
  for (const auto& out : cfg.outputs)
    if (out.type == "webhook" && !out.webhook.dead_letter.empty())
      files.emplace_back(canonical_path(out.webhook.dead_letter),
                         "the dead-letter file of output " + dq(out.name));
  std::vector<std::pair<fs::path, std::string>> spools;
  for (const auto& out : cfg.outputs)
    if (out.spool.enabled)
      spools.emplace_back(canonical_path(out.spool.options.dir), "output " + dq(out.name));

  for (std::size_t i = 0; i < cfg.outputs.size() && i < outputs.size(); ++i) {
    const OutputConfig& out = cfg.outputs[i];
    auto at = [&](const char* key) {
      const toml::node* n = outputs[i]->get(key);
      return n ? n->source() : outputs[i]->source();
    };
    if (out.type == "tcp" || out.type == "webhook") {
      const bool tcp = out.type == "tcp";
      const Endpoint to = tcp ? Endpoint{out.tcp.host, out.tcp.port}
                              : Endpoint{out.webhook.url.host, out.webhook.url.port};
      for (const Listener& l : listens) {
        if ((!tcp && !l.admin) || !reaches(to, l.at)) continue;
        error(at(tcp ? "connect" : "url"),
              "output " + dq(out.name) + " sends to " + to.to_string() + ", which is " + l.what +
                  " of this daemon" +
                  (l.admin ? "" : ": its alerts would come back as articles, without end") +
                  "; point it at the receiver of the alerts");
        break;
      }
    }
    if (out.type != "file") continue;
    const fs::path path = canonical_path(out.file.path);
    std::string clash;
    for (const auto& [f, what] : files)
      if (f == path) clash = what;
    for (std::size_t j = 0; j < i && clash.empty(); ++j)
      if (cfg.outputs[j].type == "file" && canonical_path(cfg.outputs[j].file.path) == path)
        clash = "the file of output " + dq(cfg.outputs[j].name);
    for (const auto& [dir, owner] : spools)
      if (clash.empty() && is_inside(path, dir)) clash = "inside the spool folder of " + owner;
    if (clash.empty()) continue;
    error(at("path"), "output " + dq(out.name) + " writes alerts to " + out.file.path.string() +
                          ", which is " + clash + "; give it a file of its own");
  }
}

// A spool folder holds only the spool's files: pointing spool_dir at a folder
// with others (the config's) would mix them, and the spool would list them as garbage.
void ConfigLoader::check_spool_folders(const Config& cfg,
                                       const std::vector<const toml::table*>& outputs) {
  for (std::size_t i = 0; i < cfg.outputs.size() && i < outputs.size(); ++i) {
    const OutputConfig& out = cfg.outputs[i];
    if (!out.spool.enabled) continue;
    const fs::path& dir = out.spool.options.dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;  // created on start; other problems show there
    std::vector<std::string> others;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!is_spool_file_name(name) || it->is_directory(ec)) others.push_back(name);
    }
    if (others.empty()) continue;
    std::sort(others.begin(), others.end());
    const std::string more =
        others.size() > 1 ? " and " + std::to_string(others.size() - 1) + " more" : "";
    const toml::node* at = outputs[i]->get("spool_dir");
    error(at ? at->source() : outputs[i]->source(),
          "output " + dq(out.name) + " spools into " + dir.string() +
              ", which holds files that are not the spool's (" + dq(others.front()) + more +
              "): a spool folder holds only its segments, cursor and lock; give spool_dir an "
              "empty folder of its own");
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
              "); lower max_connections, max_inflight_bytes, max_line_bytes, max_body_bytes, "
              "max_ack_pending or queue_bytes, "
              "or raise the budget");
  }
}

}  // namespace config_detail

std::size_t worst_case_memory(const Config& config) {
  constexpr std::size_t kReadChunk = 64 * 1024;
  std::size_t total = 0;
  // One article's alert, and the copies of it made for outputs with smaller bounds
  // or without snippets.
  std::vector<std::pair<std::size_t, bool>> classes;
  for (const auto& out : config.outputs)
    classes.emplace_back(out.limits(config.alert_limits).max_bytes, out.snippets);
  if (classes.empty()) classes.emplace_back(config.alert_limits.max_bytes, true);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  std::size_t max_alert = 0;
  for (const auto& c : classes) max_alert += c.first;
  for (const auto& in : config.inputs) {
    if (in.type == "directory") {  // files in flight, and their alerts
      const DirectoryInputOptions& d = in.directory;
      total += 2 * d.max_inflight_bytes + d.max_file_bytes + d.max_files_inflight * max_alert;
      continue;
    }
    if (in.type == "feed") {  // one document and its records per host in flight, at most
      total += 3 * in.feed.max_bytes + max_alert * 16;
      continue;
    }
    const TcpInputOptions& t = in.tcp;
    if (in.type == "jetstream") {  // max_ack_pending messages held, and a batch's alerts each
      const JetStreamInputOptions& j = in.jetstream;
      const std::size_t batches =
          std::max<std::size_t>(1, j.max_ack_pending / std::max<std::size_t>(1, j.batch));
      total += j.max_ack_pending * t.max_line_bytes + batches * max_alert;
      continue;
    }
    if (in.type == "http") {
      total += http_input_worst_case(t, in.http, max_alert);
      continue;
    }
    const std::size_t conns = in.mode == TcpInput::Mode::listen ? t.max_connections : 1;
    // Lines and their ordinary alerts, plus one alert of up to max_alert_bytes per batch.
    total += conns * (2 * t.max_inflight_bytes + t.max_line_bytes + kReadChunk +
                      t.max_inflight_batches * max_alert);
  }
  // An empty queue takes one alert larger than queue_bytes (at most its max_alert_bytes).
  for (const auto& out : config.outputs)
    total += std::max(out.queue().queue_bytes, out.limits(config.alert_limits).max_bytes);
  return total;
}

AlertLimits OutputConfig::limits(const AlertLimits& global) const {
  AlertLimits l = global;
  if (max_matches_per_alert) l.max_matches = *max_matches_per_alert;
  if (max_alert_bytes) l.max_bytes = *max_alert_bytes;
  l.snippets = snippets;
  return l;
}

const QueueOptions& OutputConfig::queue() const {
  if (type == "file") return file.queue;
  if (type == "tcp") return tcp.queue;
  if (type == "webhook") return webhook.queue;
  if (type == "jetstream") return jetstream.queue;
  return stdout_.queue;
}

}  // namespace newshound

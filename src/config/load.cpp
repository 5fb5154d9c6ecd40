// Config: load_config. Reads the TOML file with toml++ and walks its sections
// with a ConfigLoader (loader.hpp; one concern per .cpp of src/config/), turning
// every problem into a Diagnostic "file:line:col: what is wrong; what to do".
// Exceptions from toml++ are caught here: none escape but std::bad_alloc.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "loader.hpp"
#include "newshound/util/regular_file.hpp"

namespace newshound {
namespace config_detail {

void ConfigLoader::load(const toml::table& root, Config& cfg) {
  read(ConfigSection::top, root, "", cfg,
       {{"log", false},
        {"admin", false},
        {"stories", false},
        {"input", true},
        {"output", true},
        {"watchlist", true}});
  cfg.admin_tls = net::server_tls_defaults();
  apply_defaults(ConfigSection::log, cfg);
  if (const toml::node* log = root.get("log")) {
    if (const toml::table* t = log->as_table()) {
      read(ConfigSection::log, *t, "", cfg, {});
    } else {
      error(log->source(), "'log' must be a table; write [log] and level = \"info\" below it");
    }
  }
  apply_defaults(ConfigSection::admin, cfg);
  if (const toml::node* admin = root.get("admin")) {
    if (const toml::table* t = admin->as_table()) {
      read(ConfigSection::admin, *t, "", cfg, {{"tls", false}});
      load_tls(*t, cfg.admin_tls, net::TlsRole::server);
    } else {
      error(admin->source(),
            "'admin' must be a table; write [admin] and listen = \"127.0.0.1:7380\" below it");
    }
  }
  check_admin(root, cfg);
  apply_defaults(ConfigSection::stories, cfg);
  if (const toml::node* stories = root.get("stories")) {
    if (const toml::table* t = stories->as_table()) {
      read(ConfigSection::stories, *t, "", cfg, {});
      check_one_of(*t, "window", "window_ms");
      check_one_of(*t, "versions_window", "versions_window_ms");
    } else {
      error(stories->source(),
            "'stories' must be a table; write [stories] and enabled = true below it");
    }
  }
  std::vector<const toml::table*> tables;
  if (const auto* arr = array_of_tables(root, "input", "write each input as an [[input]] table")) {
    for (const toml::node& n : *arr) {
      load_input(*n.as_table(), cfg.inputs.emplace_back());
      tables.push_back(n.as_table());
    }
    check_unique_names(ConfigSection::input, cfg.inputs, tables);
  }
  const std::vector<const toml::table*> input_tables = tables;
  tables.clear();
  if (const auto* arr =
          array_of_tables(root, "output", "write each output as an [[output]] table")) {
    for (const toml::node& n : *arr) {
      load_output(*n.as_table(), cfg.outputs.emplace_back());
      tables.push_back(n.as_table());
    }
    check_unique_names(ConfigSection::output, cfg.outputs, tables);
  }
  const std::vector<const toml::table*> output_tables = tables;
  tables.clear();
  const toml::node* wl_node = root.get("watchlist");
  if (const auto* arr =
          array_of_tables(root, "watchlist", "write each watch-list as a [[watchlist]] table")) {
    for (const toml::node& n : *arr) {
      load_watchlist(*n.as_table(), cfg.watchlists.emplace_back());
      tables.push_back(n.as_table());
    }
    check_unique_names(ConfigSection::watchlist, cfg.watchlists, tables);
  }
  check_routes(cfg, output_tables);
  check_memory_budget(root, cfg);
  resolve_spools(cfg, output_tables);
  if (diags.empty()) {  // these need every value as configured
    const std::vector<Listener> listens = listeners(root, cfg, input_tables);
    check_listen_addresses(listens);
    check_self_targets(cfg, listens, output_tables);
    check_spool_folders(cfg, output_tables);
  }
  if (wl_node == nullptr) {
    diags.push_back({file_, 0, 0,
                     "no [[watchlist]] table; add at least one, e.g. [[watchlist]] with path = "
                     "\"watchlists/people.names\""});
  }
}

}  // namespace config_detail

namespace {

namespace fs = std::filesystem;

// Reads the whole file; on failure returns nullopt and sets `why`.
std::optional<std::string> read_file(const fs::path& file, std::string& why) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buf[16384];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) {
    why = std::strerror(err);
    return std::nullopt;
  }
  return text;
}

}  // namespace

std::optional<Config> load_config(const std::filesystem::path& file, Diagnostics& diags) {
  const std::string shown = file.string();
  // A FIFO would block the read below (and `check` with it) until a writer came.
  if (const std::string kind = special_file_kind(file); !kind.empty()) {
    diags.push_back({shown, 0, 0,
                     "cannot read config file: it is " + kind +
                         ", not a regular file; pass the path of a regular file"});
    return std::nullopt;
  }
  std::string why;
  const std::optional<std::string> text = read_file(file, why);
  if (!text) {
    diags.push_back(
        {shown, 0, 0, "cannot read config file: " + why + "; pass the path of an existing file"});
    return std::nullopt;
  }
  toml::table root;
  try {
    root = toml::parse(*text, shown);
  } catch (const toml::parse_error& e) {
    diags.push_back({shown, e.source().begin.line, e.source().begin.column,
                     "TOML syntax error: " + std::string(e.description())});
    return std::nullopt;
  }
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  if (ec) absolute = file;
  absolute = absolute.lexically_normal();

  Config cfg;
  cfg.file = absolute;
  config_detail::ConfigLoader loader(shown, absolute.parent_path());
  loader.load(root, cfg);
  if (loader.diags.empty()) {
    cfg.warnings = std::move(loader.warnings);
    return cfg;
  }
  // toml++ tables are ordered by key: report in file order, file-wide problems last.
  std::stable_sort(loader.diags.begin(), loader.diags.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     const auto ka = std::make_pair(a.line == 0 ? UINT32_MAX : a.line, a.col);
                     const auto kb = std::make_pair(b.line == 0 ? UINT32_MAX : b.line, b.col);
                     return ka < kb;
                   });
  diags.insert(diags.end(), loader.diags.begin(), loader.diags.end());
  return std::nullopt;
}

}  // namespace newshound

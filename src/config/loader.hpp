// Config: internal to load_config. The ConfigLoader that walks the TOML tree
// against the option table and collects Diagnostics, split by concern over
// load.cpp (the walk over sections), read.cpp (one table's keys), convert.cpp
// (one value), sections.cpp (input/output/watch-list specifics), tls_checks.cpp
// (a `tls` table and the files it names), checks.cpp (checks across sections) and
// admin_checks.cpp ([admin]'s token). Private to
// src/config/: include only from those files.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newshound/config/config.hpp"
#include "newshound/config/options.hpp"
#include "quote.hpp"

namespace newshound::config_detail {

/// How a TOML node's type is named in messages ("an integer", "a table").
std::string_view node_type_text(const toml::node& n);
/// Levenshtein distance, for "did you mean" hints on unknown keys.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// A sub-table or array of tables nested in a section.
struct Nested {
  std::string_view key;
  bool array;  ///< [[key]] rather than [key]
};

/// Loads one parsed file into a Config. Every problem is appended to `diags`
/// with file:line:col; loading goes on after an error so that one run reports
/// them all. Never throws but std::bad_alloc.
class ConfigLoader {
 public:
  ConfigLoader(std::string file, std::filesystem::path base)
      : file_(std::move(file)), base_(std::move(base)) {}

  Diagnostics diags;
  Diagnostics warnings;  ///< "warning: ..." messages; load_config hands them on in Config::warnings

  void error(const toml::source_region& at, std::string message) {
    diags.push_back({file_, at.begin.line, at.begin.column, std::move(message)});
  }
  void warn(const toml::source_region& at, std::string message) {
    warnings.push_back({file_, at.begin.line, at.begin.column, "warning: " + std::move(message)});
  }

  /// Reads every section of `root` into `cfg`.
  void load(const toml::table& root, Config& cfg);

 private:
  // read.cpp (instantiated for Config, InputConfig, OutputConfig, WatchlistConfig)
  template <class Target>
  void apply_defaults(ConfigSection sec, Target& target);
  template <class Target>
  std::set<std::string_view> read(ConfigSection sec, const toml::table& tbl,
                                  std::string_view variant, Target& target,
                                  std::initializer_list<Nested> nested);
  // convert.cpp
  std::optional<OptionValue> convert(const OptionSpec& spec, const toml::node& node);
  std::optional<OptionValue> convert_duration(const OptionSpec& spec, const toml::node& node);
  // sections.cpp
  const toml::array* array_of_tables(const toml::table& parent, std::string_view key,
                                     std::string_view how);
  void load_input(const toml::table& tbl, InputConfig& in);
  void load_drop_folder(const toml::table& tbl, InputConfig& in);
  void check_feed_input(const toml::table& tbl, const InputConfig& in);
  void load_output(const toml::table& tbl, OutputConfig& out);
  // http_input_checks.cpp: an http input listens, its path, its token_file
  void check_http_input(const toml::table& tbl, InputConfig& in);
  void check_webhook_url(const toml::table& tbl, std::string_view type, OutputConfig& out);
  void check_backoff(const toml::table& tbl, const BackoffPolicy& backoff);
  void load_watchlist(const toml::table& tbl, WatchlistConfig& wl);
  void check_regular_file(const toml::table& tbl, std::string_view key,
                          const std::filesystem::path& path);
  // admin_checks.cpp: reads [admin] token_file; refuses a non-loopback listen without it
  void check_admin(const toml::table& root, Config& cfg);
  // token_file.cpp: reads the bearer token of `path` into `token`; an error at
  // `where` ("<what> token_file ... <why>") when it cannot, false then; a warning
  // when every user may read it (who could then `use` what it guards).
  bool load_token(const toml::source_region& where, std::string_view what, std::string_view use,
                  const std::filesystem::path& path, std::string& token);
  // tls_checks.cpp
  /// Reads `parent`'s `tls` table (if any) into `o` for a `role` end and checks
  /// the files it names; `what` names the edge in messages ("output \"x\"").
  void load_tls(const toml::table& parent, net::TlsOptions& o, net::TlsRole role);
  void check_tls_files(const toml::table& tbl, const net::TlsOptions& o, net::TlsRole role);
  /// A jetstream input's or output's `tls` table: nats.c reads only unencrypted
  /// keys, so `key_pass` is an error at its line saying to decrypt the key.
  void refuse_nats_key_pass(const toml::table& parent, const net::TlsOptions& o);
  /// The webhook's url scheme and its tls table must agree (https:// turns TLS on).
  void check_webhook_tls(const toml::table& tbl, OutputConfig& out);
  // checks.cpp
  /// Two keys of `tbl` that set the same thing (`window` and `window_ms`): an
  /// error at `a` naming both (and `b`'s line) when both are set.
  void check_one_of(const toml::table& tbl, std::string_view a, std::string_view b);
  void check_routes(const Config& cfg, const std::vector<const toml::table*>& outputs);
  void check_memory_budget(const toml::table& root, const Config& cfg);
  void resolve_spools(Config& cfg, const std::vector<const toml::table*>& outputs);
  /// A socket the daemon listens on: an [[input]] in listen mode or [admin].
  struct Listener {
    Endpoint at;
    std::string what;  ///< "[[input]] \"feed\" (line 3)", "the [admin] listen address"
    toml::source_region source;
    bool admin = false;
  };
  /// The inputs' listen addresses in config order, then the admin's (if enabled).
  static std::vector<Listener> listeners(const toml::table& root, const Config& cfg,
                                         const std::vector<const toml::table*>& inputs);
  void check_listen_addresses(const std::vector<Listener>& listens);
  void check_self_targets(const Config& cfg, const std::vector<Listener>& listens,
                          const std::vector<const toml::table*>& outputs);
  void check_spool_folders(const Config& cfg, const std::vector<const toml::table*>& outputs);
  template <class Item>
  void check_unique_names(ConfigSection sec, const std::vector<Item>& items,
                          const std::vector<const toml::table*>& tables);

  std::string file_;
  std::filesystem::path base_;
};

}  // namespace newshound::config_detail

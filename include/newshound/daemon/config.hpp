// Daemon: the configuration as loaded from TOML. One table of options
// (config_options.hpp) drives parsing, defaults, validation and the reference doc.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newshound/decode/decoder.hpp"
#include "newshound/util/backoff.hpp"
#include "newshound/util/diagnostic.hpp"

namespace newshound {

/// host:port. `host` may be an IPv4/IPv6 literal ("::1" written "[::1]:7301" in
/// the file) or a name resolved at connect/bind time.
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const;
  bool operator==(const Endpoint&) const = default;
};

/// Parses "host:port" / "[v6]:port". Returns nullopt and sets `error` when invalid.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& error);

struct InputConfig {
  std::string name;  ///< defaults to "tcp-listen:HOST:PORT" etc.
  std::string type = "tcp";
  std::optional<Endpoint> listen;  ///< exactly one of listen / connect
  std::optional<Endpoint> connect;
  std::size_t max_line_bytes = 1 << 20;
  std::size_t max_connections = 256;               ///< listen mode: further clients are refused
  std::size_t max_inflight_bytes = 4 << 20;        ///< per connection: line bytes being processed
  std::chrono::milliseconds idle_timeout{300000};  ///< listen mode; 0 = never close idle clients
  bool ack = false;  ///< listen mode: write {"ack":"<id>"} back once an article is settled
  BackoffPolicy reconnect;
  FieldMap fields;
  std::uint32_t line = 0;  ///< where the table starts in the file

  /// Same settings (the position in the file does not count): a reload keeps the
  /// running input, with its connections, when this holds.
  bool same_settings(const InputConfig& o) const;
  bool operator==(const InputConfig&) const = default;
};

struct OutputConfig {
  std::string name;
  std::string type;                                          ///< "stdout", "file", "tcp", "webhook"
  std::filesystem::path path;                                ///< file
  std::optional<Endpoint> connect;                           ///< tcp
  std::size_t queue_bytes = 64 << 20;                        ///< bounded queue (tcp, webhook)
  BackoffPolicy reconnect;                                   ///< tcp reconnects, webhook retries
  std::string url;                                           ///< webhook: "http://host[:port]/path"
  std::vector<std::pair<std::string, std::string>> headers;  ///< webhook: extra headers
  std::size_t batch_max = 1;                 ///< webhook: alerts per request; > 1 sends arrays
  std::size_t batch_bytes = 1 << 20;         ///< webhook: alert bytes per request
  std::chrono::milliseconds timeout{10000};  ///< webhook: connect and request timeout
  std::filesystem::path dead_letter;         ///< webhook: refused alerts; empty = none
  bool ack = false;                          ///< tcp: sent = acknowledged by the receiver
  std::size_t max_unacked = 4096;  ///< tcp with ack: written, unacknowledged alerts at most
  std::string fsync = "interval";  ///< file (and spool): always, interval, never
  std::chrono::milliseconds fsync_interval{1000};
  bool spool = false;                          ///< file, tcp, webhook: on-disk spool
  std::filesystem::path spool_dir;             ///< default <state_dir>/spool/<sanitized name>
  std::uint64_t spool_max_bytes = 1ull << 30;  ///< cap on the spool's files
  /// Routing: only alerts of these watch-lists (by name) / with these tags; a key
  /// left out filters nothing, both left out = every alert.
  std::optional<std::vector<std::string>> lists;
  std::optional<std::vector<std::string>> tags;
  std::uint32_t line = 0;

  /// Same settings (the position in the file does not count).
  bool same_settings(const OutputConfig& o) const;
  bool operator==(const OutputConfig&) const = default;
};

struct WatchlistConfig {
  std::filesystem::path path;  ///< resolved against the config file's folder
  std::string name;            ///< defaults to the file's stem
  std::vector<std::string> tags;
  std::uint32_t line = 0;
};

struct Config {
  std::filesystem::path file;  ///< the config file itself
  std::vector<InputConfig> inputs;
  std::vector<OutputConfig> outputs;
  std::vector<WatchlistConfig> watchlists;
  std::string log_level = "info";  ///< trace, debug, info, warn, error, critical, off
  unsigned workers = 0;            ///< matching threads; 0 = one per core
  std::chrono::milliseconds shutdown_grace{5000};
  /// Upper bound for worst_case_memory(); 0 = not checked.
  std::size_t memory_budget = 0;
  /// [admin] listen: the admin HTTP endpoint; nullopt when set to "" (disabled).
  std::optional<Endpoint> admin_listen = Endpoint{"127.0.0.1", 7380};
  /// Where the daemon keeps state (spools); relative to the config's folder.
  std::filesystem::path state_dir = "/var/lib/newshound";
};

/// The most memory the configured inputs and outputs can hold when every output
/// is stalled and every feed pushes at full speed: per connection twice
/// max_inflight_bytes (lines and their alerts) plus max_line_bytes and one 64 KiB
/// read chunk, times max_connections (listen) or 1 (connect); plus every
/// output's queue_bytes. Rules and thread stacks come on top.
std::size_t worst_case_memory(const Config& config);

/// Loads and validates `file`. Every problem (syntax, unknown key, wrong type,
/// bad value, missing required key) becomes a Diagnostic with file:line:col; the
/// result is nullopt if there was any. Relative paths resolve against the
/// config file's folder. Never throws except std::bad_alloc.
std::optional<Config> load_config(const std::filesystem::path& file, Diagnostics& diags);

}  // namespace newshound

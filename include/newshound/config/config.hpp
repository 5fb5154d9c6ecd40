// Config: the configuration as loaded from TOML (Config and its sections) and
// load_config. One table of options (options.hpp) drives parsing, defaults,
// validation and the reference doc. The options of an input or output are the
// structs their stage defines (TcpInputOptions, FileSinkOptions, ...), embedded
// here, so what the table reads is what the stage gets.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "newshound/config/endpoint.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/match/alert_limits.hpp"
#include "newshound/net/tls_options.hpp"
#include "newshound/sink/file_sink.hpp"
#include "newshound/sink/jetstream_sink.hpp"
#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/spool.hpp"
#include "newshound/sink/stdout_sink.hpp"
#include "newshound/sink/tcp_sink.hpp"
#include "newshound/sink/webhook_sink.hpp"
#include "newshound/source/directory_input.hpp"
#include "newshound/source/feed_options.hpp"
#include "newshound/source/http_input.hpp"
#include "newshound/source/jetstream_input.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/stories/story_stage.hpp"
#include "newshound/util/diagnostic.hpp"

namespace newshound {

/// One [[input]]: the fields every input has, and the options of its stage's
/// own struct, written there directly by the option table (config_options()),
/// so the daemon hands `tcp` to TcpInput as it is.
struct InputConfig {
  std::string name;  ///< defaults to "tcp-listen:HOST:PORT", "directory:PATH", "feed:URL" etc.
  std::string type = "tcp";  ///< "tcp", "directory", "feed", "http" or "jetstream"

  /// `listen` (accept feed connections) or `connect` (dial a feed server):
  /// whichever key the table has; the address is tcp.host and tcp.port.
  TcpInput::Mode mode = TcpInput::Mode::listen;
  /// Address, limits, ack and reconnect backoff, as configured. `name` and
  /// `input` (the index) are not settings: the daemon sets them when it builds
  /// the input, so they stay empty/0 here.
  TcpInputOptions tcp;
  /// type = "directory": the drop folder, as configured; load_config fills in
  /// done_dir, failed_dir and max_file_bytes when absent, and max_inflight_bytes
  /// from tcp's. `name` and `input` are the daemon's to set, as for `tcp`.
  DirectoryInputOptions directory;
  /// type = "feed": urls, opml_file, interval, timeout, max_bytes, headers;
  /// seen_file is the daemon's to set (under state_dir).
  FeedInputOptions feed;
  /// type "http": path, body limit, accept timeout, token (the listener is `tcp`'s).
  HttpInputOptions http;
  /// type "jetstream": url (the `url` key, shared with feed), stream, consumer,
  /// credentials, tls; `name` and `input` are the daemon's to set.
  JetStreamInputOptions jetstream;
  FieldMap fields;
  std::uint32_t line = 0;  ///< where the table starts in the file

  /// The configured address (`listen` or `connect`, per `mode`).
  Endpoint endpoint() const { return {tcp.host, tcp.port}; }
  /// Same settings (the position in the file does not count): a reload keeps the
  /// running input, with its connections, when this holds.
  bool same_settings(const InputConfig& o) const;
  bool operator==(const InputConfig&) const = default;
};

/// `spool = true` on an [[output]]: the on-disk spool in front of its sink. The
/// settings of SpoolingSinkOptions only: that struct also carries a runtime hook
/// (inner_ready, not a setting and not comparable), which the sink factory adds.
struct OutputSpool {
  bool enabled = false;  ///< `spool`; file, tcp, webhook and jetstream outputs
  /// `spool_dir` (load_config fills in <state_dir>/spool/<name> when absent),
  /// `spool_max_bytes`, and `fsync`.
  SpoolOptions options;
  std::chrono::milliseconds fsync_interval{1000};  ///< `fsync_interval_ms`
  bool operator==(const OutputSpool&) const = default;
};

/// One [[output]]: the fields every output has (name, type, routing, spool) and
/// one options struct per sink type, each the struct its sink's constructor
/// takes, written directly by the option table; the sink factory passes the one
/// `type` names as it is.
///
/// Plain members rather than a std::variant: the table applies an output's
/// defaults before its `type` is known (toml++ hands keys over sorted, so
/// `type` may come last), and keys shared by types (queue_bytes,
/// reconnect_*_ms, fsync*) are stored before the type is checked; with members
/// every setter writes one fixed place, the structs of the other types keep
/// their defaults, and same_settings compares them all (they are equal). The
/// cost is a few hundred bytes per output.
///
/// Shared keys: `queue_bytes` is written into every sink's `queue`;
/// `reconnect_initial_ms` / `reconnect_max_ms` into tcp's, webhook's and
/// jetstream's `queue.backoff`; `fsync` / `fsync_interval_ms` into `file` and `spool`.
struct OutputConfig {
  std::string name;
  std::string type;  ///< "stdout", "file", "tcp", "webhook", "jetstream"
  FileSinkOptions file;
  TcpSinkOptions tcp;  ///< host and port from `connect`
  /// url from `url` (parsed by load_config), url_text as written.
  WebhookSinkOptions webhook;
  /// connect.url from `url` (shared with webhook), subject, credentials, tls.
  JetStreamSinkOptions jetstream;
  StdoutSinkOptions stdout_;  ///< (`stdout` is a macro of <cstdio>)
  OutputSpool spool;
  /// Routing: only alerts of these watch-lists (by name) / with these tags; a key
  /// left out filters nothing, both left out = every alert.
  std::optional<std::vector<std::string>> lists;
  std::optional<std::vector<std::string>> tags;
  /// This output's `max_matches_per_alert` / `max_alert_bytes`; unset: the
  /// top-level ones. Applied by the dispatcher, like routing.
  std::optional<std::size_t> max_matches_per_alert;
  std::optional<std::size_t> max_alert_bytes;
  /// `digest_interval_ms`: how long a digest collects copies before it is sent
  /// (`stories = "digest"`, and the throttle's digests). Applied by the dispatcher.
  std::chrono::milliseconds digest_interval{10 * 60 * 1000};
  /// `max_alerts_per_minute`: per watch-list; the excess is folded into a digest
  /// of that list (0 = no throttle). Applied by the dispatcher.
  std::uint32_t max_alerts_per_minute = 0;
  /// `snippets`: whether this output's alerts carry each match's snippet.
  /// Applied by the dispatcher, like the bounds.
  bool snippets = true;
  /// `stories`: which alerts of a story this output gets (all, or first copies
  /// only). Applied by the dispatcher, like routing.
  StoryPolicy stories = StoryPolicy::first;
  std::uint32_t line = 0;

  /// This output's alert bounds: its own where set, else `global`'s.
  AlertLimits limits(const AlertLimits& global) const;
  /// The queue options of the sink `type` names (stdout's for an unknown type).
  const QueueOptions& queue() const;
  /// Same settings (the position in the file does not count).
  bool same_settings(const OutputConfig& o) const;
  bool operator==(const OutputConfig&) const = default;
};

struct WatchlistConfig {
  std::filesystem::path path;  ///< resolved against the config file's folder
  std::string name;            ///< defaults to the file's stem
  std::vector<std::string> tags;
  std::uint32_t line = 0;
  bool transliterate = false;  ///< `.names` only: aliases match other scripts too
  std::string language{};      ///< `~` terms' language for articles that name none ("" = none)
};

/// [stories]: the near-duplicate stage (docs/stories.md).
struct StoriesConfig {
  bool enabled = true;
  StoryOptions index;          ///< window, max_stories, threshold
  LifecycleOptions lifecycle;  ///< versions_window_ms, max_articles
  bool operator==(const StoriesConfig&) const;
};

struct Config {
  std::filesystem::path file;  ///< the config file itself
  std::vector<InputConfig> inputs;
  std::vector<OutputConfig> outputs;
  std::vector<WatchlistConfig> watchlists;
  std::string log_level = "info";  ///< trace, debug, info, warn, error, critical, off
  unsigned workers = 0;            ///< matching threads; 0 = one per core
  std::chrono::milliseconds shutdown_grace{5000};
  /// `max_matches_per_alert`, `max_alert_bytes`, `max_spans_per_topic`: the bounds
  /// of every alert (outputs may set their own first two; a reload applies them
  /// to new batches).
  AlertLimits alert_limits;
  /// Upper bound for worst_case_memory(); 0 = not checked.
  std::size_t memory_budget = 0;
  /// [admin] listen: the admin HTTP endpoint; nullopt when set to "" (disabled).
  std::optional<Endpoint> admin_listen = Endpoint{"127.0.0.1", 7380};
  /// [admin] allowed_hosts: further names the admin endpoint answers to (Host, Origin).
  std::vector<std::string> admin_allowed_hosts;
  /// [admin] token_file (resolved; empty = none) and the token load_config read
  /// from it: requests other than health checks must carry it as a bearer token.
  std::filesystem::path admin_token_file;
  std::string admin_token;
  /// [admin] tls: HTTPS for the admin endpoint (AdminLimits::tls; a reload
  /// re-reads its files, a changed table takes effect at the next restart).
  net::TlsOptions admin_tls = net::server_tls_defaults();
  /// Where the daemon keeps state (spools); relative to the config's folder.
  std::filesystem::path state_dir = "/var/lib/newshound";
  /// [stories] (the story stage is built at start; a reload that changes it warns).
  StoriesConfig stories;
  /// Problems that do not stop loading, each "warning: ..." with file:line (a
  /// token_file every user can read, a certificate close to expiry, verification
  /// turned off): `check` prints them, `run` and a reload log them.
  Diagnostics warnings;
};

/// The most memory the configured inputs and outputs can hold when every output
/// is stalled and every feed pushes at full speed: per tcp connection twice
/// max_inflight_bytes (lines and their ordinary alerts) plus max_line_bytes, one
/// 64 KiB read chunk and one alert of max_alert_bytes per batch in flight
/// (max_inflight_batches), times max_connections (listen) or 1 (connect); per
/// drop folder twice max_inflight_bytes plus max_file_bytes plus one alert per
/// file in flight (max_files_inflight); for an http input
/// http_input_worst_case(); plus for every output the larger of its queue_bytes
/// (OutputConfig::queue()) and max_alert_bytes (an empty queue takes any one
/// alert). Rules and thread stacks come on top.
std::size_t worst_case_memory(const Config& config);

/// Loads and validates `file`. Every problem (syntax, unknown key, wrong type,
/// bad value, missing required key) becomes a Diagnostic with file:line:col; the
/// result is nullopt if there was any. Relative paths resolve against the
/// config file's folder. Never throws except std::bad_alloc.
std::optional<Config> load_config(const std::filesystem::path& file, Diagnostics& diags);

}  // namespace newshound

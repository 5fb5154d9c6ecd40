// Daemon: the subcommands behind the command line (run, check, scan, explain). Each returns an exit
// code (see cli.hpp) and never throws.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "newshound/stories/story_stage.hpp"

namespace newshound {

/// `scan --jetstream URL --stream NAME`: read a stream instead of stdin.
struct ScanJetStreamOptions {
  std::string url;      ///< `--jetstream`: empty = read stdin
  std::string stream;   ///< `--stream`
  std::string subject;  ///< `--subject`: only these messages; empty: all
  std::string since;    ///< `--since`: RFC 3339 time or duration ago; empty: the start
  std::string until;    ///< `--until`: RFC 3339 time or duration ago; empty: the end
};

struct ScanOptions {
  std::vector<std::filesystem::path> watchlists;
  std::size_t max_line_bytes = 1 << 20;
  bool stats = false;              ///< print counts to stderr at the end
  bool reference = false;          ///< use the slow reference matcher (debugging)
  unsigned workers = 0;            ///< matching threads; 0 = one per core, 1 = no extra thread
  std::size_t shard_literals = 0;  ///< literals per database shard; 0 = CompileOptions' default
  bool transliterate = false;      ///< every `.names` list as with `transliterate = true`
  /// `--stories`: every alert (all, the default) or a story's first copy only.
  StoryPolicy stories = StoryPolicy::all;
  /// `--stories off`: no story stage (no signatures, stories, lifecycle or holds).
  bool story_stage = true;
  bool snippets = true;            ///< false: `--no-snippets`, alerts without snippets
  ScanJetStreamOptions jetstream;  ///< backtesting on a JetStream stream
};

/// `newshound scan`: NDJSON articles on stdin, alerts on stdout. 0 if any alert,
/// 1 if none, 2 on error (watch-list problems are printed as file:line: message).
int run_scan(const ScanOptions& options);

struct ExplainOptions {
  std::vector<std::filesystem::path> watchlists;  ///< `.names` and `.topics` files
  bool json = false;                              ///< one JSON object per article
};

/// `newshound explain`: JSON articles on stdin (one document, possibly pretty-
/// printed, or several, e.g. NDJSON), and for each: every topic matched or not,
/// clause by clause with the spans found, and every entity with an alias found,
/// matched or a near miss and why. Text by default, NDJSON with `json`. 0 if
/// anything matched, 1 if nothing did, 78 on watch-list errors (with the line and
/// a caret), 2 if stdin holds no article that could be read.
int run_explain(const ExplainOptions& options);

/// `newshound check`: loads config and watch-lists, compiles, prints a summary.
/// 0 if all is well, 78 with file:line: message lines on stderr otherwise.
int run_check(const std::filesystem::path& config);

/// `newshound run`: the daemon, until SIGINT/SIGTERM. 0 after a clean drain,
/// 78 on a config error, 2 when it cannot start (e.g. a port in use).
int run_daemon(const std::filesystem::path& config);

}  // namespace newshound

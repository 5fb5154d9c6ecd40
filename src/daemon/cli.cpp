// Daemon: the command line (run, check, scan, explain), --help and --version, via
// CLI11; and the hidden `reference` command that prints the man pages and the
// bash completion generated from the same definitions (the build installs them).
#include "newshound/daemon/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include "cli_reference.hpp"
#include "newshound/config/options.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/nats/connection.hpp"
#include "newshound/version.hpp"

namespace newshound {
namespace {

struct CliArgs {
  std::filesystem::path config;
  ScanOptions scan;
  ExplainOptions explain;
};

// Every user-facing subcommand and option; the values land in `a`.
void define_commands(CLI::App& app, CliArgs& a) {
  const std::string version = std::string("newshound ") + version_string;
  app.set_version_flag("--version", version);
  app.require_subcommand(1);

  auto* run = app.add_subcommand("run", "Run the daemon on a config file");
  run->add_option("-c,--config", a.config, "Config file (TOML)")->required();
  run->set_version_flag("--version", version);

  auto* check = app.add_subcommand(
      "check", "Load and compile a config and its watch-lists, print a summary; exit 78 on error");
  check->add_option("-c,--config", a.config, "Config file (TOML)")->required();
  check->set_version_flag("--version", version);

  auto* scan = app.add_subcommand(
      "scan",
      "Filter NDJSON articles from stdin to alert NDJSON on stdout; exit 0 if any alert, 1 if "
      "none, 2 on a usage error, 78 on a broken watch-list");
  scan->add_option("-w,--watchlist", a.scan.watchlists,
                   "Watch-list (.names) or topics (.topics) file; repeat for more. The list is "
                   "named after the file")
      ->required();
  scan->add_option("--max-line-bytes", a.scan.max_line_bytes,
                   "Skip (and count) lines longer than this")
      ->capture_default_str();
  scan->add_flag("--stats", a.scan.stats, "Print counts, articles/s and MB/s to stderr at the end");
  scan->add_flag("--reference", a.scan.reference,
                 "Use the slow reference matcher instead of Hyperscan (for debugging)");
  scan->add_option("--workers", a.scan.workers,
                   "Matching threads (0 = one per core); output keeps input order")
      ->capture_default_str();
  scan->add_option("--shard-literals", a.scan.shard_literals,
                   "Distinct literals per Hyperscan database shard (0 = the built-in 40000): "
                   "larger shards scan faster and compile slower with more memory")
      ->capture_default_str();
  scan->add_flag("--transliterate", a.scan.transliterate,
                 "Read every .names list as with transliterate = true: its aliases also match "
                 "Cyrillic, Greek, Arabic... text (docs/matching.md, Other scripts)");
  scan->add_option_function<std::string>(
          "--stories",
          [&a](const std::string& v) {
            a.scan.story_stage = v != "off";
            a.scan.stories = v == "first" ? StoryPolicy::first : StoryPolicy::all;
          },
          "Alerts of every copy of a story (all, marked by duplicate_of), only of its first "
          "copy in the input (first), or no story stage at all (off: no story fields, "
          "versions or embargo holds; for measuring its cost)")
      ->check(CLI::IsMember({"all", "first", "off"}))
      ->default_str("all");
  scan->add_flag("--no-snippets{false}", a.scan.snippets,
                 "Leave the `snippet` of every match out of the alerts (an output's "
                 "`snippets = false`): less work per match");
  auto* js = scan->add_option("--jetstream", a.scan.jetstream.url,
                              "Read the articles of a NATS JetStream stream (nats://host:4222) "
                              "instead of stdin, from --since to its current end (backtesting)");
  scan->add_option("--stream", a.scan.jetstream.stream, "With --jetstream: the stream")->needs(js);
  js->needs(scan->get_option("--stream"));
  scan->add_option("--subject", a.scan.jetstream.subject,
                   "With --jetstream: only the messages on this subject")
      ->needs(js);
  scan->add_option("--since", a.scan.jetstream.since,
                   "With --jetstream: from this time (2026-12-06T09:00:00Z) or this long ago "
                   "(24h, 30m, 7d); default: the stream's start")
      ->needs(js);
  scan->add_option("--until", a.scan.jetstream.until,
                   "With --jetstream: up to this time or this long ago; default: the end")
      ->needs(js);
  scan->set_version_flag("--version", version);

  auto* explain = app.add_subcommand(
      "explain",
      "Read JSON articles from stdin and show, for every topic and entity, whether it matched "
      "and why, clause by clause; exit 0 if anything matched, 1 if nothing, 78 on a watch-list "
      "error");
  explain
      ->add_option("-w,--watchlist", a.explain.watchlists,
                   "Watch-list (.names) or topics (.topics) file; repeat for more")
      ->required();
  explain->add_flag("--json", a.explain.json, "One JSON object per article instead of text");
  explain->set_version_flag("--version", version);
}

}  // namespace

int cli_main(int argc, char** argv) {
  nats::prepare_library();  // before anything sets up OpenSSL: see its comment
  try {
    CLI::App app{"newshound: matches a live news feed against watch-lists and forwards alerts"};
    CliArgs args;
    define_commands(app, args);
    // Hidden (empty group): `newshound reference man1|man5|bash` prints the
    // newshound(1) page, the newshound.toml(5) page or the bash completion.
    std::string what;
    auto* reference = app.add_subcommand("reference", "Print generated documentation");
    reference->group("");
    reference->add_option("what", what, "man1, man5 or bash")
        ->required()
        ->check(CLI::IsMember({"man1", "man5", "bash"}));

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int rc = app.exit(e);
      return rc == 0 ? exit_ok : exit_error;
    }
    if (*reference) {
      const std::string text = what == "man1"   ? cli_man_page(app, version_string)
                               : what == "man5" ? config_reference_man(version_string)
                                                : cli_bash_completion(app);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return std::fflush(stdout) == 0 ? exit_ok : exit_error;
    }
    if (app.got_subcommand("check")) return run_check(args.config);
    if (app.got_subcommand("explain")) return run_explain(args.explain);
    const int rc = app.got_subcommand("run") ? run_daemon(args.config) : run_scan(args.scan);
    // Every NATS connection is closed by now; nats.c's threads may still be
    // freeing them: they must be done before exit (OpenSSL's cleanup).
    if (std::string err; !nats::close_library(err))
      std::fprintf(stderr, "newshound: %s\n", err.c_str());
    return rc;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "newshound: %s\n", e.what());
    return exit_error;
  }
}

}  // namespace newshound

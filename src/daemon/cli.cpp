// Daemon: the command line (run, check, scan, explain), --help and --version, via
// CLI11.
#include "newshound/daemon/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "newshound/daemon/commands.hpp"
#include "newshound/version.hpp"

namespace newshound {

int cli_main(int argc, char** argv) {
  try {
    CLI::App app{"newshound: matches a live news feed against watch-lists and forwards alerts"};
    app.set_version_flag("--version", std::string("newshound ") + version_string);
    app.require_subcommand(1);

    std::filesystem::path config;
    auto* run = app.add_subcommand("run", "Run the daemon on a config file");
    run->add_option("-c,--config", config, "Config file (TOML)")->required();
    run->set_version_flag("--version", std::string("newshound ") + version_string);

    auto* check = app.add_subcommand(
        "check",
        "Load and compile a config and its watch-lists, print a summary; exit 78 on error");
    check->add_option("-c,--config", config, "Config file (TOML)")->required();
    check->set_version_flag("--version", std::string("newshound ") + version_string);

    ScanOptions scan_opts;
    auto* scan = app.add_subcommand(
        "scan",
        "Filter NDJSON articles from stdin to alert NDJSON on stdout; exit 0 if any alert, 1 if "
        "none, 2 on a usage error, 78 on a broken watch-list");
    scan->add_option(
            "-w,--watchlist", scan_opts.watchlists,
            "Watch-list (.names) or topics (.topics) file; repeat for more. The list is named "
            "after the file")
        ->required();
    scan->add_option("--max-line-bytes", scan_opts.max_line_bytes,
                     "Skip (and count) lines longer than this")
        ->capture_default_str();
    scan->add_flag("--stats", scan_opts.stats, "Print counts to stderr at the end");
    scan->add_flag("--reference", scan_opts.reference,
                   "Use the slow reference matcher instead of Hyperscan (for debugging)");
    scan->add_option("--workers", scan_opts.workers,
                     "Matching threads (0 = one per core); output keeps input order")
        ->capture_default_str();
    scan->add_option("--shard-literals", scan_opts.shard_literals,
                     "Distinct literals per Hyperscan database shard (0 = the built-in 40000): "
                     "larger shards scan faster and compile slower with more memory")
        ->capture_default_str();
    scan->set_version_flag("--version", std::string("newshound ") + version_string);

    ExplainOptions explain_opts;
    auto* explain = app.add_subcommand(
        "explain",
        "Read JSON articles from stdin and show, for every topic and entity, whether it matched "
        "and why, clause by clause; exit 0 if anything matched, 1 if nothing, 78 on a watch-list "
        "error");
    explain
        ->add_option("-w,--watchlist", explain_opts.watchlists,
                     "Watch-list (.names) or topics (.topics) file; repeat for more")
        ->required();
    explain->add_flag("--json", explain_opts.json, "One JSON object per article instead of text");
    explain->set_version_flag("--version", std::string("newshound ") + version_string);

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int rc = app.exit(e);
      return rc == 0 ? exit_ok : exit_error;
    }
    if (*run) return run_daemon(config);
    if (*check) return run_check(config);
    if (*explain) return run_explain(explain_opts);
    return run_scan(scan_opts);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "newshound: %s\n", e.what());
    return exit_error;
  }
}

}  // namespace newshound

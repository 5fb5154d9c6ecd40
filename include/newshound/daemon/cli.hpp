// Daemon: the command line (run, check, scan, explain) and its exit codes.
#pragma once

namespace newshound {

/// Exit codes: 0 ok / alerts found (scan) / something matched (explain), 1 no
/// alert (scan) / nothing matched (explain), 2 usage or runtime error, 78
/// (EX_CONFIG) configuration or watch-list error.
inline constexpr int exit_ok = 0;
inline constexpr int exit_no_alert = 1;
inline constexpr int exit_error = 2;
inline constexpr int exit_config = 78;

/// Parses argv and runs the subcommand. Never throws.
int cli_main(int argc, char** argv);

}  // namespace newshound

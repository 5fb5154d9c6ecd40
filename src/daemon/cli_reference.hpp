// Daemon: the documentation generated from the CLI11 definition of the command
// line (the newshound(1) man page, the bash completion), so they cannot drift
// from --help. Printed by the hidden `newshound reference` command.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace newshound {

/// newshound(1) in roff: every visible subcommand with its options, exit
/// statuses, files. `version` goes in the footer. Pure; never throws beyond
/// std::bad_alloc.
std::string cli_man_page(const CLI::App& app, std::string_view version);

/// A bash completion script (`complete -F _newshound newshound`) that completes
/// the visible subcommands, each one's options, and file names after options
/// that take a file. Pure; never throws beyond std::bad_alloc.
std::string cli_bash_completion(const CLI::App& app);

}  // namespace newshound

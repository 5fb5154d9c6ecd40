// Daemon: `newshound check`, loads and compiles a config without running it;
// errors in `.topics`/`.names` files are shown with their line and a caret, and so
// are the warnings of a config that loads (it still passes).
#include <cstdio>

#include "newshound/config/config.hpp"
#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/rules_loader.hpp"

namespace newshound {

int run_check(const std::filesystem::path& config_path) {
  Diagnostics diags;
  auto loaded = load_config_and_rules(config_path, diags);
  if (!loaded) {
    print_diagnostics(diags, stderr);
    std::fprintf(stderr, "%s: %zu error(s); nothing was started\n", config_path.c_str(),
                 diags.size());
    return exit_config;
  }
  print_diagnostics(loaded->warnings, stderr);
  std::printf("config %s: OK\n", config_path.c_str());
  for (const auto& in : loaded->config.inputs) std::printf("input  %s\n", in.name.c_str());
  for (const auto& out : loaded->config.outputs) std::printf("output %s\n", out.name.c_str());
  print_rules_summary(*loaded->rules, stdout);
  return exit_ok;
}

}  // namespace newshound

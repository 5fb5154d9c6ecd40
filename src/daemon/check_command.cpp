// Daemon: `newshound check`, loads and compiles a config without running it;
// errors in `.topics`/`.names` files are shown with their line and a caret, and so
// are the warnings of a config that loads (it still passes). It also prints the
// config's worst-case memory and a systemd MemoryMax= to go with it.
#include <algorithm>
#include <cstdio>
#include <string>

#include "newshound/config/config.hpp"
#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/rules_loader.hpp"

namespace newshound {

namespace {

/// "memory ..." line: the worst case, the budget, and MemoryMax= for the unit:
/// the budget (or, without one, the worst case) plus a quarter, at least 256 MiB,
/// for what neither counts (the rules, allocator slack, stacks). See
/// docs/operations.md, Memory limit.
void print_memory(const Config& config) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  auto mib = [&](std::size_t b) { return (b + kMiB - 1) / kMiB; };
  const std::size_t worst = worst_case_memory(config);
  const std::size_t base = config.memory_budget != 0 ? config.memory_budget : worst;
  const std::size_t limit = base + std::max(base / 4, 256 * kMiB);
  std::printf(
      "memory worst case %zu MiB (inputs and outputs), memory_budget_bytes %s; systemd: "
      "MemoryMax=%zuM\n",
      mib(worst),
      config.memory_budget != 0 ? (std::to_string(mib(config.memory_budget)) + " MiB").c_str()
                                : "not set",
      mib(limit));
}

}  // namespace

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
  print_memory(loaded->config);
  print_rules_summary(*loaded->rules, stdout);
  return exit_ok;
}

}  // namespace newshound

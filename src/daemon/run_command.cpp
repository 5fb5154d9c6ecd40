// Daemon: `newshound run`, the process around the Daemon object: loads the config,
// handles signals (SIGHUP reload, SIGTERM/SIGINT drain), tells systemd, and
// returns the exit code.
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>

#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/daemon.hpp"
#include "newshound/daemon/logging.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/version.hpp"

namespace newshound {

namespace asio = boost::asio;

namespace {
void log_stats(const Daemon& d) {
  const auto& s = d.dispatcher().stats();
  std::uint64_t bytes = 0;
  for (const auto& in : d.inputs()) bytes += in.input->stats().bytes.load();
  spdlog::info("stats: {} bytes in, {} articles, {} alerts, {} matches, {} bad lines, {} rejected",
               bytes, s.articles.load(), s.alerts.load(), s.matches.load(), s.bad_lines_total(),
               s.alerts_rejected.load());
}

void notify_reloading() {
  const auto usec = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count();
  sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", static_cast<unsigned long long>(usec));
}
}  // namespace

int run_daemon(const std::filesystem::path& config_path) {
  Diagnostics diags;
  auto config = load_config(config_path, diags);
  std::shared_ptr<const Rules> rules;
  if (config) rules = load_rules(config->watchlists, diags);
  if (!config || !rules) {
    for (const auto& d : diags) std::fprintf(stderr, "%s\n", d.format().c_str());
    return exit_config;
  }
  setup_logging(config->log_level);
  if (config->inputs.empty())
    spdlog::warn("{}: no [[input]] configured: the daemon will receive nothing",
                 config_path.string());
  spdlog::info("newshound {} starting: {} lists, {} entities, {} aliases, rules version {}",
               version_string, rules->lists().size(), rules->entities().size(),
               rules->patterns().size(), rules->version());

  asio::io_context io(1);
  Daemon daemon(io, config_path);
  if (auto err = daemon.start(std::move(*config), std::move(rules)); !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return exit_error;
  }
  spdlog::info("ready: {} input(s), {} output(s), {} worker(s)", daemon.inputs().size(),
               daemon.outputs().size(), daemon.dispatcher().workers());
  sd_notify(0, "READY=1");
  daemon.on_reload_done = [](bool) { sd_notify(0, "READY=1"); };

  asio::steady_timer stats_timer(io);
  std::function<void()> arm_stats = [&] {
    stats_timer.expires_after(std::chrono::seconds(60));
    stats_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      log_stats(daemon);
      arm_stats();
    });
  };
  arm_stats();

  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  std::function<void()> arm_signals = [&] {
    signals.async_wait([&](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        if (!daemon.draining()) {
          spdlog::info("SIGHUP: reloading {}", config_path.string());
          notify_reloading();
          daemon.request_reload();
        }
        return arm_signals();
      }
      spdlog::info("signal {}: stopping", sig);
      sd_notify(0, "STOPPING=1");
      daemon.shutdown([&] {
        stats_timer.cancel();
        signals.cancel();
        log_stats(daemon);
        io.stop();
      });
      arm_signals();
    });
  };
  arm_signals();

  io.run();
  spdlog::info("stopped");
  return exit_ok;
}

}  // namespace newshound

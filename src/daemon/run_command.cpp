// Daemon: `newshound run`, the process around the Daemon object: loads the config,
// handles signals (SIGHUP reload, SIGTERM/SIGINT drain), tells systemd, and
// returns the exit code. SIGHUP is caught before anything else: one that arrives
// during the start-up compile is kept and reloads once the daemon runs.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>

#include "newshound/daemon/admin_server.hpp"
#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/daemon.hpp"
#include "newshound/daemon/logging.hpp"
#include "newshound/daemon/notifier.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/version.hpp"

namespace newshound {

namespace asio = boost::asio;

namespace {
void log_stats(const Daemon& d) {
  const auto& s = d.dispatcher().stats();
  std::uint64_t bytes = 0;
  for (const auto& in : d.inputs()) bytes += in.input->bytes_in();
  spdlog::info("stats: {} bytes in, {} articles, {} alerts, {} matches, {} bad lines, {} rejected",
               bytes, s.articles.load(), s.alerts.load(), s.matches.load(), s.bad_lines_total(),
               s.alerts_rejected.load());
}

/// The one-line STATUS= for systemctl status: rates since the last call, the
/// rules version and the last reload error.
class StatusLine {
 public:
  std::string next(const Daemon& d) {
    const auto now = std::chrono::steady_clock::now();
    const auto& s = d.dispatcher().stats();
    const std::uint64_t articles = s.articles.load(), alerts = s.alerts.load();
    const double dt = std::chrono::duration<double>(now - last_).count();
    const double aps = dt > 0 ? (articles - articles_) / dt : 0;
    const double lps = dt > 0 ? (alerts - alerts_) / dt : 0;
    last_ = now;
    articles_ = articles;
    alerts_ = alerts;
    const auto& rs = d.reload_stats();
    return fmt::format("{:.1f} articles/s, {:.1f} alerts/s, rules {}{}", aps, lps,
                       d.rules()->version(),
                       rs.last_error.empty() ? "" : ", last reload error: " + rs.last_error);
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::uint64_t articles_ = 0, alerts_ = 0;
};
}  // namespace

int run_daemon(const std::filesystem::path& config_path) {
  asio::io_context io(1);
  // First thing: from here a SIGHUP is recorded (asio queues it until the wait
  // below) instead of killing the process with a status systemd counts as clean.
  asio::signal_set hangups(io, SIGHUP);
  // A file that reaches RLIMIT_FSIZE must fail its write (EFBIG, retried like a
  // full disk) rather than kill the daemon with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  Diagnostics diags;
  auto loaded = load_config_and_rules(config_path, diags, /*cached=*/true);
  if (!loaded) {
    for (const auto& d : diags) std::fprintf(stderr, "%s\n", d.format().c_str());
    return exit_config;
  }
  auto& config = loaded->config;
  auto& rules = loaded->rules;
  setup_logging(config.log_level);
  if (config.inputs.empty())
    spdlog::warn("{}: no [[input]] configured: the daemon will receive nothing",
                 config_path.string());
  for (const auto& w : loaded->warnings) spdlog::warn("{}", w.format());
  spdlog::info("newshound {} starting: {} lists, {} entities, {} aliases, rules version {} ({})",
               version_string, rules->lists().size(), rules->entities().size(),
               rules->patterns().size(), rules->version(), compile_summary(*rules));

  Notifier notifier;  // destroyed before io
  Daemon daemon(io, config_path);
  if (auto err = daemon.start(std::move(config), std::move(rules)); !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return exit_error;
  }
  std::unique_ptr<AdminServer> admin;
  if (const auto& ep = daemon.config().admin_listen) {
    AdminHandlers h;
    h.metrics = [&] { return daemon.render_metrics(&admin->auth_failures()); };
    h.ready = [&] {
      if (daemon.draining()) return Readiness{false, "draining"};
      if (std::string why = daemon.inputs_not_ready(); !why.empty())
        return Readiness{false, std::move(why)};
      return Readiness{true, ""};
    };
    h.rules_json = [&] { return daemon.render_rules(); };
    h.reload = [&] {
      if (daemon.draining()) return ReloadRequest::refused;
      spdlog::info("admin: reload requested");
      notifier.reloading();
      return daemon.request_reload() ? ReloadRequest::started : ReloadRequest::coalesced;
    };
    AdminLimits limits;
    limits.allowed_hosts = daemon.config().admin_allowed_hosts;
    limits.token = daemon.config().admin_token;
    if (const auto& tls = daemon.config().admin_tls; tls.enabled) {
      std::string err;
      limits.tls = net::TlsEdge::make("admin", tls, net::TlsRole::server, err);
      if (!limits.tls) {
        std::fprintf(stderr, "%s: [admin] tls: %s\n", config_path.c_str(), err.c_str());
        return exit_error;
      }
    }
    admin = std::make_unique<AdminServer>(io, *ep, std::move(h), std::move(limits));
    if (auto err = admin->bind(); !err.empty()) {
      std::fprintf(stderr, "%s: [admin] listen: %s\n", config_path.c_str(), err.c_str());
      return exit_error;
    }
    admin->start();
  }
  spdlog::info("ready: {} input(s), {} output(s), {} worker(s)", daemon.inputs().size(),
               daemon.outputs().size(), daemon.dispatcher().workers());
  StatusLine status;
  notifier.status(status.next(daemon));
  notifier.ready();
  notifier.start_watchdog(io);  // pings from this loop: a stuck loop gets restarted
  daemon.on_reload_done = [&](bool) {
    // The token follows the config; a failed reload keeps the config, and so the token.
    if (admin)
      if (auto err = admin->set_token(daemon.config().admin_token); !err.empty())
        spdlog::error("reload: {}", err);
    notifier.status(status.next(daemon));
    notifier.ready();
  };

  // STATUS= every 5 s, a stats line in the log every 60 s.
  asio::steady_timer stats_timer(io);
  int ticks = 0;
  std::function<void()> arm_stats = [&] {
    stats_timer.expires_after(std::chrono::seconds(5));
    stats_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      notifier.status(status.next(daemon));
      if (++ticks % 12 == 0) log_stats(daemon);
      arm_stats();
    });
  };
  arm_stats();

  std::function<void()> arm_hangups = [&] {
    hangups.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      if (!daemon.draining()) {
        spdlog::info("SIGHUP: reloading {}", config_path.string());
        notifier.reloading();
        daemon.request_reload();
      }
      arm_hangups();
    });
  };
  arm_hangups();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void()> arm_signals = [&] {
    signals.async_wait([&](boost::system::error_code ec, int sig) {
      if (ec) return;
      spdlog::info("signal {}: stopping", sig);
      notifier.stopping();
      daemon.shutdown([&] {
        notifier.stop_watchdog();
        stats_timer.cancel();
        signals.cancel();
        hangups.cancel();
        if (admin) admin->stop();
        log_stats(daemon);
        io.stop();
      });
      arm_signals();
    });
  };
  arm_signals();

  io.run();
  daemon.stop_workers();  // at most one article past the grace
  spdlog::info("stopped");
  return exit_ok;
}

}  // namespace newshound

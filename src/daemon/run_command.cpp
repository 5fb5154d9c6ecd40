// Daemon: `newshound run`, the long-running service: wires inputs, the worker
// pool and the sinks on one io_context, tells systemd when it is ready, and
// drains in-flight work on SIGTERM/SIGINT before exiting 0.
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>

#include "newshound/daemon/cli.hpp"
#include "newshound/daemon/commands.hpp"
#include "newshound/daemon/config.hpp"
#include "newshound/daemon/dispatcher.hpp"
#include "newshound/daemon/logging.hpp"
#include "newshound/daemon/reloader.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/daemon/sink_factory.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/version.hpp"

namespace newshound {

namespace asio = boost::asio;

namespace {

std::unique_ptr<TcpInput> make_input(asio::io_context& io, const InputConfig& in,
                                     std::uint32_t index, LineConsumer& consumer) {
  TcpInputOptions o;
  o.name = in.name;
  const Endpoint& ep = in.listen ? *in.listen : *in.connect;
  o.host = ep.host;
  o.port = ep.port;
  o.input = index;
  o.max_line_bytes = in.max_line_bytes;
  o.max_connections = in.max_connections;
  o.backoff_initial = in.reconnect.initial;
  o.backoff_max = in.reconnect.max;
  return std::make_unique<TcpInput>(io, in.listen ? TcpInput::Mode::listen : TcpInput::Mode::connect,
                                    std::move(o), consumer);
}

void log_stats(const Dispatcher& d, const std::vector<std::unique_ptr<TcpInput>>& inputs) {
  const auto& s = d.stats();
  std::uint64_t bytes = 0;
  for (const auto& in : inputs) bytes += in->stats().bytes.load();
  spdlog::info("stats: {} bytes in, {} articles, {} alerts, {} matches, {} bad lines, {} rejected",
               bytes, s.articles.load(), s.alerts.load(), s.matches.load(), s.bad_lines_total(),
               s.alerts_rejected.load());
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
  std::vector<std::unique_ptr<Sink>> sinks;
  std::vector<Sink*> sink_ptrs;
  for (const auto& out : config->outputs) {
    sinks.push_back(make_sink(io, out));
    sink_ptrs.push_back(sinks.back().get());
  }
  std::vector<FieldMap> maps;
  for (const auto& in : config->inputs) maps.push_back(in.fields);
  Dispatcher dispatcher(io, config->workers, maps, rules, sink_ptrs);

  std::vector<std::unique_ptr<TcpInput>> inputs;
  for (std::size_t i = 0; i < config->inputs.size(); ++i) {
    inputs.push_back(make_input(io, config->inputs[i], static_cast<std::uint32_t>(i), dispatcher));
    if (auto err = inputs.back()->bind(); !err.empty()) {
      std::fprintf(stderr, "%s:%u: input %s: %s\n", config_path.c_str(), config->inputs[i].line,
                   config->inputs[i].name.c_str(), err.c_str());
      return exit_error;
    }
  }
  for (auto& s : sinks) s->start();
  for (auto& in : inputs) in->start();
  spdlog::info("ready: {} input(s), {} output(s), {} worker(s)", inputs.size(), sinks.size(),
               dispatcher.workers());
  sd_notify(0, "READY=1");

  // Periodic one-line stats.
  asio::steady_timer stats_timer(io);
  std::function<void()> arm_stats = [&] {
    stats_timer.expires_after(std::chrono::seconds(60));
    stats_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      log_stats(dispatcher, inputs);
      arm_stats();
    });
  };
  arm_stats();

  // SIGHUP: reload watch-lists off the loop; a failure keeps the old rules running.
  auto notify_ready = [] { sd_notify(0, "READY=1"); };
  Reloader reloader(
      io, config_path,
      [&](std::shared_ptr<const Rules> r) {
        auto old = dispatcher.rules();
        dispatcher.set_rules(r);
        spdlog::info("reload: rules version {} -> {} ({} entities, {} aliases, compiled in {} ms)",
                     old->version(), r->version(), r->entities().size(), r->patterns().size(),
                     r->compile_time().count() / 1000);
        notify_ready();
      },
      [&](const Diagnostics& ds) {
        for (const auto& d : ds) spdlog::error("reload failed: {}", d.format());
        spdlog::error("reload failed: still running rules version {}; fix the file(s) above and "
                      "send SIGHUP again",
                      dispatcher.rules()->version());
        notify_ready();
      });

  // Shutdown: stop inputs, let in-flight batches reach the sinks, let the sinks
  // flush, all within shutdown_grace; then leave io.run().
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer drain_timer(io);
  const auto deadline = [&] { return std::chrono::steady_clock::now() + config->shutdown_grace; };
  std::chrono::steady_clock::time_point stop_by{};
  bool stopping = false;
  std::function<void()> wait_drained = [&] {
    if (dispatcher.in_flight() > 0 && std::chrono::steady_clock::now() < stop_by) {
      drain_timer.expires_after(std::chrono::milliseconds(10));
      drain_timer.async_wait([&](boost::system::error_code) { wait_drained(); });
      return;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        stop_by - std::chrono::steady_clock::now());
    auto remaining = std::make_shared<std::size_t>(sinks.size());
    auto finish = [&] {
      stats_timer.cancel();
      signals.cancel();
      log_stats(dispatcher, inputs);
      io.stop();
    };
    if (sinks.empty()) return finish();
    for (auto& s : sinks)
      s->stop(std::max(left, std::chrono::milliseconds(0)), [remaining, finish] {
        if (--*remaining == 0) finish();
      });
  };
  std::function<void()> arm_signals = [&] {
    signals.async_wait([&](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        if (!stopping) {
          spdlog::info("SIGHUP: reloading watch-lists from {} (inputs and outputs need a restart)",
                       config_path.string());
          sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
                     static_cast<unsigned long long>(
                         std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count()));
          reloader.request();
        }
        return arm_signals();
      }
      if (stopping) return arm_signals();
      stopping = true;
      spdlog::info("signal {}: draining (grace {} ms)", sig, config->shutdown_grace.count());
      sd_notify(0, "STOPPING=1");
      stop_by = deadline();
      for (auto& in : inputs) in->stop();
      wait_drained();
      arm_signals();
    });
  };
  arm_signals();

  io.run();
  dispatcher.join();
  spdlog::info("stopped");
  return exit_ok;
}

}  // namespace newshound

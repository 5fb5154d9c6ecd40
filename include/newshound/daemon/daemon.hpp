// Daemon: the running service as one object: inputs, the worker pool and the
// sinks on one io_context, built from a Config and rebuilt in place on reload.
// `run_command.cpp` owns the process concerns (signals, exit code) around it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "newshound/config/config.hpp"
#include "newshound/daemon/dispatcher.hpp"
#include "newshound/daemon/reloader.hpp"
#include "newshound/daemon/story_keeper.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/source/tcp_input.hpp"

namespace newshound {

struct AdminAuthFailures;

/// Reload bookkeeping, for logs, STATUS= and metrics.
struct ReloadStats {
  std::uint64_t reloads = 0;  ///< successful
  std::uint64_t failures = 0;
  std::string last_error;  ///< first diagnostic of the last failure, "" after a success
  std::chrono::system_clock::time_point rules_loaded_at{};
};

/// Everything `newshound run` runs. All methods are called on the event-loop
/// thread. Never throws after start() except std::bad_alloc.
class Daemon {
 public:
  struct InputSlot {
    InputConfig config;
    std::unique_ptr<Input> input;  ///< a TcpInput, DirectoryInput or HttpInput, per config.type
  };
  struct OutputSlot {
    OutputConfig config;
    std::unique_ptr<Sink> sink;
  };

  Daemon(boost::asio::io_context& io, std::filesystem::path config_path);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Builds sinks, the worker pool and inputs, binds every listener and starts.
  /// Returns "" or a user-facing error ("file:line: input X: cannot listen ...").
  std::string start(Config config, std::shared_ptr<const Rules> rules);

  /// Re-reads the config and watch-lists off the loop (coalesced) and applies
  /// them: new rules for new batches; inputs and outputs whose settings did not
  /// change keep their sockets. A failure keeps everything as it is. Every running
  /// sink is reopen()ed first (logrotate), whether or not the reload succeeds.
  /// Returns false when nothing new was scheduled: draining, or a reload was
  /// already pending (the request coalesced into it).
  bool request_reload();

  /// Called after each reload attempt (success or not), e.g. to notify systemd.
  std::function<void(bool ok)> on_reload_done;

  /// Stops reading, lets in-flight batches reach the sinks and the sinks flush,
  /// all within the configured grace; then calls `done`. Idempotent.
  /// Batches still being matched when the grace runs out are abandoned at their
  /// next article (never acknowledged; see stop_workers()).
  void shutdown(std::function<void()> done);
  /// After the event loop stopped: joins the worker threads (each finishes at most
  /// the article it is on) and logs how many lines were abandoned. Call once.
  void stop_workers();

  bool draining() const { return draining_; }
  /// The first input's Input::not_ready() reason, or "" when every input can
  /// take articles (/readyz).
  std::string inputs_not_ready() const;
  const Config& config() const { return config_; }
  const Dispatcher& dispatcher() const { return *dispatcher_; }
  const std::vector<InputSlot>& inputs() const { return inputs_; }
  const std::vector<OutputSlot>& outputs() const { return outputs_; }
  const ReloadStats& reload_stats() const { return reload_stats_; }
  std::shared_ptr<const Rules> rules() const { return dispatcher_->rules(); }

  /// The body of GET /metrics (Prometheus text; with `admin`, the admin
  /// endpoint's refused requests too) and of GET /v1/rules (JSON).
  std::string render_metrics(const AdminAuthFailures* admin = nullptr) const;
  std::string render_rules() const;

 private:
  std::unique_ptr<Input> make_input(const InputConfig& in, std::uint32_t index);
  std::string apply_inputs(const std::vector<InputConfig>& wanted);
  /// Builds, keeps or retires sinks to match `wanted`; then the routes and the
  /// bound classes (from `global` and each output's own bounds) follow.
  void apply_outputs(const std::vector<OutputConfig>& wanted, const AlertLimits& global);
  void apply(Config config, std::shared_ptr<const Rules> rules);
  void retire(std::unique_ptr<Sink> sink);
  void wait_drained(std::function<void()> done);

  boost::asio::io_context& io_;
  std::filesystem::path config_path_;
  Config config_;
  std::vector<OutputSlot> outputs_;
  std::list<std::unique_ptr<Sink>> retiring_;  // removed by a reload, still flushing
  std::unique_ptr<StoryKeeper> stories_;       // before dispatcher_: outlives the workers
  std::unique_ptr<Dispatcher> dispatcher_;
  std::vector<InputSlot> inputs_;
  Reloader reloader_;
  ReloadStats reload_stats_;
  boost::asio::steady_timer drain_timer_;
  std::chrono::steady_clock::time_point stop_by_{};
  bool draining_ = false;
  bool digests_flushed_ = false;  // shutdown: pending digests handed to their sinks
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace newshound

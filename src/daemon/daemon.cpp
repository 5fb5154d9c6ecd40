// Daemon: the running service (see daemon.hpp): start, reload in place, drain.
#include "newshound/daemon/daemon.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "newshound/daemon/admin_server.hpp"
#include "newshound/daemon/feed_factory.hpp"
#include "newshound/daemon/logging.hpp"
#include "newshound/daemon/metrics.hpp"
#include "newshound/daemon/rules_loader.hpp"
#include "newshound/daemon/sink_factory.hpp"
#include "newshound/dispatch/digest_metrics.hpp"
#include "newshound/dispatch/pipeline_metrics.hpp"
#include "newshound/net/tls_edge.hpp"
#include "newshound/sink/sink_metrics.hpp"
#include "newshound/source/directory_input.hpp"
#include "newshound/source/http_input.hpp"
#include "newshound/source/input_metrics.hpp"
#include "newshound/source/jetstream_input.hpp"

namespace newshound {

namespace {
std::vector<FieldMap> field_maps(const std::vector<InputConfig>& inputs) {
  std::vector<FieldMap> maps;
  for (const auto& in : inputs) maps.push_back(in.fields);
  return maps;
}

// Each output's routing filter and bound class; `bounds` gets the classes.
std::vector<Route> sink_routes(const std::vector<Daemon::OutputSlot>& outputs,
                               const AlertLimits& global, AlertBounds& bounds) {
  std::vector<AlertLimits> limits;
  for (const auto& o : outputs) limits.push_back(o.config.limits(global));
  std::vector<std::uint32_t> class_of;
  bounds = plan_alert_bounds(global, limits, class_of);
  std::vector<Route> out;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const OutputConfig& c = outputs[i].config;
    out.emplace_back(outputs[i].sink.get(), c.lists, c.tags, class_of[i],
                     c.stories == StoryPolicy::first);
    out.back().digests = Route::Digests{c.stories == StoryPolicy::digest, c.digest_interval,
                                        c.max_alerts_per_minute, c.name, limits[i].max_bytes};
  }
  return out;
}
}  // namespace

Daemon::Daemon(boost::asio::io_context& io, std::filesystem::path config_path)
    : io_(io),
      config_path_(std::move(config_path)),
      reloader_(
          io, config_path_,
          [this](Config c, std::shared_ptr<const Rules> r) { apply(std::move(c), std::move(r)); },
          [this](const Diagnostics& ds) {
            for (const auto& d : ds) spdlog::error("reload failed: {}", d.format());
            ++reload_stats_.failures;
            reload_stats_.last_error = ds.empty() ? "unknown error" : ds.front().format();
            spdlog::error(
                "reload failed: still running rules version {}; fix the file(s) above and reload "
                "again",
                dispatcher_->rules()->version());
            if (on_reload_done) on_reload_done(false);
          }),
      drain_timer_(io) {}

Daemon::~Daemon() {
  for (auto& in : inputs_) in.input->stop();
}

std::string Daemon::inputs_not_ready() const {
  for (const auto& in : inputs_)
    if (std::string why = in.input->not_ready(); !why.empty()) return why;
  return {};
}

std::unique_ptr<Input> Daemon::make_input(const InputConfig& in, std::uint32_t index) {
  if (in.type == "feed") return make_feed_input(io_, in, index, config_.state_dir, *dispatcher_);
  if (in.type == "jetstream") {
    JetStreamInputOptions o = in.jetstream;
    o.name = in.name;
    o.max_line_bytes = in.tcp.max_line_bytes;
    o.input = index;
    return std::make_unique<JetStreamInput>(io_, std::move(o), *dispatcher_);
  }
  if (in.type == "directory") {
    DirectoryInputOptions o = in.directory;  // as configured, defaults filled in by load_config
    o.name = in.name;
    o.input = index;
    return std::make_unique<DirectoryInput>(io_, std::move(o), *dispatcher_);
  }
  TcpInputOptions o = in.tcp;  // as configured; who it is is the daemon's to say
  o.name = in.name;
  o.input = index;
  if (in.type == "http")
    return std::make_unique<HttpInput>(io_, std::move(o), in.http, *dispatcher_);
  return std::make_unique<TcpInput>(io_, in.mode, std::move(o), *dispatcher_);
}

std::string Daemon::start(Config config, std::shared_ptr<const Rules> rules) {
  config_ = std::move(config);
  reload_stats_.rules_loaded_at = std::chrono::system_clock::now();
  apply_outputs(config_.outputs, config_.alert_limits);
  AlertBounds bounds;
  auto routes = sink_routes(outputs_, config_.alert_limits, bounds);
  dispatcher_ = std::make_unique<Dispatcher>(io_, config_.workers, field_maps(config_.inputs),
                                             std::move(rules), std::move(routes));
  dispatcher_->set_limits(bounds);
  stories_ = std::make_unique<StoryKeeper>(io_, config_.stories, config_.state_dir);
  dispatcher_->set_stories(stories_->stage());
  return apply_inputs(config_.inputs);
}

void Daemon::apply_outputs(const std::vector<OutputConfig>& wanted, const AlertLimits& global) {
  std::vector<OutputSlot> next;
  std::vector<Sink*> fresh;  // started once the outputs they replace have stopped
  for (const auto& cfg : wanted) {
    auto same = std::find_if(outputs_.begin(), outputs_.end(), [&](const OutputSlot& s) {
      return s.sink && s.config.same_settings(cfg);
    });
    if (same != outputs_.end()) {
      next.push_back(std::move(*same));
      next.back().config = cfg;
      continue;
    }
    next.push_back(OutputSlot{cfg, make_sink(io_, cfg)});
    // Deliveries settle acknowledgements and let held alerts go (backpressure).
    next.back().sink->set_sent_callback(
        [this, sink = next.back().sink.get()](const std::shared_ptr<const Alert>& a) {
          if (dispatcher_) dispatcher_->on_sent(sink, a);
        });
    fresh.push_back(next.back().sink.get());
    if (dispatcher_) spdlog::info("reload: output {} started", cfg.name);
  }
  for (auto& old : outputs_)
    if (old.sink) {
      spdlog::info("reload: output {} removed or changed; flushing it", old.config.name);
      retire(std::move(old.sink));
    }
  // After retire(): a changed output with a spool reopens the same spool folder,
  // which the old sink closes in stop().
  for (Sink* s : fresh) s->start();
  outputs_ = std::move(next);
  if (!dispatcher_) return;
  AlertBounds bounds;
  dispatcher_->set_sinks(sink_routes(outputs_, global, bounds));
  dispatcher_->set_limits(bounds);
}

void Daemon::retire(std::unique_ptr<Sink> sink) {
  Sink* raw = sink.get();
  retiring_.push_back(std::move(sink));
  raw->stop(config_.shutdown_grace,
            [this, raw] { retiring_.remove_if([raw](const auto& s) { return s.get() == raw; }); });
}

std::string Daemon::apply_inputs(const std::vector<InputConfig>& wanted) {
  std::vector<InputSlot> next(wanted.size());
  // Keep what did not change; stop the rest first so a changed listener can
  // bind its port again.
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    auto same = std::find_if(inputs_.begin(), inputs_.end(), [&](const InputSlot& s) {
      return s.input && s.config.same_settings(wanted[i]);
    });
    if (same != inputs_.end()) {
      next[i] = std::move(*same);
      next[i].config = wanted[i];
      next[i].input->set_index(static_cast<std::uint32_t>(i));
    }
  }
  for (auto& old : inputs_)
    if (old.input) {
      spdlog::info("reload: input {} removed or changed; closing it", old.config.name);
      old.input->stop();
    }
  std::string error;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (next[i].input) continue;
    next[i].config = wanted[i];
    next[i].input = make_input(wanted[i], static_cast<std::uint32_t>(i));
    if (auto err = next[i].input->bind(); !err.empty()) {
      if (error.empty())
        error = config_path_.string() + ":" + std::to_string(wanted[i].line) + ": input " +
                wanted[i].name + ": " + err;
      next[i].input.reset();
      continue;
    }
    next[i].input->start();
  }
  inputs_.clear();
  for (auto& s : next)
    if (s.input) inputs_.push_back(std::move(s));
  return error;
}

bool Daemon::request_reload() {
  if (draining_) return false;
  // Reopen files first (logrotate's SIGHUP), whether or not the new config loads.
  for (auto& o : outputs_) o.sink->reopen();
  return reloader_.request();
}

void Daemon::apply(Config config, std::shared_ptr<const Rules> rules) {
  if (draining_) return;
  const auto old_version = dispatcher_->rules()->version();
  setup_logging(config.log_level);
  apply_outputs(config.outputs, config.alert_limits);
  std::string err = apply_inputs(config.inputs);
  // Certificate files changed under unchanged paths: the edges kept above re-read them.
  net::reload_tls_edges();
  // Field maps follow the surviving inputs' order.
  std::vector<InputConfig> live;
  for (const auto& s : inputs_) live.push_back(s.config);
  dispatcher_->set_field_maps(field_maps(live));
  dispatcher_->set_rules(rules);
  if (config.workers != config_.workers && config_.workers != 0)
    spdlog::warn("reload: `workers` changed; it takes effect at the next restart");
  if (!(config.stories == config_.stories))
    spdlog::warn("reload: [stories] changed; it takes effect at the next restart");
  config_ = std::move(config);
  ++reload_stats_.reloads;
  reload_stats_.rules_loaded_at = std::chrono::system_clock::now();
  reload_stats_.last_error = err;
  spdlog::info("reload: rules version {} -> {} ({} entities, {} aliases, {})", old_version,
               rules->version(), rules->entities().size(), rules->patterns().size(),
               compile_summary(*rules));
  if (!err.empty()) spdlog::error("reload: {}", err);
  if (on_reload_done) on_reload_done(err.empty());
}

void Daemon::shutdown(std::function<void()> done) {
  if (draining_) return;
  draining_ = true;
  stop_by_ = std::chrono::steady_clock::now() + config_.shutdown_grace;
  spdlog::info("draining (grace {} ms)", config_.shutdown_grace.count());
  for (auto& in : inputs_) in.input->stop();
  wait_drained(std::move(done));
}

void Daemon::wait_drained(std::function<void()> done) {
  // An input still handing over its last lines first (their batches are not in
  // flight yet): outputs stopped before them would refuse their alerts.
  const bool inputs_busy = std::any_of(inputs_.begin(), inputs_.end(),
                                       [](const InputSlot& in) { return in.input->busy(); });
  if ((inputs_busy || dispatcher_->in_flight() > 0) &&
      std::chrono::steady_clock::now() < stop_by_) {
    drain_timer_.expires_after(std::chrono::milliseconds(5));
    drain_timer_.async_wait([this, done = std::move(done)](boost::system::error_code) mutable {
      wait_drained(std::move(done));
    });
    return;
  }
  if (dispatcher_->in_flight() > 0 && !digests_flushed_) {
    // Matching still queued or running stops at the next article: the process
    // must exit within the grace (systemd's TimeoutStopSec), see stop_workers().
    spdlog::warn("grace period over with {} batch(es) still in flight; abandoning their matching",
                 dispatcher_->in_flight());
    dispatcher_->abandon();
  }
  if (!digests_flushed_) {
    // Every alert taken is emitted: the pending digests go to their sinks now,
    // and the sinks get what is left of the grace to deliver them.
    digests_flushed_ = true;
    dispatcher_->flush_digests();
  }
  if (dispatcher_->held_alerts() > 0 && std::chrono::steady_clock::now() < stop_by_) {
    drain_timer_.expires_after(std::chrono::milliseconds(5));
    drain_timer_.async_wait([this, done = std::move(done)](boost::system::error_code) mutable {
      wait_drained(std::move(done));
    });
    return;
  }
  if (const auto held = dispatcher_->held_alerts())
    spdlog::warn(
        "shutdown: {} alert(s) still held for outputs that were full when the grace period "
        "ended are not delivered; their articles were not acknowledged (an acknowledged feed "
        "sends them again). Raise shutdown_grace_ms or the outputs' queue_bytes",
        held);
  auto left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                           stop_by_ - std::chrono::steady_clock::now()),
                       std::chrono::milliseconds(0));
  auto remaining = std::make_shared<std::size_t>(outputs_.size());
  if (outputs_.empty()) return done();
  auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
  for (auto& o : outputs_)
    o.sink->stop(left, [remaining, shared_done] {
      if (--*remaining == 0) (*shared_done)();
    });
}

void Daemon::stop_workers() {
  dispatcher_->join();
  if (stories_) stories_->close();  // nothing is filed any more: the last commit
  if (const auto n = dispatcher_->stats().lines_abandoned.load())
    spdlog::warn(
        "shutdown: {} line(s) abandoned unmatched at the end of the grace period; none of them "
        "was acknowledged (an acknowledged feed sends them again)",
        n);
}

std::string Daemon::render_metrics(const AdminAuthFailures* admin) const {
  MetricsExposition out;
  declare_metric_families(out);
  for (const auto& in : inputs_) in.input->report_metrics(out, in.config.name);
  report_pipeline_metrics(out, dispatcher_->stats());
  std::vector<std::pair<std::string_view, std::uint64_t>> cuts;
  for (const auto& o : outputs_) cuts.emplace_back(o.config.name, dispatcher_->alerts_cut(*o.sink));
  report_dispatch_metrics(out, dispatcher_->list_counts(), cuts, dispatcher_->in_flight(),
                          dispatcher_->held_alerts());
  std::vector<std::pair<std::string_view, std::uint64_t>> skipped;
  for (const auto& o : outputs_)
    skipped.emplace_back(o.config.name, dispatcher_->duplicates_skipped(*o.sink));
  StoryKeeper::declare_metrics(out);
  if (stories_) stories_->report_metrics(out, skipped);
  declare_digest_metrics(out);
  for (const auto& o : outputs_) {
    report_digest_metrics(out, o.config.name, dispatcher_->digest_counts(*o.sink));
    report_throttle_metrics(out, o.config.name, *o.sink, dispatcher_->throttle());
  }
  for (const auto& o : outputs_) report_output_metrics(out, o.config.name, *o.sink);
  report_daemon_metrics(out, reload_stats_, *rules(), std::chrono::steady_clock::now() - started_);
  if (admin) report_admin_metrics(out, *admin);
  return out.text();
}

std::string Daemon::render_rules() const {
  return render_rules_json(*rules(), reload_stats_.rules_loaded_at);
}

}  // namespace newshound

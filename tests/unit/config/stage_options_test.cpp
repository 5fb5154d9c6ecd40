// Config tests: the option table writes an input's and an output's keys straight
// into the options structs of their stages (TcpInputOptions, FileSinkOptions,
// TcpSinkOptions, WebhookSinkOptions, StdoutSinkOptions, the spool's), `fsync`
// as the FsyncPolicy enum; same_settings and worst_case_memory over those structs.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using newshound::Config;
using newshound::FsyncPolicy;

namespace {

const fs::path kDir = (fs::path(NEWSHOUND_FIXTURES_DIR) / "config").lexically_normal();

Config load_stage_options() {
  newshound::Diagnostics diags;
  auto cfg = newshound::load_config(kDir / "stage_options.toml", diags);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(diags.empty());
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->inputs.size() == 1);
  REQUIRE(cfg->outputs.size() == 4);
  return *cfg;
}

}  // namespace

TEST_CASE("an input's keys land in its TcpInputOptions", "[config][options]") {
  const Config cfg = load_stage_options();
  const auto& in = cfg.inputs[0];
  CHECK(in.mode == newshound::TcpInput::Mode::listen);
  CHECK(in.tcp.host == "127.0.0.1");
  CHECK(in.tcp.port == 7301);
  CHECK(in.tcp.max_line_bytes == 2048);
  CHECK(in.tcp.max_connections == 3);
  CHECK(in.tcp.max_inflight_bytes == 131072);
  CHECK(in.tcp.idle_timeout == 700ms);
  CHECK(in.tcp.ack);
  CHECK(in.tcp.reconnect == newshound::BackoffPolicy{});  // listen: defaults
  CHECK(in.tcp.name.empty());                             // set by the daemon, not a setting
  CHECK(in.name == "tcp-listen:127.0.0.1:7301");
}

TEST_CASE("a file output's keys land in FileSinkOptions and its spool", "[config][options]") {
  const Config cfg = load_stage_options();
  const auto& out = cfg.outputs[0];
  CHECK(out.file.path == kDir / "alerts.ndjson");
  CHECK(out.file.fsync == FsyncPolicy::always);
  CHECK(out.file.fsync_interval == 250ms);
  CHECK(out.file.queue.queue_bytes == std::size_t{64} << 20);
  CHECK(&out.queue() == &out.file.queue);
  CHECK(out.spool.enabled);
  CHECK(out.spool.options.dir.parent_path() == kDir / "state" / "spool");  // default folder
  CHECK(out.spool.options.dir.filename().string().starts_with("file_"));
  CHECK(out.spool.options.fsync == FsyncPolicy::always);
  CHECK(out.spool.options.max_bytes == std::uint64_t{1} << 30);
  CHECK(out.spool.fsync_interval == 250ms);
}

TEST_CASE("a tcp output's keys land in TcpSinkOptions and its spool", "[config][options]") {
  const Config cfg = load_stage_options();
  const auto& out = cfg.outputs[1];
  CHECK(out.name == "tcp:[::1]:7302");
  CHECK(out.tcp.host == "::1");
  CHECK(out.tcp.port == 7302);
  CHECK(out.tcp.queue.queue_bytes == 2097152);
  CHECK(out.tcp.queue.backoff.initial == 20ms);
  CHECK(out.tcp.queue.backoff.max == 900ms);
  CHECK(out.tcp.ack);
  CHECK(out.tcp.max_unacked == 17);
  CHECK(&out.queue() == &out.tcp.queue);
  CHECK(out.spool.enabled);
  CHECK(out.spool.options.dir == fs::path("/srv/spool/wire"));
  CHECK(out.spool.options.max_bytes == 5242880);
  CHECK(out.spool.options.fsync == FsyncPolicy::never);
  CHECK(out.spool.fsync_interval == 1000ms);
}

TEST_CASE("a webhook output's keys land in WebhookSinkOptions, url parsed", "[config][options]") {
  const Config cfg = load_stage_options();
  const auto& out = cfg.outputs[2];
  const auto& w = out.webhook;
  CHECK(out.name == "webhook:http://hooks.example.net:8080/in?x=1");
  CHECK(w.url_text == "http://hooks.example.net:8080/in?x=1");
  CHECK(w.url ==
        newshound::WebhookUrl{"hooks.example.net", 8080, "/in?x=1", "hooks.example.net:8080"});
  CHECK(w.headers == std::vector<std::pair<std::string, std::string>>{{"X-Token", "t0ken"}});
  CHECK(w.batch_max == 50);
  CHECK(w.batch_bytes == 4096);
  CHECK(w.timeout == 3000ms);
  CHECK(w.queue.backoff.initial == 30ms);
  CHECK(w.queue.backoff.max == 600ms);
  CHECK(w.dead_letter == kDir / "dead.ndjson");
  CHECK(&out.queue() == &w.queue);
  CHECK_FALSE(out.spool.enabled);
}

TEST_CASE("a stdout output gets StdoutSinkOptions' defaults", "[config][options]") {
  const Config cfg = load_stage_options();
  const auto& out = cfg.outputs[3];
  CHECK(out.name == "stdout");
  CHECK(out.stdout_.fd == 1);
  CHECK(out.stdout_.queue.queue_bytes == std::size_t{64} << 20);
  CHECK(&out.queue() == &out.stdout_.queue);
}

TEST_CASE("same_settings looks at the stage options, not routing or position",
          "[config][options]") {
  const Config cfg = load_stage_options();
  auto out = cfg.outputs[1];
  out.lists = std::vector<std::string>{"other"};
  out.tags = std::vector<std::string>{"desk:x"};
  out.line += 10;
  out.max_matches_per_alert = 5;  // alert bounds are the dispatcher's, like routing
  out.max_alert_bytes = 8192;
  CHECK(out.same_settings(cfg.outputs[1]));
  out.tcp.max_unacked += 1;
  CHECK_FALSE(out.same_settings(cfg.outputs[1]));
  out = cfg.outputs[1];
  out.spool.options.fsync = FsyncPolicy::always;
  CHECK_FALSE(out.same_settings(cfg.outputs[1]));

  auto in = cfg.inputs[0];
  in.line += 10;
  CHECK(in.same_settings(cfg.inputs[0]));
  in.tcp.idle_timeout += 1ms;
  CHECK_FALSE(in.same_settings(cfg.inputs[0]));
}

TEST_CASE("worst_case_memory counts each output's own queue", "[config][options]") {
  const Config cfg = load_stage_options();
  // Per connection: lines and alerts, one read chunk, one max_alert_bytes alert per batch.
  const std::size_t input = 3 * (2 * 131072 + 2048 + 64 * 1024 + 4 * (std::size_t{1} << 20));
  const std::size_t outputs =
      (std::size_t{64} << 20) + 2097152 + (std::size_t{64} << 20) + (std::size_t{64} << 20);
  CHECK(newshound::worst_case_memory(cfg) == input + outputs);
}

TEST_CASE("worst_case_memory counts every distinct per-output alert bound", "[config][options]") {
  Config cfg = load_stage_options();
  const std::size_t before = newshound::worst_case_memory(cfg);
  // A fifth of a MiB smaller for one output: each batch in flight may hold that
  // cut too (3 connections x 4 batches); the output's queue (64 MiB) is larger
  // than either bound, so the output term does not change.
  cfg.outputs[0].max_alert_bytes = 200 * 1024;
  cfg.outputs[0].max_matches_per_alert = 5;
  CHECK(newshound::worst_case_memory(cfg) == before + 3 * 4 * 200 * 1024);
  CHECK(cfg.outputs[0].limits(cfg.alert_limits).max_matches == 5);
  CHECK(cfg.outputs[1].limits(cfg.alert_limits) == cfg.alert_limits);
}

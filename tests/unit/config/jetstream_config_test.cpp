// Config tests: `type = "jetstream"` inputs and outputs (issue 16): their keys
// and defaults, default names, credentials and tls stored into the connection
// options, `stream` required, keys of other kinds refused.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;

namespace {

struct JetStreamConfigDir {
  JetStreamConfigDir() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-js-config-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~JetStreamConfigDir() { fs::remove_all(dir); }
  std::optional<newshound::Config> load(const std::string& text) {
    std::ofstream(dir / "n.toml") << text << "[[watchlist]]\npath = \"x.names\"\n";
    diags.clear();
    auto cfg = newshound::load_config(dir / "n.toml", diags);
    errors.clear();
    for (const auto& d : diags) errors.push_back(d.format());
    return cfg;
  }
  fs::path dir;
  newshound::Diagnostics diags;
  std::vector<std::string> errors;
};

}  // namespace

TEST_CASE("jetstream output: keys, defaults, credentials and default name", "[config][jetstream]") {
  JetStreamConfigDir d;
  auto cfg = d.load(
      "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:7301\"\n[[output]]\ntype = "
      "\"jetstream\"\nurl = "
      "\"nats://a:4222,nats://b:4222\"\nsubject = \"alerts.{list}\"\nuser = \"hound\"\n"
      "password_file = \"pw\"\nreconnect_initial_ms = 50\nspool = true\n"
      "tls = { verify_hostname = false }\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  const auto& out = cfg->outputs.at(0);
  CHECK(out.type == "jetstream");
  CHECK(out.name == "jetstream:nats://a:4222,nats://b:4222");
  CHECK(out.jetstream.connect.url == "nats://a:4222,nats://b:4222");
  CHECK(out.jetstream.subject == "alerts.{list}");
  CHECK(out.jetstream.connect.user == "hound");
  CHECK(out.jetstream.connect.password_file == d.dir / "pw");
  CHECK(out.jetstream.connect.tls.enabled);
  CHECK_FALSE(out.jetstream.connect.tls.verify_hostname);
  CHECK(out.jetstream.queue.backoff.initial == std::chrono::milliseconds(50));
  CHECK(out.jetstream.max_pending == 4096);
  CHECK(out.jetstream.ack_wait == std::chrono::milliseconds(10000));
  CHECK(out.spool.enabled);
  CHECK(&out.queue() == &out.jetstream.queue);
}

TEST_CASE("jetstream input: keys, defaults, default name, stream required", "[config][jetstream]") {
  JetStreamConfigDir d;
  auto cfg = d.load(
      "[[input]]\ntype = \"jetstream\"\nurl = \"nats://127.0.0.1:4222\"\nstream = \"ARTICLES\"\n"
      "subject = \"articles.>\"\nmax_deliver = 3\ntoken_file = \"tok\"\n"
      "dead_letter_subject = \"articles.dead\"\nreconnect_max_ms = 500\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  const auto& in = cfg->inputs.at(0);
  CHECK(in.type == "jetstream");
  CHECK(in.name == "jetstream:ARTICLES/newshound");
  CHECK(in.jetstream.connect.url == "nats://127.0.0.1:4222");
  CHECK(in.jetstream.stream == "ARTICLES");
  CHECK(in.jetstream.subject == "articles.>");
  CHECK(in.jetstream.durable == "newshound");
  CHECK(in.jetstream.batch == 64);
  CHECK(in.jetstream.max_ack_pending == 1024);
  CHECK(in.jetstream.ack_wait == std::chrono::milliseconds(30000));
  CHECK(in.jetstream.max_deliver == 3);
  CHECK(in.jetstream.connect.token_file == d.dir / "tok");
  CHECK(in.jetstream.dead_letter_subject == "articles.dead");
  CHECK(in.jetstream.backoff.max == std::chrono::milliseconds(500));
  CHECK_FALSE(in.jetstream.connect.tls.enabled);

  cfg = d.load("[[input]]\ntype = \"jetstream\"\nurl = \"nats://127.0.0.1:4222\"\n");
  CHECK_FALSE(cfg.has_value());
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].find("'stream'") != std::string::npos);

  cfg = d.load(
      "[[input]]\ntype = \"jetstream\"\nurl = \"nats://x:4222\"\nstream = \"A\"\nmax_body_bytes = "
      "1024\n");
  CHECK_FALSE(cfg.has_value());
}

TEST_CASE("jetstream input: max_ack_pending x max_line_bytes counts against the memory budget",
          "[config][jetstream]") {
  JetStreamConfigDir d;
  const std::string input =
      "[[input]]\ntype = \"jetstream\"\nurl = \"nats://127.0.0.1:4222\"\nstream = \"A\"\n"
      "max_line_bytes = 65536\n";
  auto cfg = d.load(input + "max_ack_pending = 100\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  const std::size_t base = newshound::worst_case_memory(*cfg);
  CHECK(base >= 100u * 65536);
  cfg = d.load(input + "max_ack_pending = 200\n");
  REQUIRE(cfg.has_value());
  CHECK(newshound::worst_case_memory(*cfg) >= base + 100u * 65536);
  // 1,000 messages of up to 64 KiB: over a 32 MiB budget, refused naming the key.
  CHECK_FALSE(d.load("memory_budget_bytes = 33554432\n" + input + "max_ack_pending = 1000\n"));
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].find("max_ack_pending") != std::string::npos);
  CHECK(d.load("memory_budget_bytes = 33554432\n" + input + "max_ack_pending = 100\n"));
}

TEST_CASE("jetstream: tls.key_pass is refused on an input and an output (nats.c cannot use it)",
          "[config][jetstream]") {
  JetStreamConfigDir d;
  CHECK_FALSE(
      d.load("[[input]]\ntype = \"jetstream\"\nurl = \"nats://127.0.0.1:4222\"\nstream = \"A\"\n"
             "tls = { key_pass = \"secret\" }\n[[output]]\ntype = \"jetstream\"\nurl = "
             "\"nats://127.0.0.1:4222\"\nsubject = \"alerts\"\ntls = { key_pass = \"secret\" }\n"));
  REQUIRE(d.errors.size() == 2);
  CHECK(d.errors[0].find("n.toml:5:") != std::string::npos);
  CHECK(d.errors[1].find("n.toml:10:") != std::string::npos);
  for (const auto& e : d.errors)
    CHECK(e.find("cannot read an encrypted key_file; decrypt it") != std::string::npos);
}

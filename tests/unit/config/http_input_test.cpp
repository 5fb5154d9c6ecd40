// Config tests: an [[input]] of type "http": its keys and defaults, its default
// name, keys of other kinds refused, `connect` and a bad `path` refused, its
// token_file read like the admin's, a warning off loopback without one, and its
// worst case in worst_case_memory.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;

namespace {

/// A folder with a config of one [[input]] `input` (and one watch-list).
struct InputDir {
  InputDir() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-http-input-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~InputDir() { fs::remove_all(dir); }
  std::optional<newshound::Config> load(const std::string& input, const std::string& top = "") {
    std::ofstream(dir / "n.toml") << top << "[[input]]\n"
                                  << input << "[[watchlist]]\npath = \"x.names\"\n";
    diags.clear();
    auto cfg = newshound::load_config(dir / "n.toml", diags);
    errors.clear();
    for (const auto& d : diags) errors.push_back(d.format());
    return cfg;
  }
  std::string at(int line, int col) const {
    return (dir / "n.toml").string() + ":" + std::to_string(line) + ":" + std::to_string(col) +
           ": ";
  }
  fs::path dir;
  newshound::Diagnostics diags;
  std::vector<std::string> errors;
};

}  // namespace

TEST_CASE("http input: keys, defaults and default name", "[config][http]") {
  InputDir d;
  auto cfg = d.load("type = \"http\"\nlisten = \"127.0.0.1:8080\"\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  const auto& in = cfg->inputs.at(0);
  CHECK(in.type == "http");
  CHECK(in.name == "http:127.0.0.1:8080");
  CHECK(in.http.path == "/v1/articles");
  CHECK(in.http.max_body_bytes == 16u << 20);
  CHECK(in.http.accept_timeout == std::chrono::milliseconds(30000));
  CHECK(in.http.token.empty());
  CHECK(cfg->warnings.empty());

  cfg = d.load(
      "type = \"http\"\nlisten = \"127.0.0.1:8080\"\npath = \"/push\"\nmax_body_bytes = 65536\n"
      "accept_timeout_ms = 500\nmax_connections = 8\nidle_timeout_ms = 1000\n");
  REQUIRE(cfg.has_value());
  CHECK(cfg->inputs[0].http.path == "/push");
  CHECK(cfg->inputs[0].http.max_body_bytes == 65536);
  CHECK(cfg->inputs[0].http.accept_timeout == std::chrono::milliseconds(500));
  CHECK(cfg->inputs[0].tcp.max_connections == 8);
  CHECK(cfg->inputs[0].tcp.idle_timeout == std::chrono::milliseconds(1000));
}

TEST_CASE("http input: connect, tcp-only keys and a bad path are errors", "[config][http]") {
  InputDir d;
  CHECK_FALSE(d.load("type = \"http\"\nconnect = \"127.0.0.1:8080\"\n"));
  CHECK(d.errors ==
        std::vector<std::string>{d.at(3, 11) +
                                 "an http input takes pushes and cannot 'connect'; use listen = "
                                 "\"127.0.0.1:8080\""});
  CHECK_FALSE(d.load("type = \"http\"\nlisten = \"127.0.0.1:8080\"\nack = true\n"));
  CHECK(d.errors == std::vector<std::string>{
                        d.at(4, 1) +
                        "'ack' does not apply to a http input (only to listen inputs); remove it"});
  CHECK_FALSE(d.load("type = \"http\"\nlisten = \"127.0.0.1:8080\"\npath = \"v1?x\"\n"));
  CHECK(d.errors ==
        std::vector<std::string>{d.at(4, 8) +
                                 "'path' \"v1?x\" must be an absolute URL path without query, e.g. "
                                 "\"/v1/articles\""});
  // And http keys on a tcp input.
  CHECK_FALSE(d.load("type = \"tcp\"\nlisten = \"127.0.0.1:8080\"\nmax_body_bytes = 4096\n"));
  CHECK(d.errors ==
        std::vector<std::string>{d.at(4, 1) +
                                 "'max_body_bytes' does not apply to a listen input (only to http "
                                 "inputs); remove it"});
  // `path` is shared with directory inputs: still no key of a tcp input.
  CHECK_FALSE(d.load("type = \"tcp\"\nlisten = \"127.0.0.1:8080\"\npath = \"/push\"\n"));
  CHECK(d.errors ==
        std::vector<std::string>{
            d.at(4, 1) + "'path' does not apply to a listen input (only to directory and http "
                         "inputs); remove it"});
  // A tls table is a server's (tls_config_test.cpp loads a real one): its files
  // are checked, so missing ones are refused at their key.
  CHECK_FALSE(
      d.load("type = \"http\"\nlisten = \"127.0.0.1:8080\"\n"
             "tls = { crt_file = \"a.pem\", key_file = \"a.key\" }\n"));
  REQUIRE_FALSE(d.errors.empty());
  CHECK(d.errors[0].find("a.pem") != std::string::npos);
  CHECK(d.errors[0].find("does not apply") == std::string::npos);
}

TEST_CASE("directory input: path stays required though http inputs default it", "[config][http]") {
  InputDir d;
  CHECK_FALSE(d.load("type = \"directory\"\n"));
  CHECK(d.errors ==
        std::vector<std::string>{d.at(1, 1) + "[[input]] of type \"directory\" is missing 'path'; "
                                              "add e.g. path = \"/srv/newshound/drop\""});
}

TEST_CASE("http input: token_file is read like [admin]'s", "[config][http]") {
  InputDir d;
  std::ofstream(d.dir / "push.token") << "0123456789abcdef0123456789abcdef\n";
  fs::permissions(d.dir / "push.token", fs::perms(0600));
  auto cfg = d.load(
      "type = \"http\"\nname = \"push\"\nlisten = \"0.0.0.0:8080\"\ntoken_file = \"push.token\"\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  CHECK(cfg->inputs[0].http.token == "0123456789abcdef0123456789abcdef");
  CHECK(cfg->inputs[0].http.token_file == d.dir / "push.token");
  CHECK(cfg->warnings.empty());

  std::ofstream(d.dir / "short.token") << "abc\n";
  CHECK_FALSE(
      d.load("type = \"http\"\nname = \"push\"\nlisten = \"127.0.0.1:8080\"\ntoken_file = "
             "\"short.token\"\n"));
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].find(d.at(5, 14) + "[[input]] \"push\" token_file ") == 0);
  CHECK(d.errors[0].find("holds a token of 3 bytes; use at least 16") != std::string::npos);

  // Off loopback without a token: loads, with a warning.
  cfg = d.load("type = \"http\"\nname = \"push\"\nlisten = \"0.0.0.0:8080\"\n");
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->warnings.size() == 1);
  CHECK(cfg->warnings[0].format().find("without a token_file: anyone who can reach it can push") !=
        std::string::npos);
}

TEST_CASE("http input: worst_case_memory counts its bodies, and the budget refuses it",
          "[config][http]") {
  InputDir d;
  auto cfg = d.load("type = \"http\"\nlisten = \"127.0.0.1:8080\"\nmax_connections = 4\n");
  REQUIRE(cfg.has_value());
  const std::size_t base = newshound::worst_case_memory(*cfg);
  // Three times the body room, at least.
  CHECK(base >= 3 * (16u << 20));
  cfg = d.load(
      "type = \"http\"\nlisten = \"127.0.0.1:8080\"\nmax_connections = 4\nmax_body_bytes = "
      "33554432\n");
  REQUIRE(cfg.has_value());
  CHECK(newshound::worst_case_memory(*cfg) == base + 3 * (16u << 20));
  CHECK_FALSE(
      d.load("type = \"http\"\nlisten = \"127.0.0.1:8080\"\n", "memory_budget_bytes = 33554432\n"));
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].find("max_body_bytes") != std::string::npos);
}

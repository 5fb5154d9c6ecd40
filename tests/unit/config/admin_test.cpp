// Config tests: the [admin] table of the config: its default, turning the
// endpoint off with "", an explicit IPv6 address, and the errors a user sees.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(NEWSHOUND_FIXTURES_DIR) / "config";

std::optional<newshound::Config> load(const std::string& name, std::vector<std::string>& errors) {
  newshound::Diagnostics diags;
  auto cfg = newshound::load_config(kDir / name, diags);
  for (const auto& d : diags) errors.push_back(d.format());
  return cfg;
}

}  // namespace

TEST_CASE("[admin] listen defaults to loopback port 7380", "[config][admin]") {
  std::vector<std::string> errors;
  const auto cfg = load("minimal.toml", errors);
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->admin_listen.has_value());
  CHECK(cfg->admin_listen->host == "127.0.0.1");
  CHECK(cfg->admin_listen->port == 7380);
}

TEST_CASE("[admin] listen takes an address, IPv6 in brackets", "[config][admin]") {
  std::vector<std::string> errors;
  const auto cfg = load("full.toml", errors);
  for (const auto& e : errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->admin_listen.has_value());
  CHECK(cfg->admin_listen->host == "::1");
  CHECK(cfg->admin_listen->port == 9180);
}

TEST_CASE("[admin] listen = \"\" turns the endpoint off", "[config][admin]") {
  std::vector<std::string> errors;
  const auto cfg = load("admin_disabled.toml", errors);
  for (const auto& e : errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  CHECK_FALSE(cfg->admin_listen.has_value());
}

TEST_CASE("admin written as a key rather than a table is an error", "[config][admin]") {
  std::vector<std::string> errors;
  const auto cfg = load("admin_bad.toml", errors);
  CHECK_FALSE(cfg.has_value());
  const std::string f = (kDir / "admin_bad.toml").string();
  CHECK(errors ==
        std::vector<std::string>{f + ":1:9: 'admin' must be a table; write [admin] and listen = "
                                     "\"127.0.0.1:7380\" below it"});
}

TEST_CASE("[admin] reports a bad address and an unknown key", "[config][admin]") {
  std::vector<std::string> errors;
  const auto cfg = load("admin_bad_values.toml", errors);
  CHECK_FALSE(cfg.has_value());
  REQUIRE(errors.size() == 2);
  const std::string f = (kDir / "admin_bad_values.toml").string();
  CHECK(errors[0].rfind(f + ":2:10: invalid address in 'listen': ", 0) == 0);
  CHECK(errors[1] == f + ":3:1: unknown key 'lsten' in [admin] (did you mean 'listen'? known "
                         "keys: listen, allowed_hosts, tls)");
}

TEST_CASE("[admin] allowed_hosts: empty by default, names as given", "[config][admin]") {
  const fs::path dir = fs::temp_directory_path() / "newshound-admin-hosts-test";
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "n.toml");
    f << "[admin]\nallowed_hosts = [\"newshound.internal\", \"Proxy.Example\"]\n"
         "[[watchlist]]\npath = \"x.names\"\n";
  }
  newshound::Diagnostics diags;
  const auto cfg = newshound::load_config(dir / "n.toml", diags);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(cfg.has_value());
  CHECK(cfg->admin_allowed_hosts ==
        std::vector<std::string>{"newshound.internal", "Proxy.Example"});
  std::vector<std::string> errors;
  CHECK(load("minimal.toml", errors)->admin_allowed_hosts.empty());
  fs::remove_all(dir);
}

// Config tests: the [admin] table of the config: its default, turning the
// endpoint off with "", an explicit IPv6 address, the errors a user sees, and
// token_file (read, refused when unusable, warned about when world-readable;
// required off loopback).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cstdlib>
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
                         "keys: listen, allowed_hosts, token_file, tls)");
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

namespace {

/// A folder with a config whose [admin] table is `admin` (and one watch-list),
/// and token files written by token().
struct AdminDir {
  AdminDir() {
    // One folder per test: CTest runs the test cases of this file in parallel.
    std::string tmpl = (fs::temp_directory_path() / "newshound-admin-token-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
  }
  ~AdminDir() { fs::remove_all(dir); }
  void token(const std::string& name, const std::string& text, fs::perms mode = fs::perms(0600)) {
    std::ofstream(dir / name, std::ios::binary) << text;
    fs::permissions(dir / name, mode);
  }
  std::optional<newshound::Config> load(const std::string& admin) {
    std::ofstream(dir / "n.toml") << "[admin]\n" << admin << "[[watchlist]]\npath = \"x.names\"\n";
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

TEST_CASE("[admin] token_file: the token is read, one line, its line end stripped",
          "[config][admin][token]") {
  AdminDir d;
  d.token("admin.token", "0123456789abcdef0123456789abcdef\r\n");
  auto cfg = d.load("token_file = \"admin.token\"\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  CHECK(cfg->admin_token == "0123456789abcdef0123456789abcdef");
  CHECK(cfg->admin_token_file == d.dir / "admin.token");  // relative to the config's folder
  CHECK(cfg->warnings.empty());
  // Without token_file there is no token.
  cfg = d.load("");
  REQUIRE(cfg.has_value());
  CHECK(cfg->admin_token.empty());
}

TEST_CASE("[admin] token_file that cannot serve as a token is an error at the key",
          "[config][admin][token]") {
  AdminDir d;
  struct Case {
    std::string text;  ///< file contents; "-" = no file
    std::string says;
  };
  const std::vector<Case> cases = {
      {"-", "cannot be read: No such file or directory; create it holding one line, the token"},
      {"", "is empty; write the token into it"},
      {"\n\r\n", "is empty; write the token into it"},
      {"short-token\n", "holds a token of 11 bytes; use at least 16"},
      {"0123456789abcdef\n0123456789abcdef\n", "holds more than one line"},
      {"0123456789 abcdef\n", "holds a space, control or non-ASCII byte at byte 11 of the token"},
      {" 0123456789abcdef", "holds a space, control or non-ASCII byte at byte 1 of the token"},
      {std::string(5000, 'a'), "holds more than 4096 bytes"},
  };
  for (const Case& c : cases) {
    INFO(c.text.substr(0, 40));
    fs::remove(d.dir / "t");
    if (c.text != "-") d.token("t", c.text);
    const auto cfg = d.load("listen = \"127.0.0.1:7380\"\ntoken_file = \"t\"\n");
    CHECK_FALSE(cfg.has_value());
    REQUIRE(d.errors.size() == 1);
    CHECK(d.errors[0].starts_with(d.at(3, 14) + "[admin] token_file \"" + (d.dir / "t").string() +
                                  "\" " + c.says));
  }
}

TEST_CASE("[admin] token_file that is a FIFO is refused without blocking",
          "[config][admin][token]") {
  AdminDir d;
  REQUIRE(::mkfifo((d.dir / "fifo").c_str(), 0600) == 0);
  const auto cfg = d.load("token_file = \"fifo\"\n");
  CHECK_FALSE(cfg.has_value());
  REQUIRE(d.errors.size() == 1);
  CHECK(d.errors[0].find("is a FIFO (named pipe), not a regular file") != std::string::npos);
}

TEST_CASE("[admin] token_file every user can read loads with a warning at the key",
          "[config][admin][token]") {
  AdminDir d;
  d.token("t", "0123456789abcdef0123", fs::perms(0644));
  const auto cfg = d.load("token_file = \"t\"\n");
  REQUIRE(cfg.has_value());
  CHECK(cfg->admin_token == "0123456789abcdef0123");
  REQUIRE(cfg->warnings.size() == 1);
  CHECK(cfg->warnings[0].format() ==
        d.at(2, 14) + "warning: [admin] token_file \"" + (d.dir / "t").string() +
            "\" can be read by every user of this host, who could then use the admin endpoint; "
            "chmod o-r it (0640, group newshound)");
}

TEST_CASE("[admin] listen off loopback needs a token_file", "[config][admin][token]") {
  AdminDir d;
  for (const char* host : {"0.0.0.0:7380", "[::]:7380", "10.1.2.3:7380", "admin.example:7380",
                           "127.evil.example:7380"}) {
    INFO(host);
    const auto cfg = d.load(std::string("listen = \"") + host + "\"\n");
    CHECK_FALSE(cfg.has_value());
    REQUIRE(d.errors.size() == 1);
    CHECK(d.errors[0].starts_with(d.at(2, 10) + "the admin endpoint would listen on "));
    CHECK(d.errors[0].ends_with(
        ", which is not a loopback address, without a token: anyone who can reach it could "
        "reload the daemon and read its rules and metrics; set token_file = \"...\" in [admin] "
        "(a file holding the token), or listen on 127.0.0.1 or [::1]"));
  }
  for (const char* host : {"127.0.0.1:7380", "127.1.2.3:7380", "[::1]:7380", "localhost:7380",
                           "LocalHost.:7380", "\"\""}) {
    INFO(host);
    const std::string value = host[0] == '"' ? host : std::string("\"") + host + "\"";
    const auto cfg = d.load("listen = " + value + "\n");
    for (const auto& e : d.errors) UNSCOPED_INFO(e);
    CHECK(cfg.has_value());
  }
  d.token("t", "0123456789abcdef0123");
  const auto cfg = d.load("listen = \"0.0.0.0:7380\"\ntoken_file = \"t\"\n");
  for (const auto& e : d.errors) UNSCOPED_INFO(e);
  CHECK(cfg.has_value());
}

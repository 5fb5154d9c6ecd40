// Config tests: a webhook output's `headers`, a string_table option of the
// option table: inline and [output.headers] forms, and every refused entry
// reported at its own line and column.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;

namespace {

/// Loads `text` from a file of its own; `errors` gets the formatted diagnostics
/// with the file name replaced by "f".
std::optional<newshound::Config> load_text(const std::string& text,
                                           std::vector<std::string>& errors) {
  const fs::path file =
      fs::temp_directory_path() / ("newshound-webhook-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  newshound::Diagnostics diags;
  auto cfg = newshound::load_config(file, diags);
  fs::remove(file);
  for (const auto& d : diags) {
    std::string s = d.format();
    s.replace(0, file.string().size(), "f");
    errors.push_back(std::move(s));
  }
  return cfg;
}

const std::string kWatchlist = "[[watchlist]]\npath = \"people.names\"\n";

}  // namespace

TEST_CASE("webhook headers are read inline or as a sub-table, in key order", "[config][webhook]") {
  std::vector<std::string> errors;
  const auto cfg = load_text(
      "[[output]]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:8080/in\"\n"
      "headers = { X-Token = \"t0ken\", Authorization = \"Bearer a b\" }\n"
      "[[output]]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:8081/in\"\n"
      "[output.headers]\nX-Empty = \"\"\n" +
          kWatchlist,
      errors);
  for (const auto& e : errors) UNSCOPED_INFO(e);
  REQUIRE(cfg.has_value());
  REQUIRE(cfg->outputs.size() == 2);
  using Headers = std::vector<std::pair<std::string, std::string>>;
  CHECK(cfg->outputs[0].webhook.headers ==
        Headers{{"Authorization", "Bearer a b"}, {"X-Token", "t0ken"}});
  CHECK(cfg->outputs[1].webhook.headers == Headers{{"X-Empty", ""}});
}

TEST_CASE("refused webhook headers are each reported where they are", "[config][webhook]") {
  std::vector<std::string> errors;
  const auto cfg = load_text(
      "[[output]]\n"                                                               // 1
      "type = \"webhook\"\n"                                                       // 2
      "url = \"http://127.0.0.1:8080/in\"\n"                                       // 3
      "headers = { \"Bad Name\" = \"x\", Host = \"h\", X-N = 5, X-A = \"ok\" }\n"  // 4
      "[[output]]\n"                                                               // 5
      "type = \"webhook\"\n"                                                       // 6
      "url = \"http://127.0.0.1:8081/in\"\n"                                       // 7
      "headers = { X-Crlf = \"a\\r\\nInjected: 1\" }\n"                            // 8
      "[[output]]\n"                                                               // 9
      "type = \"tcp\"\n"                                                           // 10
      "connect = \"127.0.0.1:9\"\n"                                                // 11
      "headers = { X-A = \"b\" }\n"                                                // 12
      "[[output]]\n"                                                               // 13
      "type = \"webhook\"\n"                                                       // 14
      "url = \"http://127.0.0.1:8082/in\"\n"                                       // 15
      "headers = \"X-A: b\"\n" +                                                   // 16
          kWatchlist,
      errors);
  CHECK_FALSE(cfg.has_value());
  CHECK(errors ==
        std::vector<std::string>{
            "f:4:13: header name \"Bad Name\" is not a valid HTTP field name; use letters, "
            "digits and '-'",
            "f:4:31: header \"Host\" is set by newshound itself; remove it",
            "f:4:49: 'headers' entry \"X-N\" must be a string, not an integer; e.g. X-N = \"...\"",
            "f:8:22: header \"X-Crlf\" must not contain line breaks; remove them",
            "f:12:1: 'headers' does not apply to a tcp output (only to webhook outputs); remove it",
            "f:16:11: 'headers' must be a table of strings, not a string; e.g. headers = { "
            "Authorization = \"Bearer ...\" }",
        });
}

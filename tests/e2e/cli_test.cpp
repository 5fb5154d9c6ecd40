// Tests (end-to-end): the command line of the real binary: scan, check, --help,
// --version and their exit codes.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <utility>

#include "e2e/harness.hpp"

using e2e::run;

namespace {
using e2e::bin;
using e2e::people;
using e2e::places;
using e2e::src;

const std::string feed =
    R"({"uri":"a1","headline":"TALKS IN GENEVA","body_text":"Sergei Lavrov met his\ncounterpart."})"
    "\n"
    R"({"uri":"a2","headline":"Weather","body_text":"Rain is expected over the weekend."})"
    "\n"
    "not json\n"
    R"({"uri":"a3","headline":"Markets","body_text":"None of us saw it coming, a U.S. trader said."})"
    "\n";
}  // namespace

TEST_CASE("the --version and --help flags exit 0 and say what they are") {
  auto v = run({bin, "--version"});
  CHECK(v.code == 0);
  CHECK(v.out.find("newshound") != std::string::npos);
  auto h = run({bin, "--help"});
  CHECK(h.code == 0);
  CHECK(h.out.find("scan") != std::string::npos);
  CHECK(h.out.find("check") != std::string::npos);
  auto sh = run({bin, "scan", "--help"});
  CHECK(sh.code == 0);
  CHECK(sh.out.find("--watchlist") != std::string::npos);
}

TEST_CASE("an unknown subcommand or a missing option is a usage error (exit 2)") {
  CHECK(run({bin, "frobnicate"}).code == 2);
  CHECK(run({bin, "scan"}).code == 2);
  CHECK(run({bin, "run"}).code == 2);
}

TEST_CASE("scan prints one alert per matching article and skips bad lines") {
  auto r = run({bin, "scan", "--watchlist", people, "--watchlist", places, "--stats"}, feed);
  REQUIRE(r.code == 0);
  std::vector<boost::json::object> alerts;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    alerts.push_back(boost::json::parse(line).as_object());
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].at("article").as_string() == "a1");
  CHECK(alerts[1].at("article").as_string() == "a3");
  // a1: Geneva in the headline, Lavrov across nothing but a space, in the body.
  std::set<std::string> entities;
  for (const auto& m : alerts[0].at("matches").as_array())
    entities.insert(std::string(m.as_object().at("entity").as_string()));
  CHECK(entities == std::set<std::string>{"Geneva", "Sergei Lavrov"});
  // a3: "U.S." (acronym, exact) matches, "us" in "None of us" does not.
  const auto& m3 = alerts[1].at("matches").as_array();
  REQUIRE(m3.size() == 1);
  CHECK(m3[0].as_object().at("text").as_string() == "U.S.");
  CHECK(r.err.find("stdin:3: skipped: not_json") != std::string::npos);
  CHECK(r.err.find("alerts 2") != std::string::npos);
}

TEST_CASE("scan exits 1 when nothing matches and 78 when a watch-list is broken") {
  auto none = run({bin, "scan", "--watchlist", people},
                  R"({"uri":"x","headline":"Weather","body_text":"Sunny."})"
                  "\n");
  CHECK(none.code == 1);
  CHECK(none.out.empty());

  e2e::TempDir dir;
  e2e::write_file(dir / "bad.names", "Good Name|Alias\nBroken||Alias\n");
  auto bad = run({bin, "scan", "--watchlist", (dir / "bad.names").string()}, "");
  CHECK(bad.code == 78);
  CHECK(bad.err.find("bad.names:2:") != std::string::npos);

  auto missing = run({bin, "scan", "--watchlist", (dir / "nope.names").string()}, "");
  CHECK(missing.code == 78);
  CHECK(missing.err.find("nope.names") != std::string::npos);
}

TEST_CASE("scan matches letters with a stroke, slash or ligature both ways (issue 21)") {
  e2e::TempDir dir;
  // Marked aliases against plain text, and plain aliases against marked text.
  e2e::write_file(dir / "names.names",
                  "Łódź\nSoren Kierkegaard\nNovak Đoković\nÞór\nBinali Yıldırım\nAOA\n");
  const std::string body =
      "Talks in Lodz with Søren Kierkegaard's heirs, Novak Dokovic, Thor and Binali "
      "Yildirim; ÆØÅ is no acronym of AOA.";
  auto r =
      run({bin, "scan", "--watchlist", (dir / "names.names").string()}, e2e::article("l1", body));
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto alert = boost::json::parse(r.out.substr(0, r.out.find('\n'))).as_object();
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& m : alert.at("matches").as_array()) {
    const auto& o = m.as_object();
    got.emplace(std::string(o.at("entity").as_string()), std::string(o.at("text").as_string()));
  }
  CHECK(got ==
        std::set<std::pair<std::string, std::string>>{{"Łódź", "Lodz"},
                                                      {"Soren Kierkegaard", "Søren Kierkegaard"},
                                                      {"Novak Đoković", "Novak Dokovic"},
                                                      {"Þór", "Thor"},
                                                      {"Binali Yıldırım", "Binali Yildirim"},
                                                      {"AOA", "AOA"}});
}

TEST_CASE("check accepts the shipped config and prints a summary") {
  auto r = run({bin, "check", "--config", src + "/config/newshound.toml"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("entities") != std::string::npos);
  CHECK(r.out.find("rules version") != std::string::npos);
  CHECK(r.out.find("people") != std::string::npos);
}

TEST_CASE("check suggests a systemd MemoryMax= from the memory budget") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Sergei Lavrov|Lavrov\n");
  const std::string list = "[[watchlist]]\npath = \"people.names\"\n" + e2e::admin_off;
  // The budget plus a quarter: 8192 + 2048 MiB.
  e2e::write_file(dir / "budget.toml", "memory_budget_bytes = 8589934592\n" + list);
  auto r = run({bin, "check", "--config", (dir / "budget.toml").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("memory_budget_bytes 8192 MiB; systemd: MemoryMax=10240M\n") !=
        std::string::npos);
  // Without a budget: from the worst case, at least 256 MiB above it.
  e2e::write_file(dir / "none.toml", list);
  auto n = run({bin, "check", "--config", (dir / "none.toml").string()});
  REQUIRE(n.code == 0);
  CHECK(n.out.find("memory_budget_bytes not set; systemd: MemoryMax=") != std::string::npos);
}

TEST_CASE("check reports a broken config or watch-list as file:line and exits 78") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Sergei Lavrov|Lavrov\n\nAntony Blinken||Blinken\n");
  e2e::write_file(dir / "bad-list.toml", "[[watchlist]]\npath = \"people.names\"\n");
  auto r = run({bin, "check", "--config", (dir / "bad-list.toml").string()});
  CHECK(r.code == 78);
  CHECK(r.err.find("people.names:3:") != std::string::npos);

  e2e::write_file(dir / "bad-key.toml",
                  "[[watchlist]]\npath = \"people.names\"\ncolour = \"blue\"\n");
  auto k = run({bin, "check", "--config", (dir / "bad-key.toml").string()});
  CHECK(k.code == 78);
  CHECK(k.err.find("bad-key.toml:3") != std::string::npos);
  CHECK(k.err.find("colour") != std::string::npos);
}

TEST_CASE("check refuses an output aimed at the daemon's own input, exit 78") {
  e2e::TempDir dir;
  e2e::write_file(dir / "people.names", "Sergei Lavrov|Lavrov\n");
  e2e::write_file(dir / "loop.toml",
                  "[[input]]\ntype = \"tcp\"\nname = \"feed\"\nlisten = \"127.0.0.1:7301\"\n"
                  "[[output]]\nname = \"loop\"\ntype = \"tcp\"\nconnect = \"localhost:7301\"\n"
                  "[[watchlist]]\npath = \"people.names\"\n" +
                      e2e::admin_off);
  auto r = run({bin, "check", "--config", (dir / "loop.toml").string()});
  CHECK(r.code == 78);
  CHECK(r.err.find("loop.toml:8:11: output \"loop\" sends to localhost:7301, which is [[input]] "
                   "\"feed\" (line 1) of this daemon: its alerts would come back as articles, "
                   "without end; point it at the receiver of the alerts") != std::string::npos);

  e2e::write_file(dir / "ports.toml",
                  "[admin]\nlisten = \"127.0.0.1:7390\"\n"
                  "[[input]]\ntype = \"tcp\"\nlisten = \"0.0.0.0:7390\"\n"
                  "[[watchlist]]\npath = \"people.names\"\n");
  auto p = run({bin, "check", "--config", (dir / "ports.toml").string()});
  CHECK(p.code == 78);
  CHECK(p.err.find("ports.toml:2:10: the [admin] listen address listens on 127.0.0.1:7390") !=
        std::string::npos);
}

TEST_CASE("check warns about shared and punctuation-only aliases and still passes") {
  e2e::TempDir dir;
  std::string list = "Chk Chk Chk|!!!\n";
  for (int i = 0; i < 101; ++i) list += "Person " + std::to_string(i) + "|the\n";
  e2e::write_file(dir / "common.names", list);
  e2e::write_file(dir / "n.toml", "[[watchlist]]\npath = \"common.names\"\n" + e2e::admin_off);
  auto r = run({bin, "check", "--config", (dir / "n.toml").string()});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.err.find("common.names:1:13: warning: \"!!!\" is read as the negative alias") !=
        std::string::npos);
  CHECK(r.err.find("common.names:2: warning: the alias \"the\" (folded) is shared by 101 "
                   "entities") != std::string::npos);
  CHECK(r.out.find("config ") != std::string::npos);

  e2e::write_file(dir / "common.names", std::string("Sergei Lavrov\nLav\0rov\n", 22));
  auto nul = run({bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(nul.code == 78);
  CHECK(nul.err.find("common.names:2:4: NUL byte") != std::string::npos);
}

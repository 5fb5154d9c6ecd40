// Config tests: the checks against the daemon's own addresses and files: two
// listeners on one address, an output aimed at an input or the admin endpoint, a
// file output onto a watch-list, the config, another output's file or a spool,
// and a spool folder holding other files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;
using newshound::Diagnostics;

namespace {

const fs::path kDir = fs::path(NEWSHOUND_FIXTURES_DIR) / "config";

std::vector<std::string> errors_of(const std::string& name) {
  Diagnostics diags;
  const auto cfg = newshound::load_config((kDir / name).string(), diags);
  CHECK_FALSE(cfg.has_value());
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(d.format());
  return out;
}

}  // namespace

TEST_CASE("load_config refuses listeners that collide and outputs aimed at the daemon itself",
          "[config][checks]") {
  const std::string f = (kDir / "self_targets.toml").string();
  const std::string dir = kDir.string();
  CHECK(errors_of("self_targets.toml") ==
        std::vector<std::string>{
            f + ":3:10: the [admin] listen address listens on 127.0.0.1:7380, and [[input]] "
                "\"on-admin\" (line 15) on localhost:7380: only one of them can bind it; give "
                "one of them another port",
            f + ":13:10: [[input]] \"again\" (line 10) listens on 127.0.0.1:7301, and [[input]] "
                "\"feed\" (line 5) on 0.0.0.0:7301: only one of them can bind it; give one of "
                "them another port",
            f + ":23:11: output \"loop\" sends to 127.0.0.1:7301, which is [[input]] \"feed\" "
                "(line 5) of this daemon: its alerts would come back as articles, without end; "
                "point it at the receiver of the alerts",
            f + ":28:7: output \"hook\" sends to localhost:7380, which is the [admin] listen "
                "address of this daemon; point it at the receiver of the alerts",
            f + ":33:8: output \"onto-list\" writes alerts to " + dir +
                "/watchlists/heads-of-state.names, which is the watch-list \"heads-of-state\" "
                "(line 62); give it a file of its own",
            f + ":38:8: output \"onto-config\" writes alerts to " + dir +
                "/self_targets.toml, which is the config file; give it a file of its own",
            f + ":48:8: output \"second\" writes alerts to " + dir +
                "/out/alerts.jsonl, which is the file of output \"first\"; give it a file of its "
                "own",
            f + ":60:8: output \"into-spool\" writes alerts to " + dir +
                "/out/spool-spooled/alerts.jsonl, which is inside the spool folder of output "
                "\"spooled\"; give it a file of its own",
        });
}

TEST_CASE("load_config refuses a spool folder that holds other files", "[config][checks]") {
  const std::string f = (kDir / "spool_folder.toml").string();
  // The fixtures folder: whatever it holds, the first file named is the first by name.
  const auto errors = errors_of("spool_folder.toml");
  REQUIRE(errors.size() == 1);  // "fresh" does not exist yet: fine, it is created on start
  CHECK_THAT(errors[0],
             Catch::StartsWith(f + ":7:13: output \"mixed\" spools into " + kDir.string() +
                               "/, which holds files that are not the spool's (\"admin_bad.toml\" "
                               "and ") &&
                 Catch::EndsWith(" more): a spool folder holds only its segments, cursor and "
                                 "lock; give spool_dir an empty folder of its own"));
}

TEST_CASE("load_config accepts a spool folder holding only spool files, and remote targets",
          "[config][checks]") {
  const fs::path dir = fs::temp_directory_path() / "newshound-spool-folder-check";
  fs::remove_all(dir);
  fs::create_directories(dir / "spool");
  for (const char* name : {"0000000000000001.seg", "cursor", "lock", "x.corrupt"})
    std::ofstream(dir / "spool" / name) << "";
  fs::copy_file(kDir / "watchlists" / "heads-of-state.names", dir / "h.names");
  std::ofstream(dir / "admin.token") << "0123456789abcdef0123456789abcdef\n";
  fs::permissions(dir / "admin.token", fs::perms(0600));
  std::ofstream(dir / "n.toml")
      << "[admin]\nlisten = \"0.0.0.0:7380\"\ntoken_file = \"admin.token\"\n"
         "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:7301\"\n"
         "[[input]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:7302\"\n"  // connect: not a listener
         "[[output]]\ntype = \"tcp\"\nconnect = \"wire.example.net:7301\"\nspool = true\n"
         "spool_dir = \"spool\"\n"
         "[[output]]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:7302/hook\"\n"
         "[[output]]\ntype = \"file\"\npath = \"alerts.jsonl\"\n"
         "[[watchlist]]\npath = \"h.names\"\n";
  Diagnostics diags;
  const auto cfg = newshound::load_config(dir / "n.toml", diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  CHECK(cfg.has_value());
  fs::remove_all(dir);
}

// Config tests: `[[input]] type = "directory"` (the drop folder): defaults that
// follow other keys (done_dir, failed_dir, max_file_bytes, name), tcp keys
// refused, and folder checks reported at the line of the key.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "newshound/config/config.hpp"

namespace fs = std::filesystem;
using namespace newshound;

namespace {
struct Scratch {
  fs::path path;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-dropcfg-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::optional<Config> load(const Scratch& s, const std::string& input, Diagnostics& diags) {
  const fs::path file = s.path / "n.toml";
  std::ofstream(file) << "[[input]]\ntype = \"directory\"\n"
                      << input << "[[watchlist]]\npath = \"" << NEWSHOUND_SOURCE_DIR
                      << "/config/watchlists/people.names\"\n";
  return load_config(file, diags);
}
}  // namespace

TEST_CASE("drop folder config: defaults follow path and max_line_bytes", "[config]") {
  Scratch s;
  fs::create_directory(s.path / "drop");
  Diagnostics diags;
  auto cfg = load(s, "path = \"drop\"\nmax_line_bytes = 4096\n", diags);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(cfg);
  const auto& in = cfg->inputs.at(0);
  CHECK(in.type == "directory");
  CHECK(in.name == "directory:" + (s.path / "drop").string());
  CHECK(in.directory.path == s.path / "drop");
  CHECK(in.directory.done_dir == s.path / "drop" / ".done");
  CHECK(in.directory.failed_dir == s.path / "drop" / ".failed");
  CHECK(in.directory.max_file_bytes == 4096);
  CHECK(in.directory.ignore == std::vector<std::string>{".*", "*.tmp"});
  CHECK_FALSE(fs::exists(s.path / "drop" / ".done"));  // check never creates anything
}

TEST_CASE("drop folder config: tcp keys refused, folders checked at their line", "[config]") {
  Scratch s;
  Diagnostics diags;
  CHECK_FALSE(load(s, "path = \"missing\"\nlisten = \"127.0.0.1:7301\"\n", diags));
  REQUIRE(diags.size() == 2);
  const std::string all = diags[0].format() + "\n" + diags[1].format();
  CHECK(all.find(":3:8: [[input]] \"directory:") != std::string::npos);
  CHECK(all.find("\": path: ") != std::string::npos);
  CHECK(all.find(":4:10: 'listen' does not apply to a directory input") != std::string::npos);
  fs::create_directory(s.path / "drop");
  diags.clear();
  CHECK_FALSE(load(s, "path = \"drop\"\ndone_dir = \"drop\"\n", diags));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].format().find(":4:") != std::string::npos);
  CHECK(diags[0].format().find("drop folder itself") != std::string::npos);
}

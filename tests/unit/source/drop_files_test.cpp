// Tests (source): the drop folder's file operations: folder checks (missing,
// the drop folder itself, a file where a folder is meant), the ignore patterns,
// the bounded never-blocking read (a FIFO is refused without blocking), and
// moves that never replace a file, with the `.reason` beside a failed one.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "newshound/source/drop_files.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {
struct Scratch {
  fs::path path;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-drop-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};
void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}
std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
DirectoryInputOptions options(const fs::path& dir) {
  DirectoryInputOptions o;
  o.path = dir;
  o.done_dir = dir / ".done";
  o.failed_dir = dir / ".failed";
  return o;
}
}  // namespace

TEST_CASE("drop files: folder checks") {
  Scratch s;
  auto o = options(s.path);
  CHECK(drop_folder_problem(o).empty());  // missing done/failed folders are created later
  o.path = s.path / "nope";
  CHECK(drop_folder_problem(o).starts_with("path: "));
  o = options(s.path);
  o.done_dir = s.path;
  CHECK(drop_folder_problem(o).find("drop folder itself") != std::string::npos);
  o = options(s.path);
  o.failed_dir = s.path / "a" / "b";
  CHECK(drop_folder_problem(o).starts_with("failed_dir: "));
  write(s.path / "file", "x");
  o = options(s.path);
  o.done_dir = s.path / "file";
  CHECK(drop_folder_problem(o).find("not a folder") != std::string::npos);
  o.delete_done = true;  // done_dir is not used then
  CHECK(drop_folder_problem(o).empty());
}

TEST_CASE("drop files: ignore patterns") {
  const std::vector<std::string> p{".*", "*.tmp"};
  CHECK(ignored_name(".hidden", p));
  CHECK(ignored_name("story.json.tmp", p));
  CHECK_FALSE(ignored_name("story.json", p));
  CHECK_FALSE(ignored_name("tmp", p));
}

TEST_CASE("drop files: bounded read, FIFO and folder refused without blocking") {
  Scratch s;
  write(s.path / "a.json", "{\"a\":1}");
  auto f = read_dropped_file(s.path / "a.json", 100);
  CHECK(f.refused.empty());
  CHECK(f.content == "{\"a\":1}");
  f = read_dropped_file(s.path / "a.json", 3);
  CHECK(f.refused.find("over max_file_bytes") != std::string::npos);
  CHECK(f.content.empty());
  REQUIRE(::mkfifo((s.path / "fifo").c_str(), 0600) == 0);
  f = read_dropped_file(s.path / "fifo", 100);  // would block for ever if opened plainly
  CHECK(f.refused.find("FIFO") != std::string::npos);
  fs::create_directory(s.path / "dir");
  CHECK(read_dropped_file(s.path / "dir", 100).refused.find("folder") != std::string::npos);
  f = read_dropped_file(s.path / "gone", 100);
  CHECK(f.missing);
}

TEST_CASE("drop files: moves never replace, failed files get a reason") {
  Scratch s;
  fs::create_directory(s.path / "done");
  fs::create_directory(s.path / "failed");
  write(s.path / "a", "1");
  std::string error;
  CHECK(move_into(s.path, "a", s.path / "done", error) == "a");
  write(s.path / "a", "2");
  CHECK(move_into(s.path, "a", s.path / "done", error) == "a.1");
  CHECK(slurp(s.path / "done" / "a") == "1");
  CHECK(slurp(s.path / "done" / "a.1") == "2");
  CHECK(move_into(s.path, "missing", s.path / "done", error).empty());
  CHECK(error.find("cannot move") != std::string::npos);

  write(s.path / "bad", "nope");
  CHECK(fail_file(s.path, "bad", s.path / "failed", "bad: line 1: not_json").empty());
  CHECK_FALSE(fs::exists(s.path / "bad"));
  CHECK(slurp(s.path / "failed" / "bad") == "nope");
  CHECK(slurp(s.path / "failed" / "bad.reason") == "bad: line 1: not_json\n");
}

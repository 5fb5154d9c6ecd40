// Tests, stage match: what the `.names` loader refuses or warns about (NUL bytes,
// bare CR line ends, aliases of only punctuation, `!!!`), and reading a list that is
// being rewritten in place (read_stable_file through load_watchlist/load_topics).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "match_test_util.hpp"
#include "newshound/match/topic_file.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(d.format());
  return out;
}

/// A fresh file path in the temp folder, removed at the end of the test.
struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& name)
      : path(fs::temp_directory_path() / ("newshound-" + std::to_string(::getpid()) + "-" + name)) {
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string entity_lines(int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "Entity Number " + std::to_string(i) + "|E" + std::to_string(i) + "\n";
  return text;
}

}  // namespace

TEST_CASE("parse_names refuses a line with a NUL byte, with file:line:col", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names(std::string("Putin\nLav\0rov|Lavrov\nMacron\n", 28), "nul.names", wl, diags);
  CHECK(formatted(diags) ==
        std::vector<std::string>{"nul.names:2:4: NUL byte: this is not a UTF-8 text file (UTF-16 "
                                 "or binary?); save it as UTF-8 (line skipped)"});
  REQUIRE(wl.entities.size() == 2);
  CHECK(wl.entities[1].canonical == "Macron");
  CHECK(wl.warnings.empty());
}

TEST_CASE("parse_names warns about a bare CR, which hides the lines after it", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names("# old Mac line ends\rPutin\rLavrov\r\nMacron\r\n", "cr.names", wl, diags);
  CHECK(diags.empty());
  CHECK(formatted(wl.warnings) ==
        std::vector<std::string>{
            "cr.names:1:20: warning: carriage return without a line feed: lines end only at LF "
            "(or CRLF), so what follows is read as part of this line; save the file with LF "
            "line ends"});
  REQUIRE(wl.entities.size() == 1);  // the comment swallowed Putin and Lavrov
  CHECK(wl.entities[0].canonical == "Macron");
}

TEST_CASE("parse_names warns about aliases and negatives of only punctuation", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names("Chk Chk Chk|!!!\nEllipsis|...\nPutin|Путин\n", "punct.names", wl, diags);
  CHECK(diags.empty());
  CHECK(formatted(wl.warnings) ==
        std::vector<std::string>{
            "punct.names:1:13: warning: \"!!!\" is read as the negative alias \"!!\" (a field "
            "starting with '!' is a negative), and a negative of only punctuation or symbols "
            "never tells this entity apart from another name: remove it (no alias can start "
            "with '!')",
            "punct.names:2:10: warning: alias \"...\" is only punctuation or symbols (no letter "
            "or digit): it matches that punctuation in any article; remove it unless that is "
            "meant"});
  REQUIRE(wl.entities.size() == 3);  // warnings skip nothing
  CHECK(wl.entities[0].negatives == std::vector<std::string>{"!!"});
  CHECK(wl.entities[1].aliases == std::vector<std::string>{"Ellipsis", "..."});
}

TEST_CASE("load_watchlist reads a stable file once, with or without a final line end",
          "[match][names][reload]") {
  TempFile f("stable.names");
  {
    const int fd = ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write_all(fd, entity_lines(3) + "Last Entity");  // no final newline, but settled
    ::close(fd);
  }
  Diagnostics diags;
  const WatchList wl = load_watchlist(f.path, diags, {3, std::chrono::milliseconds(5)});
  CHECK(diags.empty());
  CHECK(wl.entities.size() == 4);

  ::close(::open(f.path.c_str(), O_WRONLY | O_TRUNC));  // an empty list that stays empty
  CHECK(load_watchlist(f.path, diags, {3, std::chrono::milliseconds(5)}).entities.empty());
  CHECK(diags.empty());
}

TEST_CASE("load_watchlist never loads a list half-written by an in-place rewrite",
          "[match][names][reload]") {
  TempFile f("rewrite.names");
  const std::string full = entity_lines(2000);
  {
    const int fd = ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write_all(fd, full);
    ::close(fd);
  }
  // The writer truncates the file and writes it again in pieces with a pause in
  // between (as `cat new > list` or an upload does), each piece ending in the
  // middle of a line, and starts over at once: only the whole file ends a line.
  std::vector<std::size_t> cuts{0};
  for (std::size_t pos = 0; pos < full.size();) {
    const std::size_t nl = full.find('\n', pos);
    cuts.push_back(pos + (nl - pos) / 2);
    pos = nl + 1;
  }
  cuts.push_back(full.size());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    const int fd = ::open(f.path.c_str(), O_WRONLY);
    while (!stop) {
      if (::ftruncate(fd, 0) != 0) break;
      ::lseek(fd, 0, SEEK_SET);
      for (std::size_t k = 1; k < cuts.size() && !stop; ++k) {
        write_all(fd, std::string_view(full).substr(cuts[k - 1], cuts[k] - cuts[k - 1]));
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    }
    ::close(fd);
  });
  int refused = 0;
  for (int i = 0; i < 8; ++i) {
    Diagnostics diags;
    const WatchList wl = load_watchlist(f.path, diags, {3, std::chrono::milliseconds(100)});
    if (!diags.empty()) {
      ++refused;
      REQUIRE(diags.size() == 1);
      CHECK_THAT(diags[0].format(),
                 Catch::StartsWith(f.path.string() + ":") &&
                     Catch::Contains("the file changed while it was read (3 tries") &&
                     Catch::Contains("rename it over this one"));
      CHECK(diags[0].line > 0);
      CHECK(wl.entities.empty());
    } else {
      CHECK(wl.entities.size() == 2000);  // a whole version, never a truncated one
    }
  }
  stop = true;
  writer.join();
  CHECK(refused > 0);
}

TEST_CASE("load_topics refuses a topics file that keeps changing while read",
          "[match][topics][reload]") {
  TempFile f("growing.topics");
  const int fd = ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write_all(fd, "a: Putin\nb: Lav");
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {  // a last line that keeps growing
      write_all(fd, "r");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  Diagnostics diags;
  const TopicFile tf = load_topics(f.path, diags, {3, std::chrono::milliseconds(100)});
  stop = true;
  writer.join();
  ::close(fd);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].line == 2);
  CHECK_THAT(diags[0].message, Catch::StartsWith("the file changed while it was read (3 tries"));
  CHECK(tf.topics.empty());
}

TEST_CASE("an alias too long to compile is echoed cut, once per field, and so is its line",
          "[match][names]") {
  const std::string name(20000, 'a');
  const std::vector<WatchList> lists{test::list_from(name + "\n", "long")};
  Diagnostics diags;
  CHECK(Rules::compile(lists, {}, diags) == nullptr);
  REQUIRE(diags.size() == 1);
  const std::string cut = std::string(80, 'a') + "... (20000 bytes)";
  CHECK_THAT(diags[0].format(), Catch::StartsWith("long.names:1: cannot compile an alias of \"" +
                                                  cut + "\" (folded \"" + cut + "\"): ") &&
                                    Catch::EndsWith("; remove or respell the alias"));
  CHECK(diags[0].format().size() < 400);
  // The line under the message: a window of 200 bytes, and the caret under its column.
  const std::string shown = render_diagnostic(Diagnostic{"long.names", 1, 5000, "x"}, name);
  CHECK(shown == "long.names:1:5000: x\n..." + std::string(200, 'a') + "... (20000 bytes)\n" +
                     std::string(103, ' ') + "^");
  CHECK(render_diagnostic(Diagnostic{"long.names", 1, 0, "x"}, name) ==
        "long.names:1: x\n" + std::string(200, 'a') + "... (20000 bytes)\n");
}

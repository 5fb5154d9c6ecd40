// Tests (daemon): log set-up: journal priority prefixes under systemd, human
// timestamps otherwise, level filtering. stderr is redirected into a pipe.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>
#include "unit/daemon/scoped_env.hpp"

#include "newshound/daemon/logging.hpp"

namespace {

using newshound::LogStyle;

/// Points fd 2 at a pipe for the scope; lines() returns what was written.
class StderrCapture {
 public:
  StderrCapture() {
    REQUIRE(::pipe(fds_) == 0);
    ::fcntl(fds_[0], F_SETFL, ::fcntl(fds_[0], F_GETFL) | O_NONBLOCK);
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    REQUIRE(saved_ >= 0);
    REQUIRE(::dup2(fds_[1], STDERR_FILENO) == STDERR_FILENO);
  }
  ~StderrCapture() { restore(); }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  /// "<device>:<inode>" of the pipe, as systemd would put in JOURNAL_STREAM.
  std::string dev_ino() const {
    struct stat st {};
    ::fstat(fds_[1], &st);
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  }

  /// Restores stderr and returns the captured lines.
  std::vector<std::string> lines() {
    restore();
    std::string all;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fds_[0], buf, sizeof buf);
      if (n <= 0) break;
      all.append(buf, static_cast<std::size_t>(n));
    }
    std::vector<std::string> out;
    std::istringstream in(all);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
    ::close(fds_[1]);
  }
  int fds_[2] = {-1, -1};
  int saved_ = -1;
};

const std::regex timestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})");

/// Sets up logging with stderr on a pipe and JOURNAL_STREAM pointing at it
/// (journal) or unset (human), logs one line per level, returns the output.
std::vector<std::string> log_each_level(const std::string& level, bool journal) {
  StderrCapture cap;
  daemon_test::ScopedEnv env("JOURNAL_STREAM",
                             journal ? std::optional(cap.dev_ino()) : std::nullopt);
  newshound::setup_logging(level);
  spdlog::trace("trace: Édouard’s feed opened");
  spdlog::debug("debug: 3 aliases for NATO");
  spdlog::info("info: LAVROV’S REMARKS — “no comment” matched 2 lists");
  spdlog::warn("warn: people.names:4: alias \"U.S.\" shadows an entity");
  spdlog::error("error: tcp sink 127.0.0.1:7400: connection refused");
  spdlog::critical("critical: out of file descriptors");
  auto out = cap.lines();
  newshound::setup_logging("info");  // leave the default logger on real stderr
  return out;
}

}  // namespace

TEST_CASE("logging: under the journal a warning starts with <4> and has no timestamp",
          "[daemon][logging]") {
  const auto lines = log_each_level("info", true);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "<6>info: LAVROV’S REMARKS — “no comment” matched 2 lists");
  CHECK(lines[1] == "<4>warn: people.names:4: alias \"U.S.\" shadows an entity");
  CHECK(lines[2] == "<3>error: tcp sink 127.0.0.1:7400: connection refused");
  CHECK(lines[3] == "<2>critical: out of file descriptors");
  for (const auto& l : lines) CHECK_FALSE(std::regex_search(l, timestamp));
}

TEST_CASE("logging: trace and debug map to priority 7", "[daemon][logging]") {
  const auto lines = log_each_level("trace", true);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "<7>trace: Édouard’s feed opened");
  CHECK(lines[1] == "<7>debug: 3 aliases for NATO");
  CHECK(lines[5].rfind("<2>", 0) == 0);
}

TEST_CASE("logging: outside systemd lines carry a timestamp and the level name",
          "[daemon][logging]") {
  const auto lines = log_each_level("warn", false);
  REQUIRE(lines.size() == 3);
  const std::regex warn_line(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3} warning warn: people\.names:4: .*)");
  CHECK(std::regex_match(lines[0], warn_line));
  CHECK(lines[1].find(" error error: tcp sink") != std::string::npos);
  for (const auto& l : lines) {
    CHECK(std::regex_search(l, timestamp));
    CHECK(l[0] != '<');
  }
}

TEST_CASE("logging: JOURNAL_STREAM naming another file means human lines", "[daemon][logging]") {
  // systemd set JOURNAL_STREAM, but stderr was redirected somewhere else.
  StderrCapture cap;
  daemon_test::ScopedEnv env("JOURNAL_STREAM", "1:1");
  CHECK(newshound::detect_log_style() == LogStyle::human);
  daemon_test::ScopedEnv garbage("JOURNAL_STREAM", "not-a-dev-ino");
  CHECK(newshound::detect_log_style() == LogStyle::human);
  daemon_test::ScopedEnv right("JOURNAL_STREAM", cap.dev_ino());
  CHECK(newshound::detect_log_style() == LogStyle::journal);
}

TEST_CASE("logging: the level filters lines", "[daemon][logging]") {
  SECTION("error keeps error and critical") {
    const auto lines = log_each_level("error", true);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].rfind("<3>", 0) == 0);
    CHECK(lines[1].rfind("<2>", 0) == 0);
  }
  SECTION("off drops everything") {
    CHECK(log_each_level("off", true).empty());
  }
  SECTION("an unknown name means info") {
    const auto lines = log_each_level("verbose", true);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].rfind("<6>info:", 0) == 0);
  }
}

TEST_CASE("logging: level names", "[daemon][logging]") {
  using spdlog::level::level_enum;
  CHECK(newshound::parse_log_level("trace") == level_enum::trace);
  CHECK(newshound::parse_log_level("debug") == level_enum::debug);
  CHECK(newshound::parse_log_level("info") == level_enum::info);
  CHECK(newshound::parse_log_level("warn") == level_enum::warn);
  CHECK(newshound::parse_log_level("warning") == level_enum::warn);
  CHECK(newshound::parse_log_level("error") == level_enum::err);
  CHECK(newshound::parse_log_level("critical") == level_enum::critical);
  CHECK(newshound::parse_log_level("off") == level_enum::off);
  CHECK_FALSE(newshound::parse_log_level("INFO").has_value());
  CHECK_FALSE(newshound::parse_log_level("").has_value());
  CHECK(newshound::syslog_priority(level_enum::warn) == 4);
  CHECK(newshound::syslog_priority(level_enum::critical) == 2);
}

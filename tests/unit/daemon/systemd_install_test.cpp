// Tests (daemon): the generated systemd unit passes `systemd-analyze verify`
// (and an offline security score), and `cmake --install` lays out the FHS
// places. Both work on the build dir this test binary was built in.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

/// The build dir: the newshound binary is built at its top (see CMakeLists.txt).
fs::path build_dir() {
  return fs::path(NEWSHOUND_BINARY).parent_path();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A fresh directory under /tmp, removed at scope exit.
struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/newshound-systemd-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

/// Runs `cmd` through the shell with output to `out`; returns the exit status.
int run(const std::string& cmd, const fs::path& out) {
  const int rc = std::system((cmd + " >'" + out.string() + "' 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// A value from CMakeCache.txt ("NAME:TYPE=value"); empty if absent.
std::string cache_value(const std::string& name) {
  std::ifstream in(build_dir() / "CMakeCache.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + ":", 0) != 0) continue;
    const auto eq = line.find('=');
    if (eq != std::string::npos) return line.substr(eq + 1);
  }
  return {};
}

/// The value of the first `key=` line in a unit file.
std::string unit_value(const std::string& unit, const std::string& key) {
  std::istringstream in(unit);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  return "<absent>";
}

bool have_systemd_analyze() {
  return std::system("command -v systemd-analyze >/dev/null 2>&1") == 0;
}

/// The generated unit with ExecStart's binary replaced by this test binary, so
/// verify (which checks that the binary exists and is executable) works before
/// anything is installed. Written to `dir`/newshound.service.
fs::path unit_copy_for_verify(const fs::path& dir) {
  std::string unit = read_file(build_dir() / "systemd" / "newshound.service");
  REQUIRE(!unit.empty());
  const std::string exec = unit_value(unit, "ExecStart");
  const std::string installed_binary = exec.substr(0, exec.find(' '));
  REQUIRE(installed_binary.find("/newshound") != std::string::npos);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  for (auto at = unit.find(installed_binary); at != std::string::npos;
       at = unit.find(installed_binary, at + self.size()))
    unit.replace(at, installed_binary.size(), self);
  const fs::path copy = dir / "newshound.service";
  std::ofstream(copy) << unit;
  return copy;
}

}  // namespace

TEST_CASE("systemd unit: notify type, reload by SIGHUP, watchdog, sandbox", "[daemon][systemd]") {
  const std::string unit = read_file(build_dir() / "systemd" / "newshound.service");
  REQUIRE(!unit.empty());
  CHECK_FALSE(std::regex_search(unit, std::regex("@[A-Z_]+@")));  // all substituted
  CHECK(unit_value(unit, "Type") == "notify");
  CHECK(unit_value(unit, "NotifyAccess") == "main");
  CHECK(unit_value(unit, "ExecReload") == "/bin/kill -HUP $MAINPID");
  CHECK(unit_value(unit, "WatchdogSec") == "30");
  CHECK(unit_value(unit, "Restart") == "on-failure");
  CHECK(unit_value(unit, "CapabilityBoundingSet").empty());
  CHECK(unit_value(unit, "ProtectSystem") == "strict");
  CHECK(unit_value(unit, "RestrictAddressFamilies") == "AF_INET AF_INET6 AF_UNIX");
  // A memory limit tied to memory_budget_bytes, and address guidance left to the
  // operator (commented out: the unit cannot know the config's peers).
  CHECK(unit_value(unit, "MemoryMax") == "4500M");
  CHECK(unit.find("memory_budget_bytes") != std::string::npos);
  CHECK(unit.find("\n#IPAddressDeny=any\n") != std::string::npos);
  CHECK(unit.find("\n#IPAddressAllow=localhost\n") != std::string::npos);
  // The binary and config the unit starts are the ones `cmake --install` writes.
  const std::string prefix = cache_value("CMAKE_INSTALL_PREFIX");
  const std::string etc = prefix == "/usr" ? "/etc" : prefix + "/etc";
  CHECK(unit_value(unit, "ExecStart") ==
        prefix + "/bin/newshound run --config " + etc + "/newshound/newshound.toml");
}

TEST_CASE("systemd unit: systemd-analyze verify and security accept it", "[daemon][systemd]") {
  if (!have_systemd_analyze()) {
    std::cout << "SKIPPED: systemd-analyze is not installed; cannot verify the unit\n";
    WARN("SKIPPED: systemd-analyze is not installed");
    return;
  }
  TempDir tmp;
  const fs::path unit = unit_copy_for_verify(tmp.path);
  const fs::path out = tmp.path / "verify.out";
  // verify exits 0 on unknown keys and bad values ("..., ignoring"), so any
  // message about the unit counts as a failure too.
  const int rc = run("systemd-analyze verify '" + unit.string() + "'", out);
  const std::string text = read_file(out);
  INFO("systemd-analyze verify said:\n" << text);
  CHECK(rc == 0);
  CHECK(text.find("newshound.service") == std::string::npos);

  // Offline exposure score (0 best .. 10 worst): fail above 2.0 ("OK" band).
  const int sec =
      run("systemd-analyze security --offline=yes --threshold=20 '" + unit.string() + "'", out);
  INFO("systemd-analyze security said:\n" << read_file(out));
  CHECK(sec == 0);
}

TEST_CASE("systemd unit: verify catches a broken unit", "[daemon][systemd]") {
  if (!have_systemd_analyze()) {
    std::cout << "SKIPPED: systemd-analyze is not installed\n";
    return;
  }
  // Guards the test above: the same check must reject a unit with a typo.
  TempDir tmp;
  const fs::path unit = unit_copy_for_verify(tmp.path);
  std::ofstream(unit, std::ios::app) << "[Service]\nProtectSytem=strict\n";
  const fs::path out = tmp.path / "verify.out";
  run("systemd-analyze verify '" + unit.string() + "'", out);
  CHECK(read_file(out).find("ProtectSytem") != std::string::npos);
}

TEST_CASE("install: cmake --install lays out the FHS places", "[daemon][install]") {
  if (!fs::exists(NEWSHOUND_BINARY)) {
    std::cout << "SKIPPED: " << NEWSHOUND_BINARY << " is not built; build target newshound\n";
    WARN("SKIPPED: the newshound binary is not built");
    return;
  }
  TempDir dest;
  const fs::path out = dest.path / "install.out";
  // DESTDIR keeps the configured prefix (and /etc for prefix /usr) inside the temp dir.
  const int rc = run("DESTDIR='" + (dest.path / "root").string() + "' cmake --install '" +
                         build_dir().string() + "'",
                     out);
  INFO("cmake --install said:\n" << read_file(out));
  REQUIRE(rc == 0);

  const std::string prefix = cache_value("CMAKE_INSTALL_PREFIX");
  REQUIRE(!prefix.empty());
  const fs::path root = dest.path / "root";
  const fs::path pre = root / fs::path(prefix).relative_path();
  const fs::path etc = prefix == "/usr" ? root / "etc" : pre / "etc";

  const fs::path bin = pre / "bin" / "newshound";
  CHECK(fs::is_regular_file(bin));
  CHECK((fs::status(bin).permissions() & fs::perms::owner_exec) != fs::perms::none);
  const fs::path unit = pre / "lib" / "systemd" / "system" / "newshound.service";
  REQUIRE(fs::is_regular_file(unit));
  CHECK(read_file(unit) == read_file(build_dir() / "systemd" / "newshound.service"));
  CHECK(read_file(etc / "newshound" / "newshound.toml") ==
        read_file(fs::path(NEWSHOUND_SOURCE_DIR) / "config" / "newshound.toml"));
  for (const char* list : {"people.names", "organisations.names", "places.names"})
    CHECK(fs::is_regular_file(etc / "newshound" / "watchlists" / list));
  CHECK(fs::is_regular_file(pre / "share" / "doc" / "newshound" / "operations.md"));
  CHECK(fs::is_regular_file(pre / "share" / "doc" / "newshound" / "configuration.md"));
  CHECK(fs::is_regular_file(pre / "share" / "doc" / "newshound" / "README.md"));
  // Nothing escaped to /usr/etc (GNUInstallDirs' relative sysconfdir under /usr).
  CHECK_FALSE(fs::exists(root / "usr" / "etc"));
}

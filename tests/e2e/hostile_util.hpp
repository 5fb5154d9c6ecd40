// Tests (end-to-end, hostile input): a real daemon with one TCP input, the admin
// endpoint and one TCP output, plus probes for its /metrics, its resident memory
// (from /proc) and a "good article still alerts" check. Only 127.0.0.1 is used.
#pragma once

#include <sys/resource.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>

#include "e2e/harness.hpp"

namespace e2e::hostile {

/// The daemon under test runs under ASan / TSan (see e2e::bin_sanitizer).
inline const bool kAsan = bin_sanitizer == "address";
inline const bool kTsan = bin_sanitizer == "thread";
/// ASan shadow memory and its quarantine (256 MiB by default) inflate RSS.
inline const std::uint64_t kRssBoundKiB = kAsan ? 1536 * 1024 : 512 * 1024;

/// The daemon's max_line_bytes in every hostile test.
inline constexpr std::size_t kMaxLine = 1 << 20;

/// Prometheus text -> {"name{labels}": value}, comments skipped.
inline std::map<std::string, double> parse_metrics(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    out[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  return out;
}

/// Memory figures of a process from /proc/<pid>/status, in KiB (0 when absent).
struct Memory {
  std::uint64_t rss_kib = 0;   ///< VmRSS: resident now
  std::uint64_t peak_kib = 0;  ///< VmHWM: highest resident so far
};
inline Memory memory_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  Memory m;
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("VmRSS:", 0) == 0) m.rss_kib = std::stoull(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) m.peak_kib = std::stoull(line.substr(6));
  }
  return m;
}

/// The pid of our child process whose command line mentions `needle` (0 if none).
/// Process keeps its pid private; the config path is unique per test.
inline pid_t child_pid_with(const std::string& needle) {
  const std::string me = std::to_string(::getpid());
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = read_file(e.path() / "stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string state, ppid;
    rest >> state >> ppid;
    if (ppid != me) continue;
    std::string cmd = read_file(e.path() / "cmdline");
    if (cmd.find(needle) != std::string::npos) return static_cast<pid_t>(std::stol(name));
  }
  return 0;
}

/// Raises the soft RLIMIT_NOFILE to at least `want` (capped by the hard limit);
/// returns the soft limit now in force. Children forked later inherit it.
inline rlim_t raise_nofile(rlim_t want) {
  rlimit r{};
  ::getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < want) {
    r.rlim_cur = r.rlim_max == RLIM_INFINITY ? want : std::min(want, r.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &r);
    ::getrlimit(RLIMIT_NOFILE, &r);
  }
  return r.rlim_cur;
}

/// A JSON article line (with '\n') whose body names a watched person.
inline std::string good_article(const std::string& uri) {
  boost::json::object o;
  o["uri"] = uri;
  o["headline"] = "TALKS IN GENEVA";
  o["body_text"] = "Sergei Lavrov\u2019s aides met U.S. envoys \u2014 no deal.";
  return boost::json::serialize(o) + "\n";
}

/// The article id of an alert line ("" when it is not one).
inline std::string article_of(const std::string& alert_line) {
  boost::system::error_code ec;
  auto v = boost::json::parse(alert_line, ec);
  if (ec || !v.is_object()) return {};
  const auto* a = v.as_object().if_contains("article");
  return a != nullptr && a->is_string() ? std::string(a->as_string()) : std::string();
}

/// A daemon listening on a feed port ("feed"), with its admin endpoint on, and
/// one TCP output into `downstream`. Extra input keys go into `input_extra`; more
/// configuration (e.g. another [[watchlist]]) into `config_extra`, appended last;
/// top-level keys (e.g. the alert bounds) into `top_extra`, written first.
class Daemon {
 public:
  explicit Daemon(const std::string& input_extra = "", const std::string& config_extra = "",
                  const std::string& top_extra = "") {
    // free_port() releases the port before the daemon binds it, so another
    // process may take it in between: a daemon that exits because its address
    // is in use is started again on fresh ports.
    for (int attempt = 0; attempt < 5; ++attempt) {
      start(input_extra, config_extra, top_extra);
      if (wait_ready() || log().find("in use") == std::string::npos) return;
    }
  }

  std::uint16_t in_port() const { return in_port_; }
  const std::string& config_path() const { return config_; }
  /// SIGHUP: reload the config and watch-lists.
  void reload() { proc_->signal(SIGHUP); }
  bool alive() { return proc_->running(); }
  std::string log() { return read_file(dir_ / "err"); }
  Memory memory() const { return memory_of(pid_); }
  pid_t pid() const { return pid_; }
  LineCollector& downstream() { return downstream_; }

  std::map<std::string, double> metrics() {
    return parse_metrics(http(admin_port_, "GET", "/metrics").body);
  }
  /// The value of one sample (-1 when missing).
  double metric(const std::string& key) {
    auto m = metrics();
    auto it = m.find(key);
    return it == m.end() ? -1 : it->second;
  }
  /// Polls until `key` reaches `at_least` or `timeout` passes; returns the last value.
  double wait_metric(const std::string& key, double at_least,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    double v = metric(key);
    while (v < at_least && std::chrono::steady_clock::now() < until && alive()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      v = metric(key);
    }
    return v;
  }

  /// Sends one good article on a fresh connection and waits for its alert;
  /// true when an alert for it arrived downstream.
  bool good_article_alerts(const std::string& uri) {
    asio::io_context io;
    tcp::socket s(io);
    if (!connect(s, in_port_)) return false;
    boost::system::error_code ec;
    asio::write(s, asio::buffer(good_article(uri)), ec);
    if (ec) return false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < until) {
      for (const auto& l : downstream_.lines())
        if (article_of(l) == uri) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  /// SIGTERM, then the exit code (0 is a clean drain; under ASan a leak or any
  /// sanitizer report makes it non-zero).
  int stop() {
    proc_->signal(SIGTERM);
    return proc_->wait(std::chrono::seconds(60));
  }

 private:
  void start(const std::string& input_extra, const std::string& config_extra,
             const std::string& top_extra) {
    in_port_ = free_port();
    admin_port_ = free_port();
    const std::string src = NEWSHOUND_SOURCE_DIR;
    config_ = (dir_ / "hostile.toml").string();
    write_file(config_,
               top_extra + "[[input]]\ntype = \"tcp\"\nname = \"feed\"\nlisten = \"127.0.0.1:" +
                   std::to_string(in_port_) + "\"\nmax_line_bytes = " + std::to_string(kMaxLine) +
                   "\n" + input_extra +
                   "\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port_) +
                   "\"\n[[output]]\nstories = \"all\"\ntype = \"tcp\"\nname = \"down\"\n"
                   "connect = \"127.0.0.1:" +
                   std::to_string(downstream_.port()) +
                   "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n"
                   "[[watchlist]]\npath = \"" +
                   src + "/config/watchlists/people.names\"\n" + config_extra);
    proc_.reset();
    proc_.emplace(std::vector<std::string>{bin, "run", "--config", config_}, dir_ / "out",
                  dir_ / "err");
    // Until exec() the child's command line is still ours: poll briefly.
    pid_ = 0;
    for (int i = 0; i < 500 && pid_ == 0; ++i) {
      pid_ = child_pid_with(config_);
      if (pid_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  /// Waits (generously: sanitizer builds start slowly) until the daemon logs
  /// that it is ready; false when it exited or never got there.
  bool wait_ready() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < until) {
      if (log().find("ready:") != std::string::npos) return true;
      if (!alive()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  TempDir dir_;
  LineCollector downstream_;
  std::uint16_t in_port_ = 0, admin_port_ = 0;
  std::string config_;
  std::optional<Process> proc_;
  pid_t pid_ = 0;
};

/// splitmix64: fast, seeded, reproducible bytes without holding them all.
struct RandomBytes {
  std::uint64_t state;
  explicit RandomBytes(std::uint64_t seed) : state(seed) {}
  void fill(char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; i += 8) {
      std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
      std::memcpy(p + i, &z, std::min<std::size_t>(8, n - i));
    }
  }
};

/// Writes all of `data` to a connected socket with plain send(2) (1 s send
/// timeout per call) until `deadline`; false on error or when time runs out, so
/// a daemon that stops reading cannot hang the test.
inline bool send_all(tcp::socket& s, std::string_view data,
                     std::chrono::steady_clock::time_point deadline) {
  const int fd = s.native_handle();
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  while (!data.empty()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace e2e::hostile

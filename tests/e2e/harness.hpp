// Tests (end-to-end): start the real newshound binary as a child process and talk
// to it over loopback sockets. Only 127.0.0.1 is ever used.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace e2e {

namespace asio = boost::asio;
using asio::ip::tcp;
namespace fs = std::filesystem;

/// A scratch directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-e2e-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

inline void write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// A child process with stdin from `stdin_path` (or /dev/null) and stdout/stderr
/// to files. The destructor kills it if it is still running.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err,
          const fs::path& in = "/dev/null",
          const std::vector<std::pair<std::string, std::string>>& env = {}) {
    pid_ = ::fork();
    if (pid_ == 0) {
      for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
      int i = ::open(in.c_str(), O_RDONLY);
      int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(i, 0);
      ::dup2(o, 1);
      ::dup2(e, 2);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Process() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  bool running() {
    if (status_ >= 0) return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      status_ = st;
      return false;
    }
    return true;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  /// Waits up to `timeout` for exit; returns the exit code, or -1 on timeout,
  /// or 128+signal if it died from a signal.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (running()) {
      if (std::chrono::steady_clock::now() > until) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    return 128 + WTERMSIG(status_);
  }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

/// Runs argv to completion with `input` on stdin; returns exit code, stdout, stderr.
struct RunResult {
  int code;
  std::string out, err;
};
inline RunResult run(const std::vector<std::string>& argv, const std::string& input = "") {
  TempDir dir;
  write_file(dir / "in", input);
  Process p(argv, dir / "out", dir / "err", dir / "in");
  int code = p.wait(std::chrono::seconds(120));
  return {code, read_file(dir / "out"), read_file(dir / "err")};
}

/// A free loopback port (bound, read and released: the OS will not hand it out
/// again immediately).
inline std::uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

/// Connects to 127.0.0.1:port, retrying for up to `timeout`.
inline bool connect(tcp::socket& s, std::uint16_t port,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    boost::system::error_code ec;
    s.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
    if (!ec) return true;
    s.close(ec);
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

/// A TCP server on 127.0.0.1 that accepts connections one after another and
/// collects every line it receives, on a background thread.
class LineCollector {
 public:
  explicit LineCollector(std::uint16_t port = 0)
      : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), port)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~LineCollector() {
    stop_ = true;
    // shutdown(), unlike close(), wakes a thread blocked in accept() or recv().
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    {
      std::lock_guard l(mu_);
      boost::system::error_code ec;
      if (current_) current_->shutdown(tcp::socket::shutdown_both, ec);
    }
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  /// Connections accepted so far.
  std::size_t connections() const { return connections_; }
  std::vector<std::string> lines() {
    std::lock_guard l(mu_);
    return lines_;
  }
  /// Waits until at least n lines arrived (or timeout); returns the lines.
  std::vector<std::string> wait_for(std::size_t n,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (lines().size() < n && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return lines();
  }

 private:
  void serve() {
    while (!stop_) {
      auto sock = std::make_shared<tcp::socket>(io_);
      boost::system::error_code ec;
      acceptor_.accept(*sock, ec);
      if (ec) return;
      {
        std::lock_guard l(mu_);
        current_ = sock;
      }
      ++connections_;
      asio::streambuf buf;
      for (;;) {
        std::size_t n = asio::read_until(*sock, buf, '\n', ec);
        if (ec) break;
        std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + n - 1);
        buf.consume(n);
        std::lock_guard l(mu_);
        lines_.push_back(std::move(line));
      }
    }
  }
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::mutex mu_;
  std::shared_ptr<tcp::socket> current_;
  std::vector<std::string> lines_;
};

/// Waits (bounded) until the file at `p` contains `needle`, e.g. a child's
/// "listening" line in its stderr file. False on timeout.
inline bool wait_for_text(const fs::path& p, const std::string& needle,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (read_file(p).find(needle) == std::string::npos) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

/// The complete ('\n'-ended), non-empty lines of the file at `p`, without their
/// '\n'. A last line without one is left out: the writing process may be in the
/// middle of it (a writev is not atomic for a reader).
inline std::vector<std::string> complete_lines(const fs::path& p) {
  std::vector<std::string> out;
  const std::string text = read_file(p);
  std::size_t at = 0;
  for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
    if (nl > at) out.push_back(text.substr(at, nl - at));
  return out;
}

/// Follows a file another process appends to: poll() returns the complete lines
/// (without their '\n') added since the last call; a partial last line waits for
/// its newline. Reads only the new bytes.
class FileTail {
 public:
  explicit FileTail(fs::path p) : path_(std::move(p)) {}
  std::vector<std::string> poll() {
    std::vector<std::string> out;
    std::ifstream f(path_, std::ios::binary);
    if (!f) return out;
    f.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    offset_ += chunk.size();
    partial_ += chunk;
    std::size_t start = 0, nl;
    while ((nl = partial_.find('\n', start)) != std::string::npos) {
      out.push_back(partial_.substr(start, nl - start));
      start = nl + 1;
    }
    partial_.erase(0, start);
    return out;
  }

 private:
  fs::path path_;
  std::uint64_t offset_ = 0;
  std::string partial_;
};

/// The binary under test: $NEWSHOUND_E2E_BINARY when set (scripts/test.sh runs
/// these tests against the daemon and tools of a sanitizer build, see
/// docs/testing.md), else the one CMake built beside them; its folder holds the
/// tools (newshound-replay, -receive, -feedserve) the tests run.
inline const std::string bin = [] {
  const char* env = std::getenv("NEWSHOUND_E2E_BINARY");
  return std::string(env != nullptr && *env != '\0' ? env : NEWSHOUND_BINARY);
}();
/// The sanitizer the binary under test was built with: "address", "thread" or ""
/// ($NEWSHOUND_E2E_SANITIZER, else this test binary's own).
inline const std::string bin_sanitizer = [] {
  if (const char* env = std::getenv("NEWSHOUND_E2E_SANITIZER")) return std::string(env);
#if defined(__SANITIZE_ADDRESS__)
  return std::string("address");
#elif defined(__SANITIZE_THREAD__)
  return std::string("thread");
#else
  return std::string();
#endif
}();
/// The source tree (CMake passes it).
inline const std::string src = NEWSHOUND_SOURCE_DIR;
/// The shipped example watch-lists.
inline const std::string people = src + "/config/watchlists/people.names";
inline const std::string places = src + "/config/watchlists/places.names";

/// One NDJSON article line: uri, headline (left out when empty) and body, in that
/// order, with Boost.JSON escaping.
inline std::string article(const std::string& id, const std::string& body,
                           const std::string& headline = {}) {
  boost::json::object o;
  o["uri"] = id;
  if (!headline.empty()) o["headline"] = headline;
  o["body_text"] = body;
  return boost::json::serialize(o) + "\n";
}

/// Alert NDJSON without the two timestamps (the only bytes that depend on when it ran).
inline std::string without_times(const std::string& out) {
  static const std::regex stamps("\"(received_at|alerted_at)\":\"[^\"]*\"");
  return std::regex_replace(out, stamps, "\"$1\":\"\"");
}

/// A config block that turns the admin endpoint off (its default port is fixed,
/// and tests run in parallel).
inline const std::string admin_off = "[admin]\nlisten = \"\"\n";

/// HTTP/1.1 request to 127.0.0.1:port, with `headers` ("Name: value\r\n" each)
/// added; returns (status, body, the response's header block). Status 0 when the
/// connection failed.
struct HttpReply {
  int status = 0;
  std::string body;
  std::string head;
};
inline HttpReply http(std::uint16_t port, const std::string& method, const std::string& path,
                      const std::string& headers = "") {
  asio::io_context io;
  tcp::socket s(io);
  if (!connect(s, port)) return {};
  std::string req = method + " " + path +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n" +
                    headers + "\r\n";
  boost::system::error_code ec;
  asio::write(s, asio::buffer(req), ec);
  std::string resp;
  char buf[4096];
  for (;;) {
    std::size_t n = s.read_some(asio::buffer(buf), ec);
    resp.append(buf, n);
    if (ec) break;
  }
  HttpReply r;
  if (resp.size() > 12) r.status = std::atoi(resp.c_str() + 9);
  auto body = resp.find("\r\n\r\n");
  if (body != std::string::npos) {
    r.body = resp.substr(body + 4);
    r.head = resp.substr(0, body + 2);
  }
  return r;
}

}  // namespace e2e

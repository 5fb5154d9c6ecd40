// Tests (end-to-end): the systemd notify protocol as the real daemon speaks it,
// received on a fake NOTIFY_SOCKET (a Unix datagram socket made by the test).
#include <sys/socket.h>
#include <sys/un.h>

#include <catch2/catch.hpp>

#include "e2e/harness.hpp"

namespace {
using e2e::bin;
using e2e::src;

/// Receives datagrams on a socket bound to `path`, on a background thread.
class NotifySocket {
 public:
  explicit NotifySocket(const e2e::fs::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    thread_ = std::thread([this] {
      char buf[4096];
      while (!stop_) {
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) continue;
        std::lock_guard l(mu_);
        messages_.emplace_back(buf, static_cast<std::size_t>(n));
      }
    });
  }
  ~NotifySocket() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  /// Waits until `count` messages contain `needle`; returns how many did.
  std::size_t wait_for(const std::string& needle, std::size_t count = 1) {
    std::size_t n = 0;
    for (int i = 0; i < 1000; ++i) {
      n = 0;
      {
        std::lock_guard l(mu_);
        for (const auto& m : messages_) n += m.find(needle) != std::string::npos;
      }
      if (n >= count) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return n;
  }

 private:
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> messages_;
};
}  // namespace

TEST_CASE("daemon: READY, STATUS, WATCHDOG, RELOADING and STOPPING reach the notify socket") {
  e2e::TempDir dir;
  NotifySocket sock(dir / "notify");
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "n.toml",
                  "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n" + e2e::admin_off + "[[watchlist]]\npath = \"" + src +
                      "/config/watchlists/people.names\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out", dir / "err",
                      "/dev/null",
                      {{"NOTIFY_SOCKET", (dir / "notify").string()}, {"WATCHDOG_USEC", "200000"}});
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(sock.wait_for("READY=1") == 1);
  // READY only once the listener is bound: a client can connect right away.
  e2e::asio::io_context io;
  e2e::tcp::socket s(io);
  CHECK(e2e::connect(s, in_port, std::chrono::milliseconds(1)));
  CHECK(sock.wait_for("STATUS=") >= 1);
  CHECK(sock.wait_for("WATCHDOG=1", 3) >= 3);

  daemon.signal(SIGHUP);
  CHECK(sock.wait_for("RELOADING=1") == 1);
  CHECK(sock.wait_for("MONOTONIC_USEC=") == 1);
  CHECK(sock.wait_for("READY=1", 2) == 2);

  daemon.signal(SIGTERM);
  CHECK(sock.wait_for("STOPPING=1") == 1);
  CHECK(daemon.wait() == 0);
}

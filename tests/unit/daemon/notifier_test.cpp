// Tests (daemon): the systemd notify protocol, against a fake NOTIFY_SOCKET (a
// Unix datagram socket in a temp dir, as systemd would provide).
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/datagram_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>
#include "unit/daemon/scoped_env.hpp"

#include "newshound/daemon/notifier.hpp"

namespace {

namespace asio = boost::asio;
using newshound::Notifier;

unsigned long long monotonic_usec() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL +
         static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
}

/// What systemd does for a Type=notify service: a datagram socket whose path
/// is in NOTIFY_SOCKET. Receives on `io` (async) or synchronously.
class FakeNotifySocket {
 public:
  explicit FakeNotifySocket(asio::io_context& io) : socket_(io) {
    char tmpl[] = "/tmp/newshound-notify-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "notify.sock").string();
    socket_.open();
    socket_.bind(asio::local::datagram_protocol::endpoint(path_));
    env_.emplace("NOTIFY_SOCKET", path_);
  }
  ~FakeNotifySocket() {
    env_.reset();
    boost::system::error_code ec;
    socket_.close(ec);
    std::error_code fec;
    std::filesystem::remove_all(dir_, fec);
  }

  /// The next datagram, waiting up to 10 s (a generous bound, not a timing check).
  std::string receive() {
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, 0);
    if (n < 0) return "<nothing received>";
    return std::string(buf, static_cast<std::size_t>(n));
  }

  /// Datagrams already queued, without waiting.
  std::vector<std::string> drain() {
    std::vector<std::string> out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0) break;
      out.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

  asio::local::datagram_protocol::socket& socket() { return socket_; }

 private:
  asio::local::datagram_protocol::socket socket_;
  std::filesystem::path dir_;
  std::string path_;
  std::optional<daemon_test::ScopedEnv> env_;
};

}  // namespace

TEST_CASE("notifier: every call is a no-op without NOTIFY_SOCKET", "[daemon][notifier]") {
  daemon_test::ScopedEnv no_socket("NOTIFY_SOCKET", std::nullopt);
  daemon_test::ScopedEnv usec("WATCHDOG_USEC", "200000");
  daemon_test::ScopedEnv pid("WATCHDOG_PID", std::to_string(::getpid()));
  Notifier n;
  CHECK_FALSE(Notifier::enabled());
  n.ready();
  n.reloading();
  n.status("idle");
  n.stopping();
  asio::io_context io;
  CHECK(n.start_watchdog(io).count() == 0);
  // Nothing was scheduled, so the loop has no work and returns at once.
  CHECK(io.run() == 0);
}

TEST_CASE("notifier: READY, STOPPING and STATUS reach the socket", "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  Notifier n;
  REQUIRE(Notifier::enabled());

  n.ready();
  CHECK(sock.receive() == "READY=1");
  n.status("12.5 articles/s, 0.4 alerts/s, rules v7 — last error: none");
  CHECK(sock.receive() == "STATUS=12.5 articles/s, 0.4 alerts/s, rules v7 — last error: none");
  n.stopping();
  CHECK(sock.receive() == "STOPPING=1");
}

TEST_CASE("notifier: a newline in STATUS cannot inject another assignment", "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  Notifier n;
  n.status("reload failed: people.names:4: bad alias\nREADY=1\r\nSTOPPING=1");
  const std::string got = sock.receive();
  CHECK(got == "STATUS=reload failed: people.names:4: bad alias READY=1  STOPPING=1");
  CHECK(got.find('\n') == std::string::npos);
}

TEST_CASE("notifier: RELOADING carries the CLOCK_MONOTONIC time in microseconds",
          "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  Notifier n;
  const auto before = monotonic_usec();
  n.reloading();
  const auto after = monotonic_usec();
  const std::string got = sock.receive();
  const std::string head = "RELOADING=1\nMONOTONIC_USEC=";
  REQUIRE(got.rfind(head, 0) == 0);
  const std::string digits = got.substr(head.size());
  REQUIRE(!digits.empty());
  REQUIRE(digits.find_first_not_of("0123456789") == std::string::npos);
  const auto usec = std::stoull(digits);
  CHECK(usec >= before);
  CHECK(usec <= after);
  n.ready();
  CHECK(sock.receive() == "READY=1");
}

TEST_CASE("notifier: the watchdog pings repeatedly while the loop runs, then stops",
          "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  daemon_test::ScopedEnv usec("WATCHDOG_USEC", "200000");
  daemon_test::ScopedEnv pid("WATCHDOG_PID", std::to_string(::getpid()));
  Notifier n;

  const auto every = n.start_watchdog(io);
  CHECK(every == std::chrono::microseconds(100000));

  // Count pings as they arrive, on the same loop; stop after three.
  int pings = 0;
  std::vector<std::string> others;
  char buf[512];
  asio::steady_timer give_up(io);
  give_up.expires_after(std::chrono::seconds(20));
  give_up.async_wait([&](boost::system::error_code ec) {
    if (!ec) io.stop();
  });
  std::function<void()> read_next = [&] {
    sock.socket().async_receive(asio::buffer(buf),
                                [&](boost::system::error_code ec, std::size_t n_read) {
                                  if (ec) return;
                                  std::string msg(buf, n_read);
                                  if (msg == "WATCHDOG=1")
                                    ++pings;
                                  else
                                    others.push_back(msg);
                                  if (pings >= 3) {
                                    n.stop_watchdog();
                                    give_up.cancel();
                                    return;
                                  }
                                  read_next();
                                });
  };
  read_next();
  io.run();
  CHECK(pings >= 3);
  CHECK(others.empty());

  // After stop_watchdog the timer is gone: the loop has no work left, and no
  // ping is sent while it keeps running for a few intervals.
  io.restart();
  CHECK(io.run_for(std::chrono::milliseconds(350)) == 0);
  CHECK(sock.drain().empty());
}

TEST_CASE("notifier: destroying the notifier with a ping pending is safe", "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  daemon_test::ScopedEnv usec("WATCHDOG_USEC", "200000");
  daemon_test::ScopedEnv pid("WATCHDOG_PID", std::to_string(::getpid()));
  {
    Notifier n;
    REQUIRE(n.start_watchdog(io).count() > 0);
    CHECK(sock.receive() == "WATCHDOG=1");  // the first ping goes out at once
  }
  // The cancelled wait completes without touching the dead notifier (ASan
  // would report it) and nothing re-arms, so run() returns.
  io.run();
  CHECK(sock.drain().empty());
}

TEST_CASE("notifier: no watchdog when WATCHDOG_PID names another process", "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  daemon_test::ScopedEnv usec("WATCHDOG_USEC", "200000");
  daemon_test::ScopedEnv pid("WATCHDOG_PID", std::to_string(::getpid() + 1));
  Notifier n;
  CHECK(n.start_watchdog(io).count() == 0);
  CHECK(io.run() == 0);
  CHECK(sock.drain().empty());
}

TEST_CASE("notifier: no watchdog when WATCHDOG_USEC is unset", "[daemon][notifier]") {
  asio::io_context io;
  FakeNotifySocket sock(io);
  daemon_test::ScopedEnv usec("WATCHDOG_USEC", std::nullopt);
  Notifier n;
  CHECK(n.start_watchdog(io).count() == 0);
  CHECK(io.run() == 0);
}

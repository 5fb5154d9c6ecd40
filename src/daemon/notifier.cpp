// Daemon: the systemd notify protocol (sd_notify) and the watchdog keep-alive.
#include "newshound/daemon/notifier.hpp"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace newshound {

struct Notifier::Watchdog {
  explicit Watchdog(boost::asio::io_context& io, std::chrono::microseconds every)
      : timer(io), interval(every) {}
  boost::asio::steady_timer timer;
  std::chrono::microseconds interval;
};

namespace {

void send(const char* message) noexcept {
  // unset_environment = 0: later calls (reload, stop) still need NOTIFY_SOCKET.
  // Errors are ignored: the manager may be gone, the daemon carries on.
  (void)sd_notify(0, message);
}

}  // namespace

/// Pings now and re-arms itself; holds only a weak reference, so a stopped or
/// destroyed watchdog turns a queued completion into a no-op. If re-arming
/// fails (out of memory) the pings stop and systemd restarts the service.
void Notifier::ping_and_arm(const std::shared_ptr<Watchdog>& wd) noexcept {
  send("WATCHDOG=1");
  try {
    wd->timer.expires_after(wd->interval);
    std::weak_ptr<Watchdog> weak = wd;
    wd->timer.async_wait([weak](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      ping_and_arm(self);
    });
  } catch (...) {
  }
}

Notifier::~Notifier() {
  stop_watchdog();
}

bool Notifier::enabled() noexcept {
  const char* s = std::getenv("NOTIFY_SOCKET");
  return s && *s;
}

void Notifier::ready() noexcept {
  send("READY=1");
}

void Notifier::stopping() noexcept {
  send("STOPPING=1");
}

void Notifier::reloading() noexcept {
  if (!enabled()) return;
  // systemd matches MONOTONIC_USEC against its own CLOCK_MONOTONIC reading.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL +
                    static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
  char msg[64];
  std::snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%llu", usec);
  send(msg);
}

void Notifier::status(std::string_view line) noexcept {
  if (!enabled()) return;
  try {
    std::string msg;
    msg.reserve(7 + line.size());
    msg += "STATUS=";
    for (char c : line) msg += (c == '\n' || c == '\r') ? ' ' : c;
    send(msg.c_str());
  } catch (...) {  // std::bad_alloc: a status line is not worth dying for
  }
}

std::chrono::microseconds Notifier::start_watchdog(boost::asio::io_context& io) noexcept {
  stop_watchdog();
  std::uint64_t usec = 0;
  if (!enabled() || sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
    return std::chrono::microseconds{0};
  // Half the timeout, as sd_watchdog_enabled(3) recommends; at least 1 µs.
  const std::chrono::microseconds every{usec / 2 > 0 ? usec / 2 : 1};
  try {
    watchdog_ = std::make_shared<Watchdog>(io, every);
  } catch (...) {
    watchdog_.reset();
    return std::chrono::microseconds{0};
  }
  ping_and_arm(watchdog_);
  return every;
}

void Notifier::stop_watchdog() noexcept {
  if (!watchdog_) return;
  try {
    watchdog_->timer.cancel();
  } catch (...) {  // cancel only throws on an OS error; the reset below still stops pings
  }
  watchdog_.reset();
}

}  // namespace newshound

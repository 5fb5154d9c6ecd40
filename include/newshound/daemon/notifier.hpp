// Daemon: the systemd notify protocol (sd_notify): READY, RELOADING, STOPPING,
// STATUS and the watchdog keep-alive sent from the event loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string_view>

namespace newshound {

/// Talks to the service manager through libsystemd's sd_notify. Every call is a
/// no-op when NOTIFY_SOCKET is unset (not started by systemd), never throws, and
/// ignores send errors: the daemon must keep working if the manager goes away.
///
/// ready/reloading/stopping/status hold no state and may be called from any
/// thread. start_watchdog/stop_watchdog and the destructor belong to the thread
/// that runs the io_context given to start_watchdog (the event loop), so the
/// keep-alive proves that loop is turning: if it is stuck, pings stop and
/// systemd restarts the service.
class Notifier {
 public:
  Notifier() = default;
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  ~Notifier();

  /// True if NOTIFY_SOCKET is set, i.e. messages have somewhere to go.
  static bool enabled() noexcept;

  /// READY=1: start-up finished (rules compiled, listeners bound), or a reload
  /// finished (whether it succeeded or kept the old rules).
  void ready() noexcept;

  /// RELOADING=1 plus MONOTONIC_USEC=<CLOCK_MONOTONIC now, in µs>, as systemd
  /// requires; follow with ready() once the reload is over.
  void reloading() noexcept;

  /// STOPPING=1: shutdown (draining) has begun.
  void stopping() noexcept;

  /// STATUS=<line>: a one-line state shown by `systemctl status`. Newlines in
  /// `line` become spaces so the text cannot inject other assignments.
  void status(std::string_view line) noexcept;

  /// If systemd asked for a watchdog (sd_watchdog_enabled: WATCHDOG_USEC set,
  /// WATCHDOG_PID unset or this process), pings WATCHDOG=1 once now and then
  /// every WATCHDOG_USEC/2 from a steady_timer on `io`. Returns the ping
  /// interval, or zero when no watchdog is wanted (nothing is scheduled then).
  /// Calling it again replaces the previous timer. Call stop_watchdog() or
  /// destroy the Notifier before `io` is destroyed.
  std::chrono::microseconds start_watchdog(boost::asio::io_context& io) noexcept;

  /// Cancels the keep-alive timer; safe when none is running. A ping already
  /// queued on the loop is dropped.
  void stop_watchdog() noexcept;

 private:
  struct Watchdog;  // the timer and its interval, shared with the pending wait
  static void ping_and_arm(const std::shared_ptr<Watchdog>& wd) noexcept;
  std::shared_ptr<Watchdog> watchdog_;
};

}  // namespace newshound

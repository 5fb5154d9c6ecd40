// Utility: rate limiting for log messages that can repeat in a tight loop
// (connect failures, write errors), so a dead peer cannot flood the journal.
#pragma once

#include <chrono>
#include <cstdint>

namespace newshound {

/// Allows at most one event per `interval` and counts the ones it refused.
/// Not thread-safe: one per logging site, used from one thread (the event loop).
class RateLimiter {
 public:
  using clock = std::chrono::steady_clock;

  explicit RateLimiter(clock::duration interval = std::chrono::seconds(10)) : interval_(interval) {}

  /// True if the caller may log now. Then `*suppressed` (if given) receives how
  /// many calls were refused since the last allowed one, so the message can say
  /// "(N similar messages suppressed)". Never throws.
  bool allow(std::uint64_t* suppressed = nullptr, clock::time_point now = clock::now());

  /// Calls refused since the last allowed one.
  std::uint64_t suppressed() const { return suppressed_; }

 private:
  clock::duration interval_;
  clock::time_point last_{};
  bool any_ = false;
  std::uint64_t suppressed_ = 0;
};

}  // namespace newshound

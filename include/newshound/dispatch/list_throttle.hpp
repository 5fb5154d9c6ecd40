// Stage: dispatch. The per-output, per-watch-list throttle (`[[output]]
// max_alerts_per_minute`): how many alerts of each list an output got in the
// current minute. What is over goes into a digest (dispatch/digest_desk.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "newshound/sink/sink.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// Fixed one-minute windows per (output, list), each opened by the first alert
/// after the last one closed. Event-loop thread only; time is given by the
/// caller. Never throws except std::bad_alloc.
class ListThrottle {
 public:
  /// Whether `list` may send one more alert to `sink` at `now` (at most `limit`
  /// per window); does not count it.
  bool has_room(const Sink* sink, std::string_view list, std::uint32_t limit,
                Clock::time_point now);
  /// Counts one alert of `list` sent to `sink` (after has_room()).
  void charge(const Sink* sink, std::string_view list);
  /// Counts one alert of `list` folded for `sink` (the throttled count, metrics).
  void throttled(const Sink* sink, std::string_view list);
  /// Alerts of `list` folded for `sink` so far, per (sink, list).
  const std::map<std::pair<const Sink*, std::string>, std::uint64_t>& throttled_counts() const {
    return throttled_;
  }
  /// Forgets the windows and counts of sinks no longer routed.
  void forget_sinks(std::span<const Sink* const> removed);

 private:
  struct Window {
    Clock::time_point opened{};
    std::uint32_t sent = 0;
  };
  std::map<std::pair<const Sink*, std::string>, Window, std::less<>> windows_;
  std::map<std::pair<const Sink*, std::string>, std::uint64_t> throttled_;
};

}  // namespace newshound

// Stage: sink. The options every queued output shares: its in-memory bound and
// its retry policy.
#pragma once

#include <cstddef>

#include "newshound/util/backoff.hpp"

namespace newshound {

/// The bounded queue in front of an output, and how it retries its destination.
struct QueueOptions {
  /// Bytes of alerts waiting in memory; submit() refuses an alert beyond this
  /// (an empty queue takes any one alert, however large).
  std::size_t queue_bytes = 64u << 20;
  BackoffPolicy backoff;  ///< reconnects (tcp), retries (webhook)
  bool operator==(const QueueOptions&) const = default;
};

}  // namespace newshound

// Utility: the retry policy shared by every reconnecting input and every network
// output: capped exponential backoff with full jitter.
#pragma once

#include <chrono>

namespace newshound {

/// How long to wait between attempts: the first retry waits up to `initial`, each
/// failure doubles the bound, never beyond `max` (full jitter: a random delay in
/// [0, bound]). Plain data, as configured (`reconnect_initial_ms`, `reconnect_max_ms`).
struct BackoffPolicy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{30000};
  bool operator==(const BackoffPolicy&) const = default;
};

}  // namespace newshound

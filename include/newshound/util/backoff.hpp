// Utility: the retry policy shared by every reconnecting input and every network
// output (BackoffPolicy, plain config data) and the one place that turns it into
// delays (Backoff: capped exponential backoff with full jitter).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace newshound {

/// How long to wait between attempts: the first retry waits up to `initial`, each
/// failure doubles the bound, never beyond `max` (full jitter: a random delay in
/// [0, bound]). Plain data, as configured (`reconnect_initial_ms`, `reconnect_max_ms`).
struct BackoffPolicy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{30000};
  bool operator==(const BackoffPolicy&) const = default;
};

/// A BackoffPolicy with its attempt state: next() draws a delay in [0, bound()]
/// and doubles the bound (at most `max`); reset() goes back to `initial` (after a
/// success). Negative settings count as 0. Not thread-safe; never throws.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, std::uint32_t seed = std::random_device{}())
      : policy_(policy), rng_(seed) {
    reset();
  }

  /// The bound the next delay is drawn under: `initial` after reset(), doubled by
  /// every next(), never more than `max`.
  std::chrono::milliseconds bound() const;
  /// A delay uniform in [0, bound()] (full jitter); then doubles the bound.
  std::chrono::milliseconds next();
  /// Back to `initial`.
  void reset() { bound_ = std::max(policy_.initial, std::chrono::milliseconds(0)); }
  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  std::chrono::milliseconds bound_;
  std::minstd_rand rng_;
};

}  // namespace newshound

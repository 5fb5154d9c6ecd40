// Utility: Backoff, capped exponential delays with full jitter (see backoff.hpp).
#include "newshound/util/backoff.hpp"

#include <algorithm>

namespace newshound {

std::chrono::milliseconds Backoff::bound() const {
  return std::max(std::min(bound_, policy_.max), std::chrono::milliseconds(0));
}

std::chrono::milliseconds Backoff::next() {
  using rep = std::chrono::milliseconds::rep;
  std::uniform_int_distribution<rep> pick(0, bound().count());
  const std::chrono::milliseconds delay(pick(rng_));
  bound_ = bound_ > policy_.max / 2 ? policy_.max : bound_ * 2;  // no overflow
  return delay;
}

}  // namespace newshound

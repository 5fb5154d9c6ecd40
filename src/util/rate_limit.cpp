// Utility: rate limiting for repeated log messages (see rate_limit.hpp).
#include "newshound/util/rate_limit.hpp"

namespace newshound {

bool RateLimiter::allow(std::uint64_t* suppressed, clock::time_point now) {
  if (any_ && now - last_ < interval_) {
    ++suppressed_;
    return false;
  }
  if (suppressed != nullptr) *suppressed = suppressed_;
  suppressed_ = 0;
  last_ = now;
  any_ = true;
  return true;
}

}  // namespace newshound

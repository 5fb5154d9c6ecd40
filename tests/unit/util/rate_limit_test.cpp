// Tests (util): RateLimiter lets one event through per interval and counts the rest.
#include <catch2/catch.hpp>

#include "newshound/util/rate_limit.hpp"

using namespace newshound;
using namespace std::chrono_literals;

TEST_CASE("rate limit: one event per interval, the refused ones counted and reported") {
  RateLimiter limiter(10s);
  const RateLimiter::clock::time_point t0{1000s};
  std::uint64_t suppressed = 99;
  CHECK(limiter.allow(&suppressed, t0));  // the first event always passes
  CHECK(suppressed == 0);
  CHECK_FALSE(limiter.allow(nullptr, t0 + 1s));
  CHECK_FALSE(limiter.allow(nullptr, t0 + 9s));
  CHECK(limiter.suppressed() == 2);
  CHECK(limiter.allow(&suppressed, t0 + 10s));
  CHECK(suppressed == 2);  // the message can say "(2 similar messages suppressed)"
  CHECK(limiter.suppressed() == 0);
  CHECK_FALSE(limiter.allow(nullptr, t0 + 19s));  // the interval counts from the last allowed
  CHECK(limiter.allow(nullptr, t0 + 20s));
}

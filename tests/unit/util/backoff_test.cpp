// Utility tests. Backoff: full-jitter delays under a bound that starts at
// `initial`, doubles per attempt, stops at `max`, and resets.
#include <catch2/catch.hpp>

#include <chrono>

#include "newshound/util/backoff.hpp"

using namespace newshound;
using std::chrono::milliseconds;

TEST_CASE("Backoff bound doubles from initial up to max and resets", "[util][backoff]") {
  Backoff b({milliseconds(100), milliseconds(1000)}, 42);
  const milliseconds want[] = {milliseconds(100), milliseconds(200),  milliseconds(400),
                               milliseconds(800), milliseconds(1000), milliseconds(1000)};
  for (const auto w : want) {
    CHECK(b.bound() == w);
    const auto d = b.next();
    CHECK(d >= milliseconds(0));
    CHECK(d <= w);
  }
  b.reset();
  CHECK(b.bound() == milliseconds(100));
}

TEST_CASE("Backoff draws full jitter over [0, bound]", "[util][backoff]") {
  Backoff b({milliseconds(1000), milliseconds(1000)}, 7);
  milliseconds lo(1000), hi(0);
  for (int i = 0; i < 2000; ++i) {
    const auto d = b.next();
    REQUIRE(d >= milliseconds(0));
    REQUIRE(d <= milliseconds(1000));
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  CHECK(lo < milliseconds(100));  // spread over the whole range, not near the bound only
  CHECK(hi > milliseconds(900));
}

TEST_CASE("Backoff with zero or huge settings neither waits negative nor overflows",
          "[util][backoff]") {
  Backoff zero({milliseconds(0), milliseconds(0)}, 1);
  for (int i = 0; i < 5; ++i) CHECK(zero.next() == milliseconds(0));
  Backoff huge({milliseconds(1), milliseconds::max()}, 1);
  for (int i = 0; i < 100; ++i) huge.next();
  CHECK(huge.bound() == milliseconds::max());
  Backoff negative({milliseconds(-5), milliseconds(-1)}, 1);
  CHECK(negative.next() == milliseconds(0));
}

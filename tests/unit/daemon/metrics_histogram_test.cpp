// Daemon tests: LatencyHistogram buckets (edges inclusive, overflow, negative
// durations), sum and count, and concurrent observers losing nothing.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "newshound/util/histogram.hpp"

using newshound::LatencyHistogram;
using namespace std::chrono_literals;

TEST_CASE("bounds run from 0.1 ms to 10 s, ascending", "[metrics][histogram]") {
  CHECK(LatencyHistogram::bound_seconds(0) == Approx(0.0001));
  CHECK(LatencyHistogram::bound_seconds(LatencyHistogram::kFinite - 1) == Approx(10.0));
  for (std::size_t i = 1; i < LatencyHistogram::kFinite; ++i) {
    const double ratio =
        LatencyHistogram::bound_seconds(i) / LatencyHistogram::bound_seconds(i - 1);
    CHECK(ratio >= 2.0);
    CHECK(ratio <= 2.5);
  }
}

TEST_CASE("an empty histogram has zero everywhere", "[metrics][histogram]") {
  const LatencyHistogram h;
  const auto s = h.snapshot();
  CHECK(s.count == 0);
  CHECK(s.sum_seconds == 0);
  for (auto c : s.cumulative) CHECK(c == 0);
}

TEST_CASE("observations land in the first bucket whose bound holds them", "[metrics][histogram]") {
  LatencyHistogram h;
  h.observe(100us);        // exactly the first bound: inclusive
  h.observe(100us + 1ns);  // just above: second bucket (0.25 ms)
  h.observe(-5ms);         // clock skew: counted as zero
  h.observe(3s);           // 5 s bucket
  h.observe(10s);          // last finite bound
  h.observe(42s);          // overflow: +Inf only
  const auto s = h.snapshot();
  CHECK(s.count == 6);
  CHECK(s.cumulative[0] == 2);  // 100us and the negative one
  CHECK(s.cumulative[1] == 3);
  CHECK(s.cumulative[12] == 3);  // <= 1 s
  CHECK(s.cumulative[13] == 3);  // <= 2.5 s
  CHECK(s.cumulative[14] == 4);  // <= 5 s
  CHECK(s.cumulative[15] == 5);  // <= 10 s
  CHECK(s.cumulative[LatencyHistogram::kFinite] == 6);
  CHECK(s.sum_seconds == Approx(0.0001 + 0.000100001 + 3 + 10 + 42));
  for (std::size_t i = 1; i < s.cumulative.size(); ++i)
    CHECK(s.cumulative[i] >= s.cumulative[i - 1]);
}

TEST_CASE("concurrent observers are all counted", "[metrics][histogram]") {
  LatencyHistogram h;
  constexpr int kThreads = 4, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < kEach; ++i) h.observe(std::chrono::microseconds(50 + 1000 * t));
    });
  }
  for (auto& th : threads) th.join();
  const auto s = h.snapshot();
  CHECK(s.count == std::uint64_t(kThreads) * kEach);
  CHECK(s.cumulative[0] == kEach);  // thread 0: 50 us
  CHECK(s.sum_seconds == Approx(kEach * (50e-6 + 1050e-6 + 2050e-6 + 3050e-6)));
}

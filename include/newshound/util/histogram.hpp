// Util: a lock-free latency histogram with fixed bucket bounds, for the time from
// receipt of a line to its alert. Written from any thread, read at scrape time.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace newshound {

/// Counts durations into fixed buckets (upper bounds 0.1 ms .. 10 s, roughly x2.5
/// apart) plus an overflow bucket. observe() is wait-free (relaxed atomics) and
/// callable from any thread; snapshot() may run concurrently with it. Never throws.
class LatencyHistogram {
 public:
  /// Inclusive upper bounds of the finite buckets, in nanoseconds, ascending.
  static constexpr std::array<std::int64_t, 16> kBoundsNs = {
      100'000,       250'000,       500'000,         1'000'000,       2'500'000,   5'000'000,
      10'000'000,    25'000'000,    50'000'000,      100'000'000,     250'000'000, 500'000'000,
      1'000'000'000, 2'500'000'000, 5'000'000'000LL, 10'000'000'000LL};
  static constexpr std::size_t kFinite = kBoundsNs.size();

  /// Upper bound of finite bucket i in seconds.
  static constexpr double bound_seconds(std::size_t i) { return double(kBoundsNs[i]) / 1e9; }

  /// A consistent-enough copy for rendering. `cumulative[i]` counts observations
  /// <= bound i; `cumulative[kFinite]` is the +Inf bucket and equals `count`.
  struct Snapshot {
    std::array<std::uint64_t, kFinite + 1> cumulative{};
    double sum_seconds = 0;
    std::uint64_t count = 0;
  };

  /// Records one duration; negative durations count as zero.
  void observe(std::chrono::nanoseconds d) noexcept {
    const std::int64_t ns = d.count() < 0 ? 0 : d.count();
    std::size_t i = 0;
    while (i < kFinite && ns > kBoundsNs[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
  }

  /// Reads every bucket once. The count is the sum of the buckets read, so the
  /// +Inf bucket always equals it even while other threads observe.
  Snapshot snapshot() const noexcept {
    Snapshot s;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= kFinite; ++i) {
      running += buckets_[i].load(std::memory_order_relaxed);
      s.cumulative[i] = running;
    }
    s.count = running;
    s.sum_seconds = double(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
    return s;
  }

 private:
  std::array<std::atomic<std::uint64_t>, kFinite + 1> buckets_{};  ///< not cumulative
  std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace newshound

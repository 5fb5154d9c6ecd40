// Stage: stories. A counting filter of article ids: may_contain() answers "not
// remembered" for most ids the lifecycle does not hold without its lock or its
// hash map (the common case: an article that matched nothing). Owned by Lifecycle.
#pragma once

#include <xxhash.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace newshound {

/// One saturating 8-bit counter per slot, an id counted in the slot its hash
/// picks. add() and erase() must be serialised (the owner's lock); may_contain()
/// may run on any thread at the same time (atomic counters) and is false only
/// if no id added and not erased hashes to that slot, so it never misses an id
/// that is in. A counter that reached 255 stays there (never wrong, only slower).
/// Never throws after construction.
class IdFilter {
 public:
  /// Room for about `ids` ids: the slot count is the power of two at or above
  /// twice that, within [1024, 4194304] (one byte each).
  explicit IdFilter(std::size_t ids) : mask_(slots_for(ids) - 1) {
    counts_ = std::make_unique<std::atomic<std::uint8_t>[]>(mask_ + 1);
  }

  void add(std::string_view id) {
    std::atomic<std::uint8_t>& c = counts_[slot(id)];
    const std::uint8_t v = c.load(std::memory_order_relaxed);
    if (v != kStuck) c.store(static_cast<std::uint8_t>(v + 1), std::memory_order_release);
  }
  void erase(std::string_view id) {
    std::atomic<std::uint8_t>& c = counts_[slot(id)];
    const std::uint8_t v = c.load(std::memory_order_relaxed);
    if (v != kStuck && v != 0) c.store(static_cast<std::uint8_t>(v - 1), std::memory_order_release);
  }
  bool may_contain(std::string_view id) const {
    return counts_[slot(id)].load(std::memory_order_acquire) != 0;
  }
  std::size_t slots() const { return mask_ + 1; }

 private:
  static constexpr std::uint8_t kStuck = 255;
  static std::size_t slots_for(std::size_t ids) {
    std::size_t n = 1024;
    while (n < ids * 2 && n < (std::size_t{1} << 22)) n *= 2;
    return n;
  }
  std::size_t slot(std::string_view id) const {
    return static_cast<std::size_t>(XXH3_64bits(id.data(), id.size())) & mask_;
  }

  std::size_t mask_;
  std::unique_ptr<std::atomic<std::uint8_t>[]> counts_;
};

}  // namespace newshound

// Stage: stories. SlotLru: the recency list and free list the story index and
// the version lifecycle both keep over a vector of slots (no allocation per entry
// once the vector has grown; a freed slot is reused).
#pragma once

#include <cstdint>
#include <vector>

namespace newshound {

/// An intrusive most-recently-used list over the slots of a `std::vector<T>`
/// owned by the caller: T has `std::uint32_t lru_prev, lru_next` (kNone when
/// unlinked). Head is the most recently used, tail the next to evict. Plain
/// data, no errors; the caller keeps slot indices valid.
struct SlotLru {
  static constexpr std::uint32_t kNone = 0xffffffffu;
  std::uint32_t head = kNone, tail = kNone;
  std::vector<std::uint32_t> free;  ///< released slots, reused first

  /// A free slot: a released one, else a new default-constructed one at the end.
  template <class T>
  std::uint32_t allocate(std::vector<T>& slots) {
    if (!free.empty()) {
      const std::uint32_t i = free.back();
      free.pop_back();
      return i;
    }
    slots.emplace_back();
    return static_cast<std::uint32_t>(slots.size() - 1);
  }
  /// Makes `slot` the most recently used (it must not be linked).
  template <class T>
  void link_front(std::vector<T>& slots, std::uint32_t slot) {
    T& e = slots[slot];
    e.lru_prev = kNone;
    e.lru_next = head;
    if (head != kNone) slots[head].lru_prev = slot;
    head = slot;
    if (tail == kNone) tail = slot;
  }
  /// Takes `slot` out of the list (nothing when it is not linked).
  template <class T>
  void unlink(std::vector<T>& slots, std::uint32_t slot) {
    T& e = slots[slot];
    if (head != slot && e.lru_prev == kNone) return;  // not linked
    if (e.lru_prev != kNone)
      slots[e.lru_prev].lru_next = e.lru_next;
    else
      head = e.lru_next;
    if (e.lru_next != kNone)
      slots[e.lru_next].lru_prev = e.lru_prev;
    else
      tail = e.lru_prev;
    e.lru_prev = e.lru_next = kNone;
  }
};

}  // namespace newshound

// Tests: the counting global operator new (see alloc_counter.hpp). In a translation
// unit of its own: inlined into a caller beside a std::allocator's new, GCC's
// -Wmismatched-new-delete mistakes the replacement delete's free() for a mismatch.
#include "support/alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocs{0};

void* counted_alloc(std::size_t n) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_allocs.fetch_add(1);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

namespace newshound::test {
AllocCounter::AllocCounter() {
  g_allocs = 0;
  g_counting = true;
}
AllocCounter::~AllocCounter() {
  stop();
}
long AllocCounter::allocations() const {
  return g_allocs.load();
}
void AllocCounter::stop() {
  g_counting = false;
}
}  // namespace newshound::test

// Every non-aligned form is replaced so that new/delete pairs stay malloc/free
// (AddressSanitizer checks the pairing).
void* operator new(std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted_alloc(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted_alloc(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

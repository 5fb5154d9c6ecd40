// Stage: decode (tests). Steady-state decoding allocates nothing: once the decoder
// and the Article have grown, decoding the same shapes again makes no allocation.
// Counts calls to the global operator new while a flag is set.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "feed_lines.hpp"
#include "newshound/decode/decoder.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocs{0};
}  // namespace

// Every non-aligned form is replaced so that new/delete pairs stay malloc/free
// (AddressSanitizer checks the pairing).
namespace {
void* counted_alloc(std::size_t n) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_allocs.fetch_add(1);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

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

using namespace newshound;

TEST_CASE("decode: no allocation per line in steady state", "[decode]") {
  std::vector<std::string> lines;
  for (const char* f : {"ninjs1.ndjson", "ninjs2.ndjson", "ninjs3.ndjson"}) {
    for (auto& l : newshound::test::feed_lines(f)) {
      if (l.find("\"uri\"") != std::string::npos) lines.push_back(l);  // content ids allocate
    }
  }
  for (auto& l : newshound::test::feed_lines("bad.ndjson")) lines.push_back(l);
  REQUIRE(lines.size() > 10);

  FieldMap map;
  map.headline = {"/title"};  // exercise at_pointer too (absent in these lines)
  Decoder d(map);
  Article a;
  std::vector<DecodeError> first;
  for (auto& l : lines) first.push_back(d.decode(l, a));  // warm up: buffers grow

  std::vector<DecodeError> second;
  second.reserve(lines.size());
  g_allocs = 0;
  g_counting = true;
  for (auto& l : lines) {
    long before = g_allocs.load();
    second.push_back(d.decode(l, a));
    if (g_allocs.load() != before) UNSCOPED_INFO("allocating line: " << l.substr(0, 80));
  }
  g_counting = false;
  CHECK(g_allocs.load() == 0);
  CHECK(first == second);
}

// Tests: counting the global operator new. Linked into the test binaries that check
// that a stage allocates nothing in steady state (unit_decode, unit_encode): its
// .cpp replaces every non-aligned operator new and delete for the whole binary,
// counting calls to new while counting is on (off elsewhere, so other tests see
// plain malloc/free).
#pragma once

namespace newshound::test {

/// Counts the allocations made between its construction and allocations(), on any
/// thread. One at a time; not reentrant.
class AllocCounter {
 public:
  AllocCounter();
  ~AllocCounter();
  AllocCounter(const AllocCounter&) = delete;
  AllocCounter& operator=(const AllocCounter&) = delete;

  /// Calls to operator new so far.
  long allocations() const;
  /// Stops counting (allocations() keeps its value).
  void stop();
};

}  // namespace newshound::test

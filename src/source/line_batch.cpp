// Stage: source. Stream ids shared by every source (see line_batch.hpp): the
// dispatcher keys its per-stream order and acknowledgements by them.
#include "newshound/source/line_batch.hpp"

#include <atomic>

namespace newshound {

std::uint64_t new_stream_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace newshound

// Stage: source. The process-wide stream id counter every input draws from.
#include "newshound/source/input.hpp"

#include <atomic>

namespace newshound {

std::uint64_t next_stream_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

}  // namespace newshound

// Stage: source. The first hand-off type: one NDJSON line as it came off the wire.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace newshound {

using Clock = std::chrono::system_clock;

/// One framed line of input, without its line terminator (`\n` or `\r\n`).
/// Borrows its bytes from the source's buffer: valid until the source reads again.
struct RawLine {
  std::string_view bytes;
  Clock::time_point received_at{};
  std::uint32_t input = 0;  ///< index of the [[input]] it came from
};

}  // namespace newshound

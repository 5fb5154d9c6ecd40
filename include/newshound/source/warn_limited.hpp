// Stage: source. A warning logged through a RateLimiter, saying how many similar
// ones it suppressed: a peer or a folder that fails in a tight loop cannot flood
// the journal.
#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <utility>

#include "newshound/util/rate_limit.hpp"

namespace newshound {

/// Logs a warning through `limit` (one per logging site), with the count of the
/// ones it refused since the last. Event-loop thread only; never throws but
/// std::bad_alloc.
template <class... Args>
void warn_limited(RateLimiter& limit, fmt::format_string<Args...> format, Args&&... args) {
  std::uint64_t suppressed = 0;
  if (!limit.allow(&suppressed)) return;
  const std::string text = fmt::format(format, std::forward<Args>(args)...);
  if (suppressed == 0)
    spdlog::warn("{}", text);
  else
    spdlog::warn("{} ({} similar messages suppressed)", text, suppressed);
}

}  // namespace newshound

// Utility: parsing an HTTP Retry-After header (RFC 9110 10.2.3), for
// the webhook sink's retries and the feed poller.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace newshound::detail {

/// The delay a Retry-After value asks for: delta-seconds ("120") or an HTTP-date
/// (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", or the obsolete RFC 850 and
/// asctime forms), relative to `now`, at most `cap` (a longer delay, a date
/// centuries ahead, a number of any length: `cap`). A date in the past means 0.
/// Returns nullopt for anything else (the caller then uses its own backoff).
/// Never throws.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now,
    std::chrono::milliseconds cap = std::chrono::hours(1));

}  // namespace newshound::detail

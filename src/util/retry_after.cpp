// Utility: Retry-After parsing (see retry_after.hpp), with the C
// library's strptime/timegm for HTTP-dates. Every form saturates at the caller's
// cap: a value of years (or of more digits than any integer holds) waits the cap.
#include "newshound/util/retry_after.hpp"

#include <time.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace newshound::detail {

namespace {

/// `seconds` as milliseconds, at most `cap` (never overflows).
std::chrono::milliseconds capped(std::int64_t seconds, std::chrono::milliseconds cap) {
  if (seconds > cap.count() / 1000) return cap;
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), cap);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now,
    std::chrono::milliseconds cap) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    constexpr std::int64_t kSaturated = std::int64_t{1} << 40;  // far beyond any cap
    std::int64_t seconds = 0;
    for (char c : value) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      seconds = std::min(seconds * 10 + (c - '0'), kSaturated);
    }
    return capped(seconds, cap);
  }
  const std::string text(value);  // strptime needs a terminated string
  // IMF-fixdate, RFC 850, asctime (RFC 9110 5.6.7).
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    struct tm tm {};
    const char* end = ::strptime(text.c_str(), format, &tm);
    if (end == nullptr || *end != '\0') continue;
    const time_t at = ::timegm(&tm);
    if (at == static_cast<time_t>(-1)) return std::nullopt;
    // In whole seconds, then milliseconds: a date centuries ahead would overflow
    // the clock's nanoseconds (and wrap into the past) if converted first.
    const auto now_ms =
        std::chrono::time_point_cast<std::chrono::milliseconds>(now).time_since_epoch().count();
    const std::int64_t now_s = now_ms / 1000;
    const std::int64_t ahead_s = static_cast<std::int64_t>(at) - now_s;
    if (ahead_s < 0) return std::chrono::milliseconds(0);  // in the past
    if (ahead_s > cap.count() / 1000 + 1) return cap;
    const std::chrono::milliseconds ahead(ahead_s * 1000 - now_ms % 1000);
    return std::clamp(ahead, std::chrono::milliseconds(0), cap);
  }
  return std::nullopt;
}

}  // namespace newshound::detail

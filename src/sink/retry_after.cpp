// Stage: sink (private). Retry-After parsing (see retry_after.hpp), with the C
// library's strptime/timegm for HTTP-dates.
#include "retry_after.hpp"

#include <time.h>

#include <cctype>
#include <string>

namespace newshound::detail {

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    std::int64_t seconds = 0;
    for (char c : value) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      seconds = seconds * 10 + (c - '0');
      if (seconds > 100'000'000) return std::nullopt;  // over three years: nonsense
    }
    return std::chrono::seconds(seconds);
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
    const auto when = std::chrono::system_clock::from_time_t(at);
    if (when <= now) return std::chrono::milliseconds(0);
    return std::chrono::ceil<std::chrono::milliseconds>(when - now);
  }
  return std::nullopt;
}

}  // namespace newshound::detail

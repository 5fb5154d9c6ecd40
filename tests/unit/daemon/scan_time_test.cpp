// Daemon tests: `scan --since/--until` times (RFC 3339 UTC or a duration ago).
#include <catch2/catch.hpp>

#include "daemon/scan_jetstream.hpp"

using newshound::parse_scan_time;

TEST_CASE("scan time: durations ago and RFC 3339 UTC times", "[daemon][scan]") {
  const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);
  CHECK(parse_scan_time("90s", now) == now - std::chrono::seconds(90));
  CHECK(parse_scan_time("30m", now) == now - std::chrono::minutes(30));
  CHECK(parse_scan_time("24h", now) == now - std::chrono::hours(24));
  CHECK(parse_scan_time("7d", now) == now - std::chrono::hours(24 * 7));
  CHECK(parse_scan_time("2027-01-15T08:00:00Z", now) == now);  // 1'800'000'000 s
  for (const char* bad :
       {"", "h", "5", "5y", "yesterday", "2027-01-15 08:00:00", "2027-01-15T08:00:00+01:00"})
    CHECK_FALSE(parse_scan_time(bad, now).has_value());
}

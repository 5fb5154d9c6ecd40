// Util: the one date reader: the dates feeds and article formats write (RFC 822
// in RSS, RFC 3339 in Atom, dc:date, ninjs and NewsML-G2) as RFC 3339 UTC text
// (a feed item's versioncreated) or as a time (an article's embargo).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "newshound/util/clock.hpp"

namespace newshound {

/// "Mon, 07 Dec 2026 10:00:00 +0100" (RFC 822/1123, obsolete zones and 2-digit
/// years included) or "2026-12-07T10:00:00.5+01:00" (RFC 3339, also with a space
/// or without seconds' fraction) as RFC 3339 UTC, "2026-12-07T09:00:00Z"; ""
/// when unreadable. Pure.
std::string normalize_feed_date(std::string_view text);

/// The same dates as a time (to the second: a fraction is dropped); nothing when
/// unreadable. Pure.
std::optional<Clock::time_point> parse_feed_date(std::string_view text);

}  // namespace newshound

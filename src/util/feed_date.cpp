// Util: the one date reader (feed_date.hpp): the dates feeds write (RFC 822 in
// RSS, RFC 3339 in Atom, dc:date and ninjs) as RFC 3339 in UTC, so an item's
// versioncreated reads the same whatever its feed wrote, and as a time (an
// article's embargo, for the stories stage).
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "newshound/util/feed_date.hpp"

#include "newshound/util/ascii.hpp"

namespace newshound {
namespace {

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  void skip_space() {
    while (!done() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  /// Up to `max` digits, at least `min`.
  std::optional<int> digits(std::size_t min, std::size_t max) {
    std::size_t n = 0;
    int v = 0;
    while (n < max && !done() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    if (n < min) return std::nullopt;
    return v;
  }
  std::string_view word() {
    const std::size_t b = i;
    while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(b, i - b);
  }
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

/// The UTC RFC 3339 text of a broken-down local time `offset_min` east of UTC.
std::string format_utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int offset_min) {
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
      mi > 59 || s > 60 || offset_min < -24 * 60 || offset_min > 24 * 60)
    return {};
  if (s == 60) s = 59;  // a leap second: RFC 3339 allows it, most readers do not
  std::int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  t -= std::int64_t{offset_min} * 60;
  const std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const std::int64_t secs = t - days * 86400;
  int yy = 0;
  unsigned mm = 0, dd = 0;
  civil_from_days(days, yy, mm, dd);
  if (yy < 1 || yy > 9999) return {};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02dZ", yy, mm, dd, int(secs / 3600),
                int(secs % 3600 / 60), int(secs % 60));
  return out;
}

/// "+0100", "-05:00", "Z", "GMT", "UT", "EST", ...: minutes east of UTC.
std::optional<int> zone(Cursor& c) {
  c.skip_space();
  if (c.done()) return 0;  // no zone: read as UTC
  if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    ++c.i;
    auto hh = c.digits(2, 2);
    if (!hh) return std::nullopt;
    c.eat(':');
    auto mm = c.digits(2, 2);
    if (!mm) return std::nullopt;
    return sign * (*hh * 60 + *mm);
  }
  const std::string_view w = c.word();
  struct Named {
    std::string_view name;
    int minutes;
  };
  static constexpr Named kZones[] = {{"Z", 0},         {"UT", 0},        {"UTC", 0},
                                     {"GMT", 0},       {"EST", -5 * 60}, {"EDT", -4 * 60},
                                     {"CST", -6 * 60}, {"CDT", -5 * 60}, {"MST", -7 * 60},
                                     {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60}};
  for (const auto& z : kZones)
    if (ascii_iequals(w, z.name)) return z.minutes;
  return std::nullopt;
}

std::string rfc3339(std::string_view text) {
  Cursor c{text};
  auto y = c.digits(4, 4);
  if (!y || !c.eat('-')) return {};
  auto mo = c.digits(2, 2);
  if (!mo || !c.eat('-')) return {};
  auto d = c.digits(2, 2);
  if (!d) return {};
  int h = 0, mi = 0, s = 0;
  if (c.eat('T') || c.eat('t') || c.eat(' ')) {
    auto hh = c.digits(2, 2);
    if (!hh || !c.eat(':')) return {};
    auto mm = c.digits(2, 2);
    if (!mm) return {};
    h = *hh;
    mi = *mm;
    if (c.eat(':')) {
      auto ss = c.digits(2, 2);
      if (!ss) return {};
      s = *ss;
      if (c.eat('.') && !c.digits(1, 9)) return {};
    }
  }
  auto off = zone(c);
  c.skip_space();
  if (!off || !c.done()) return {};
  return format_utc(*y, unsigned(*mo), unsigned(*d), h, mi, s, *off);
}

std::string rfc822(std::string_view text) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  Cursor c{text};
  c.skip_space();
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {  // optional day name
    c.word();
    c.skip_space();
  }
  auto d = c.digits(1, 2);
  if (!d) return {};
  c.skip_space();
  const std::string_view mon = c.word();
  unsigned mo = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (mon.size() >= 3 && ascii_iequals(mon.substr(0, 3), kMonths[i])) mo = i + 1;
  if (mo == 0) return {};
  c.skip_space();
  const std::size_t year_at = c.i;
  auto y = c.digits(2, 4);
  if (!y) return {};
  if (c.i - year_at == 2) *y += *y < 50 ? 2000 : 1900;  // RFC 822's two-digit years
  c.skip_space();
  auto h = c.digits(1, 2);
  if (!h || !c.eat(':')) return {};
  auto mi = c.digits(2, 2);
  if (!mi) return {};
  int s = 0;
  if (c.eat(':')) {
    auto ss = c.digits(2, 2);
    if (!ss) return {};
    s = *ss;
  }
  auto off = zone(c);
  c.skip_space();
  if (!off || !c.done()) return {};
  return format_utc(*y, mo, unsigned(*d), *h, *mi, s, *off);
}

}  // namespace

std::string normalize_feed_date(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty() || text.size() > 64) return {};
  if (text.size() >= 10 && text[4] == '-') return rfc3339(text);
  return rfc822(text);
}

std::optional<Clock::time_point> parse_feed_date(std::string_view text) {
  const std::string utc = normalize_feed_date(text);
  if (utc.size() != 20) return std::nullopt;  // "YYYY-MM-DDTHH:MM:SSZ"
  const auto num = [&](std::size_t at, std::size_t n) {
    std::int64_t v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (utc[i] - '0');
    return v;
  };
  const std::int64_t days = days_from_civil(num(0, 4), unsigned(num(5, 2)), unsigned(num(8, 2)));
  const std::int64_t secs = days * 86400 + num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
  return Clock::time_point(std::chrono::seconds(secs));
}

}  // namespace newshound

// Config: the duration value type of the option table (OptionType::duration): a
// TOML string of digits and a unit, "250ms", "30s", "10m", "48h", "7d", read as
// milliseconds, and written back in the largest unit that divides it, days only
// from a week up (for the reference doc's defaults and for messages).
#include <limits>
#include <string>

#include "newshound/config/options.hpp"

namespace newshound {

namespace {

struct DurationUnit {
  std::string_view name;
  std::int64_t ms;
};
// Largest first: format_duration_ms() takes the first that divides.
constexpr DurationUnit kUnits[] = {
    {"d", 24 * 3600 * 1000}, {"h", 3600 * 1000}, {"m", 60 * 1000}, {"s", 1000}, {"ms", 1}};

}  // namespace

std::optional<std::int64_t> parse_duration_ms(std::string_view text, std::string& why) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view unit = text.substr(digits);
  if (digits == 0) {
    why = "must start with a number, e.g. \"48h\"";
    return std::nullopt;
  }
  if (unit.empty()) {
    why = "has no unit: add one of ms, s, m, h, d, e.g. \"" + std::string(text) + "s\"";
    return std::nullopt;
  }
  for (const DurationUnit& u : kUnits) {
    if (u.name != unit) continue;
    std::int64_t n = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      const int d = text[i] - '0';
      if (n > (std::numeric_limits<std::int64_t>::max() - d) / 10 / u.ms) {
        why = "is too long";
        return std::nullopt;
      }
      n = n * 10 + d;
    }
    return n * u.ms;
  }
  why = "has an unknown unit \"" + std::string(unit) + "\"; use one of ms, s, m, h, d";
  return std::nullopt;
}

std::string format_duration_ms(std::int64_t ms) {
  for (const DurationUnit& u : kUnits) {
    // Days from a week up: "48h" reads better than "2d".
    if (u.name == "d" && ms < 7 * u.ms) continue;
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + std::string(u.name);
  }
  return std::to_string(ms) + "ms";
}

}  // namespace newshound

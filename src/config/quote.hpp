// Config: dq, how config messages quote a value. Private to src/config/.
#pragma once

#include <string>
#include <string_view>

namespace newshound::config_detail {

/// `s` in double quotes, for messages. Appended piecewise: `"\"" + std::string(s)`
/// trips GCC 12's false -Wrestrict at -O3.
inline std::string dq(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

}  // namespace newshound::config_detail

// Stage: decode. Article's out-of-line helpers: the PubStatus of a feed value, ordering the extra
// text values by field and writing a text value's JSON Pointer from its parts (at encode time).
#include "newshound/decode/article.hpp"

#include <charconv>

namespace newshound {

PubStatus pub_status_of(std::string_view value) {
  if (const std::size_t colon = value.find(':'); colon != std::string_view::npos) {
    value.remove_prefix(colon + 1);
  }
  if (value == "usable") return PubStatus::usable;
  if (value == "withheld") return PubStatus::withheld;
  if (value == "canceled" || value == "cancelled") return PubStatus::canceled;
  return PubStatus::unknown;
}

void Article::sort_extras() {
  // Insertion sort: stable, in place, and an article has few extra values.
  for (std::size_t i = 1; i < extras.size(); ++i) {
    const ExtraText x = extras[i];
    std::size_t j = i;
    for (; j > 0 && extras[j - 1].field > x.field; --j) extras[j] = extras[j - 1];
    extras[j] = x;
  }
}

void Article::append_pointer(const TextPath& path, std::string& out) const {
  const std::string_view name = !path.fixed.empty()
                                    ? path.fixed
                                    : std::string_view(names).substr(path.name_off, path.name_len);
  if (path.form == TextPath::Form::pointer) {
    out.append(name);
    return;
  }
  out.push_back('/');
  for (const char c : name) {
    if (c == '~') {
      out.append("~0");
    } else if (c == '/') {
      out.append("~1");
    } else {
      out.push_back(c);
    }
  }
  if (path.form == TextPath::Form::entry) {
    out.push_back('/');
    char digits[16];
    const auto r = std::to_chars(digits, digits + sizeof digits, path.index);
    out.append(digits, r.ptr);
    out.append("/value");
  }
}

}  // namespace newshound

// Stage: stories. The order of article versions (compare_versions()) and which
// field gives an article's version (lifecycle_version()).
#include <algorithm>

#include "newshound/stories/lifecycle.hpp"

namespace newshound {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int compare_part(std::string_view a, std::string_view b) {
  if (all_digits(a) && all_digits(b)) {
    a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
    b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  for (;;) {
    const std::size_t da = a.find('.'), db = b.find('.');
    if (const int c = compare_part(a.substr(0, da), b.substr(0, db)); c != 0) return c;
    if (da == std::string_view::npos || db == std::string_view::npos)
      return da == db ? 0 : da == std::string_view::npos ? -1 : 1;
    a.remove_prefix(da + 1);
    b.remove_prefix(db + 1);
  }
}

std::string_view lifecycle_version(const Article& article) {
  return article.version.empty() ? std::string_view(article.versioncreated)
                                 : std::string_view(article.version);
}

}  // namespace newshound

// Utility: user-facing load errors with a file position (config, watch-lists).
#include "newshound/util/diagnostic.hpp"

namespace newshound {

std::string Diagnostic::format() const {
  std::string s = file;
  if (line != 0) {
    s += ':';
    s += std::to_string(line);
    if (col != 0) {
      s += ':';
      s += std::to_string(col);
    }
  }
  if (!s.empty()) s += ": ";
  s += message;
  return s;
}

}  // namespace newshound

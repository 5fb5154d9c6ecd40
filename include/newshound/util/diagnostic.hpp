// Utility: user-facing load errors with a file position (config, watch-lists).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace newshound {

/// One problem found while loading a user's file. `line`/`col` are 1-based; 0
/// means unknown. format() gives "file:line:col: message" (parts that are 0 left
/// out), the shape editors and `newshound check` use.
struct Diagnostic {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  std::string message;

  std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace newshound

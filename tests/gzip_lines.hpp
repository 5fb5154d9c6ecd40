// Tests: reading a gzip-compressed NDJSON file (the Reuters corpus in ../shared)
// as lines, for the corpus-scale tests of several stages.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace newshound::testing {

/// Every line of the gzip file at `path` (decompressed by `gzip -dc`), without
/// the newlines; a last line without one is kept. Empty when the file cannot be
/// read: callers check for the file first and skip with "SKIPPED:" when absent.
inline std::vector<std::string> read_gzip_lines(const std::string& path) {
  std::vector<std::string> lines;
  const std::string cmd = "gzip -dc '" + path + "'";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return lines;
  std::string cur;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        lines.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(buf[i]);
      }
    }
  }
  ::pclose(p);
  if (!cur.empty()) lines.push_back(std::move(cur));
  return lines;
}

}  // namespace newshound::testing

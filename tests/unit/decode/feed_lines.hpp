// Stage: decode (tests). Reads a feed fixture from tests/fixtures/feeds/ as lines.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace newshound::test {

inline std::vector<std::string> feed_lines(const std::string& name) {
  std::ifstream in(std::string(NEWSHOUND_FIXTURES_DIR) + "/feeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> lines;
  std::string all = ss.str(), cur;
  for (char c : all) {
    if (c == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

}  // namespace newshound::test

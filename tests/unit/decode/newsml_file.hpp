// Stage: decode (tests). Reads a NewsML-G2 fixture from tests/fixtures/newsml/ whole:
// one record, newlines included, as a drop folder hands it to the decoder.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace newshound::test {

inline std::string newsml_file(const std::string& name) {
  std::ifstream in(std::string(NEWSHOUND_FIXTURES_DIR) + "/newsml/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace newshound::test

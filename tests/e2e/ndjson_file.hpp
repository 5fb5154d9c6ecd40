// Tests (e2e): reading a file output's alerts. Every line of an NDJSON file as a
// JSON object, at once or once the file holds enough lines. Throws (failing the
// test) on a line that is not a JSON object.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.hpp"

namespace e2e {

/// The complete ('\n'-ended) lines of `file`, each parsed as a JSON object.
inline std::vector<boost::json::object> ndjson_objects(const fs::path& file) {
  std::vector<boost::json::object> out;
  for (const auto& line : complete_lines(file)) out.push_back(boost::json::parse(line).as_object());
  return out;
}

/// ndjson_objects(file) once `file` holds at least `n` lines, or after 30 s with
/// what it holds then (the caller's checks then fail, naming what is missing).
inline std::vector<boost::json::object> wait_ndjson(const fs::path& file, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const std::string text = read_file(file);
    if (static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >= n ||
        std::chrono::steady_clock::now() > until)
      return ndjson_objects(file);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace e2e

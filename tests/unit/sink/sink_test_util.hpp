// Stage: sink tests. Shared helpers: alerts, bounded event-loop runs, temp dirs.
#pragma once

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "newshound/encode/alert.hpp"

namespace sinktest {

inline std::shared_ptr<const newshound::Alert> make_alert(int n, std::size_t pad = 0) {
  auto a = std::make_shared<newshound::Alert>();
  a->id = "id-" + std::to_string(n);
  a->article = "urn:wire:" + std::to_string(n);
  a->json = "{\"id\":\"" + a->id + "\",\"headline\":\"Lavrov\\u2019s \\\"talks\\\" \xE2\x80\x94 " +
            std::string(pad, 'x') + "\"}\n";
  return a;
}

/// Runs `io` in small slices until `pred` holds or `timeout` passes.
template <class Pred>
bool run_until(boost::asio::io_context& io, Pred pred,
               std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (io.stopped()) io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

/// Runs `io` for `d` even if it ran out of work before.
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds d) {
  io.restart();
  io.run_for(d);
}

/// A fresh, empty directory under the system temp dir, removed on destruction.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("newshound-sink-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace sinktest

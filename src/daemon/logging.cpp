// Daemon: process-wide logging set-up (spdlog to stderr).
#include "newshound/daemon/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace newshound {

void setup_logging(const std::string& level) {
  static bool done = false;
  if (!done) {
    auto logger = spdlog::stderr_logger_mt("newshound");
    spdlog::set_default_logger(logger);
    done = true;
  }
  if (std::getenv("JOURNAL_STREAM"))
    spdlog::set_pattern("%l: %v");
  else
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace newshound

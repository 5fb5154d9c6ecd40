// Daemon: process-wide logging set-up (spdlog to stderr).
#pragma once

#include <string>

namespace newshound {

/// Sends logs to stderr at `level` (trace ... off; unknown names mean info).
/// Under systemd (JOURNAL_STREAM set) lines carry no timestamp, since the
/// journal adds its own. Call once, early; safe to call again to change level.
void setup_logging(const std::string& level);

}  // namespace newshound

// Daemon: process-wide logging set-up (spdlog to stderr), in the journal's
// format under systemd and a human-readable one otherwise.
#pragma once

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace newshound {

/// How log lines are laid out.
enum class LogStyle {
  human,    ///< "2026-11-23T11:27:26.123 warning message": a terminal or a file
  journal,  ///< "<4>message": stderr is a journal stream; journald adds the time
};

/// journal when JOURNAL_STREAM ("<device>:<inode>", set by systemd) names the
/// file stderr is connected to, as systemd.exec(5) recommends (a service whose
/// stderr was redirected elsewhere gets the human style); human otherwise.
/// Never throws.
LogStyle detect_log_style() noexcept;

/// trace, debug, info, warn, error, critical, off (also "warning", "err");
/// nullopt for anything else. Never throws.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) noexcept;

/// The sd-daemon(3) priority for a level: trace/debug 7, info 6, warn 4,
/// error 3, critical 2 (off, never logged, maps to 6).
int syslog_priority(spdlog::level::level_enum level) noexcept;

/// A formatter for `style`: journal lines are "<N>message" (N from
/// syslog_priority), human lines "YYYY-MM-DDTHH:MM:SS.mmm level message".
std::unique_ptr<spdlog::formatter> make_log_formatter(LogStyle style);

/// Sends logs to stderr at `level` (see parse_log_level; unknown names mean
/// info), laid out for detect_log_style(). Call once, early, from one thread;
/// safe to call again to change the level or pick up a new environment.
/// Throws only std::bad_alloc.
void setup_logging(const std::string& level);

}  // namespace newshound

// Daemon: process-wide logging set-up (spdlog to stderr), in the journal's
// format under systemd and a human-readable one otherwise.
#include "newshound/daemon/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>

namespace newshound {

namespace {

/// `%*`: the "<N>" prefix journald (and sd-daemon(3)) read as the priority.
class PriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const char prefix[3] = {'<', static_cast<char>('0' + syslog_priority(msg.level)), '>'};
    dest.append(prefix, prefix + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<PriorityFlag>();
  }
};

bool parse_dev_ino(std::string_view s, unsigned long long& dev, unsigned long long& ino) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  const char* end = s.data() + colon;
  auto r1 = std::from_chars(s.data(), end, dev);
  if (r1.ec != std::errc{} || r1.ptr != end || colon == 0) return false;
  const char* b2 = end + 1;
  const char* e2 = s.data() + s.size();
  auto r2 = std::from_chars(b2, e2, ino);
  return r2.ec == std::errc{} && r2.ptr == e2 && b2 != e2;
}

}  // namespace

LogStyle detect_log_style() noexcept {
  const char* env = std::getenv("JOURNAL_STREAM");
  if (!env) return LogStyle::human;
  unsigned long long dev = 0, ino = 0;
  if (!parse_dev_ino(env, dev, ino)) return LogStyle::human;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return LogStyle::human;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
                 static_cast<unsigned long long>(st.st_ino) == ino
             ? LogStyle::journal
             : LogStyle::human;
}

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) noexcept {
  using L = spdlog::level::level_enum;
  if (name == "trace") return L::trace;
  if (name == "debug") return L::debug;
  if (name == "info") return L::info;
  if (name == "warn" || name == "warning") return L::warn;
  if (name == "error" || name == "err") return L::err;
  if (name == "critical") return L::critical;
  if (name == "off") return L::off;
  return std::nullopt;
}

int syslog_priority(spdlog::level::level_enum level) noexcept {
  // The SD_* macros are string literals ("<4>"); their digit is the priority.
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return SD_DEBUG[1] - '0';
    case spdlog::level::info:
      return SD_INFO[1] - '0';
    case spdlog::level::warn:
      return SD_WARNING[1] - '0';
    case spdlog::level::err:
      return SD_ERR[1] - '0';
    case spdlog::level::critical:
      return SD_CRIT[1] - '0';
    default:
      return SD_INFO[1] - '0';
  }
}

std::unique_ptr<spdlog::formatter> make_log_formatter(LogStyle style) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  if (style == LogStyle::journal)
    f->add_flag<PriorityFlag>('*').set_pattern("%*%v");
  else
    f->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  return f;
}

void setup_logging(const std::string& level) {
  auto logger = spdlog::get("newshound");
  if (!logger) {
    logger = spdlog::stderr_logger_mt("newshound");
    spdlog::set_default_logger(logger);
  }
  logger->set_formatter(make_log_formatter(detect_log_style()));
  logger->set_level(parse_log_level(level).value_or(spdlog::level::info));
  // The stderr sink writes each line through; flush_on matters for sinks added later.
  logger->flush_on(spdlog::level::info);
}

}  // namespace newshound

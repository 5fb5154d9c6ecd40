// Daemon: `newshound scan --jetstream`: a JetStream stream read from a start time
// to its current end through an ordered ephemeral consumer (nothing left behind on
// the server), handed to scan as NDJSON bytes, one message per line. Private to
// src/daemon/.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "newshound/daemon/commands.hpp"

namespace newshound {

/// `--since` / `--until`: an RFC 3339 UTC time (`2026-12-06T09:00:00Z`) or a
/// duration before `now` (`90s`, `30m`, `24h`, `7d`). nullopt when unreadable.
std::optional<std::chrono::system_clock::time_point> parse_scan_time(
    std::string_view text, std::chrono::system_clock::time_point now);

/// Reads the messages of a stream like read(2) reads a file. Blocking; one thread.
class JetStreamScanReader {
 public:
  JetStreamScanReader();
  ~JetStreamScanReader();
  /// Connects and subscribes from `since` (or the stream's start); "" or a sentence.
  std::string open(const ScanJetStreamOptions& opts);
  /// Copies up to `n` bytes of the next messages (each followed by '\n') into
  /// `buf`; 0 at the stream's end as it was at open() (or past `until`); -1 with
  /// error() set when the server is lost.
  long read(char* buf, std::size_t n);
  const std::string& error() const { return error_; }

 private:
  struct State;
  std::unique_ptr<State> st_;
  std::string error_;
};

}  // namespace newshound

// Stage: sink. FsyncPolicy: when written alerts are forced to disk. One name for the
// file sink, the spool and the config key `fsync`.
#pragma once

#include <optional>
#include <string_view>

namespace newshound {

/// When written alerts (file sink) or spooled records (spool) are forced to disk.
enum class FsyncPolicy {
  always,    ///< after every write; alerts count as sent only once synced
  interval,  ///< at most `fsync_interval` after a write (and on reopen/stop)
  never,     ///< left to the kernel
};

/// Parses "always" / "interval" / "never" (the config's spelling); nullopt otherwise.
std::optional<FsyncPolicy> parse_fsync_policy(std::string_view text);

}  // namespace newshound

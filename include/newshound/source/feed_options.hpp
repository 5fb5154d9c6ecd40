// Stage: source. FeedInputOptions: the settings of a polled-feed input
// ([[input]] type = "feed"), plain data the option table writes directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "newshound/net/tls_options.hpp"

namespace newshound {

struct FeedInputOptions {
  std::string name;         ///< set by the daemon
  std::uint32_t input = 0;  ///< index of this [[input]], set by the daemon
  /// `url` and `urls`, as written (checked by the config: http:// or https://).
  std::vector<std::string> urls;
  /// `opml_file`: further feeds, the xmlUrl of every outline (read at start and reload).
  std::filesystem::path opml_file;
  std::chrono::milliseconds interval{60000};                 ///< `interval_ms`, +/- 10 % jitter
  std::chrono::milliseconds timeout{30000};                  ///< `timeout_ms`, one whole request
  std::size_t max_bytes = 16 << 20;                          ///< `max_bytes`, one feed document
  std::vector<std::pair<std::string, std::string>> headers;  ///< `headers`, sent on every request
  /// `tls`: the client settings of every https:// feed (and https redirect) of
  /// the input, one context for all (endpoint "input/<name>"). An https URL
  /// turns TLS on whatever `enabled` says; the defaults verify the server's
  /// certificate and host name against the system trust store.
  net::TlsOptions tls;
  /// Where the seen-items log lives: <state_dir>/feeds/<name>.seen, set by the
  /// config loader; empty = in memory only.
  std::filesystem::path seen_file;
  std::size_t seen_max_entries = 100000;
  std::chrono::seconds seen_max_age{std::chrono::hours(24 * 30)};
  bool operator==(const FeedInputOptions&) const = default;
};

}  // namespace newshound

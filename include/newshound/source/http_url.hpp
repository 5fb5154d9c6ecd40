// Stage: source. The absolute http(s) URL a feed is polled at (HttpUrl) and its
// parser, with no Asio in sight: the config loader checks feed URLs with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newshound {

/// An absolute http or https URL, split for a request. Plain data.
struct HttpUrl {
  std::string scheme = "http";  ///< "http" or "https" (lower case)
  std::string host;             ///< name or address (IPv6 without brackets)
  std::uint16_t port = 80;      ///< 443 for https unless given
  std::string target = "/";     ///< path and query
  std::string host_header;      ///< "host" or "host:port"
  std::string text() const { return scheme + "://" + host_header + target; }
  bool operator==(const HttpUrl&) const = default;
};

/// Parses "http[s]://host[:port][/path][?query]" (fragment dropped); anything
/// else that is not an absolute http or https URL is refused with `error` saying
/// why. Never throws but std::bad_alloc.
std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& error);

/// `location` (a redirect's Location: absolute, scheme-relative, absolute-path or
/// relative) resolved against `base`; nullopt with `error` when unusable.
std::optional<HttpUrl> resolve_location(const HttpUrl& base, std::string_view location,
                                        std::string& error);

}  // namespace newshound

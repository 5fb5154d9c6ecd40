// Config: Endpoint, a "host:port" address as written in the config file, and its
// parser. Syntax only: names are resolved later, at bind/connect time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newshound {

/// host:port. `host` may be an IPv4/IPv6 literal ("::1" written "[::1]:7301" in
/// the file) or a name resolved at connect/bind time.
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  /// "host:port", IPv6 hosts in brackets ("[::1]:7301").
  std::string to_string() const;
  bool operator==(const Endpoint&) const = default;
};

/// True if `host` is a loopback address: `localhost` (any case, one trailing dot
/// allowed), an IPv4 literal in 127.0.0.0/8, or `::1`. Other names are not
/// loopback (they are resolved later and may point anywhere). Never throws.
bool is_loopback_host(std::string_view host) noexcept;

/// Parses "host:port" / "[v6]:port". Returns nullopt and sets `error` (what is
/// wrong and the expected form) when invalid. Never throws but std::bad_alloc.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& error);

}  // namespace newshound

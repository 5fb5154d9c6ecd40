// Stage: source. parse_http_url and resolve_location (http_url.hpp).
#include "newshound/source/http_url.hpp"

#include "newshound/util/ascii.hpp"

#include <cctype>
#include <charconv>

namespace newshound {

std::optional<HttpUrl> parse_http_url(std::string_view text, std::string& error) {
  const bool https = ascii_istarts_with(text, "https://");
  if (!https && !ascii_istarts_with(text, "http://")) {
    error = "not an http:// or https:// URL";
    return std::nullopt;
  }
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      error = "spaces and control characters must be percent-encoded";
      return std::nullopt;
    }
  }
  std::string_view rest = text.substr(https ? 8 : 7);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  HttpUrl u;
  if (https) {
    u.scheme = "https";
    u.port = 443;
  }
  if (slash != std::string_view::npos) {
    u.target = std::string(rest.substr(slash));
    if (u.target.front() == '?') u.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) {
    error = "user info (user@host) is not supported; send credentials in `headers`";
    return std::nullopt;
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unclosed '[' in the host";
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() == ':')
      port = after.substr(1);
    else if (!after.empty())
      host = {};
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    error = "no host";
    return std::nullopt;
  }
  u.host = std::string(host);
  if (!port.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535) {
      error = "bad port '" + std::string(port) + "'";
      return std::nullopt;
    }
    u.port = static_cast<std::uint16_t>(p);
  }
  u.host_header = std::string(authority);
  return u;
}

std::optional<HttpUrl> resolve_location(const HttpUrl& base, std::string_view location,
                                        std::string& error) {
  if (ascii_istarts_with(location, "http://") || ascii_istarts_with(location, "https://"))
    return parse_http_url(location, error);
  if (location.substr(0, 2) == "//")
    return parse_http_url(base.scheme + ":" + std::string(location), error);
  HttpUrl u = base;
  if (location.empty()) {
    error = "empty Location";
    return std::nullopt;
  }
  if (location.front() == '/') {
    u.target = std::string(location);
  } else {
    std::string dir = base.target.substr(0, base.target.find('?'));
    dir = dir.substr(0, dir.rfind('/') + 1);
    u.target = dir + std::string(location);
  }
  return parse_http_url(u.text(), error);
}

}  // namespace newshound

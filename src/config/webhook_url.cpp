// Config: parse_webhook_url, the `url` of a webhook output, checked strictly
// so that every mistake is reported when the config loads, not at the first alert.
#include <cctype>
#include <charconv>

#include "newshound/config/webhook_url.hpp"

namespace newshound {

std::optional<WebhookUrl> parse_webhook_url(std::string_view url, std::string& error) {
  const std::string example = "e.g. \"http://127.0.0.1:8080/alerts\"";
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      error = "the URL contains a space or control character; percent-encode it (%20)";
      return std::nullopt;
    }
  }
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    error = "the URL must start with http:// or https://, " + example;
    return std::nullopt;
  }
  std::string scheme(url.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    error = "unsupported scheme '" + scheme + "'; the URL must start with http:// or https://, " +
            example;
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) {
    error = "the URL must not have a #fragment; remove it";
    return std::nullopt;
  }
  const auto path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  WebhookUrl u;
  u.https = scheme == "https";
  u.port = u.https ? 443 : 80;
  if (path_at != std::string_view::npos) {
    u.target = std::string(rest.substr(path_at));
    if (u.target.front() == '?') u.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) {
    error =
        "user:password@ in the URL is not supported; send credentials in a header instead, "
        "e.g. headers = { Authorization = \"Bearer ...\" }";
    return std::nullopt;
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "the IPv6 address in the URL lacks its closing ']', e.g. \"http://[::1]:8080/\"";
      return std::nullopt;
    }
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      error = "unexpected text after ']' in the URL; write \"http://[::1]:8080/\"";
      return std::nullopt;
    }
    if (!after.empty()) port_text = after.substr(1);
    if (after.size() == 1) port_text = "!";  // "[::1]:" with nothing after
  } else {
    const auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (colon != std::string_view::npos && port_text.empty()) port_text = "!";
  }
  if (u.host.empty()) {
    error = "the URL has no host; " + example;
    return std::nullopt;
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      error = "the port in the URL must be a number from 1 to 65535, " + example;
      return std::nullopt;
    }
    u.port = static_cast<std::uint16_t>(port);
  }
  const bool v6 = u.host.find(':') != std::string::npos;
  u.host_header = v6 ? "[" + u.host + "]" : u.host;
  if (u.port != (u.https ? 443 : 80)) u.host_header += ":" + std::to_string(u.port);
  return u;
}

}  // namespace newshound

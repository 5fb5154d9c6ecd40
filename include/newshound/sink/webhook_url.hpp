// Stage: sink. WebhookUrl: where a webhook output sends its requests, already
// parsed (the parser, parse_webhook_url, is the config's: config/webhook_url.hpp).
#pragma once

#include <cstdint>
#include <string>

namespace newshound {

/// The parts of an `http://` or `https://` URL the webhook needs. Plain data.
struct WebhookUrl {
  std::string host;          ///< name or address (IPv6 without brackets)
  std::uint16_t port = 80;   ///< from the URL, else 80 (443 for https)
  std::string target = "/";  ///< path and query, as written; "/" when absent
  std::string host_header;   ///< Host: value ("host" or "host:port")
  bool https = false;        ///< https://: TLS on (the output's tls.enabled follows)
  bool operator==(const WebhookUrl&) const = default;
};

}  // namespace newshound

// Daemon: the admin endpoint's Host and Origin checks (see admin_access.hpp; the
// bearer token's is util/bearer.hpp).
#include "admin_access.hpp"

#include <algorithm>
#include <cctype>

namespace newshound {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// The host of an authority, without port, brackets or one trailing dot;
/// "" when malformed.
std::string host_of(std::string_view authority) {
  std::string_view host = authority;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {};
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return {};
    host = host.substr(1, close - 1);
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    if (host.find(':', colon + 1) != std::string_view::npos) return {};  // v6 needs brackets
    host = host.substr(0, colon);
  }
  if (host.ends_with('.')) host.remove_suffix(1);
  return lower(host);
}

}  // namespace

AdminAccess::AdminAccess(std::string listen_host, std::vector<std::string> names)
    : listen_host_(
          host_of(listen_host.find(':') != std::string::npos && !listen_host.starts_with('[')
                      ? "[" + listen_host + "]"
                      : listen_host)) {
  for (const auto& n : names)
    if (auto h = host_of(n); !h.empty()) names_.push_back(std::move(h));
}

bool AdminAccess::host_allowed(std::string_view authority) const {
  const std::string host = host_of(authority);
  if (host.empty()) return false;
  if (host == listen_host_) return true;
  if (std::find(names_.begin(), names_.end(), host) != names_.end()) return true;
  if (!bound_set_) return false;
  const bool wildcard = bound_.is_unspecified();
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(host, ec);
  if (!ec) return wildcard || ip == bound_;
  return host == "localhost" && (wildcard || bound_.is_loopback());
}

bool AdminAccess::origin_allowed(std::string_view origin) const {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.size() > scheme.size() && lower(origin.substr(0, scheme.size())) == scheme) {
      std::string_view authority = origin.substr(scheme.size());
      if (authority.ends_with('/')) authority.remove_suffix(1);
      if (authority.find_first_of("/?#@") != std::string_view::npos) return false;
      return host_allowed(authority);
    }
  }
  return false;
}

}  // namespace newshound

// Daemon: who the admin endpoint answers (private to admin_server.cpp). Decides
// from a request's Host and Origin headers whether it was meant for this server,
// so a web page in a browser on the host (a foreign Origin) or a DNS-rebinding
// page (a foreign Host name) cannot reach POST /v1/reload or read /v1/rules; and
// from its Authorization header whether it carries the bearer token, if one is set.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/util/bearer.hpp"

namespace newshound {

/// The names a request may carry in Host (and in an Origin's host): the listen
/// host as configured, the bound IP address (any IP address when bound to a
/// wildcard), `localhost` when bound to loopback or a wildcard, and the
/// configured `[admin] allowed_hosts`. Ports are not compared. Case-insensitive.
/// Never throws but std::bad_alloc.
class AdminAccess {
 public:
  AdminAccess() = default;
  AdminAccess(std::string listen_host, std::vector<std::string> names);

  /// Called once bound: the address the listening socket has.
  void set_bound(const boost::asio::ip::address& bound) {
    bound_ = bound;
    bound_set_ = true;
  }

  /// True if `authority` ("host", "host:port", "[v6]:port") names this server.
  bool host_allowed(std::string_view authority) const;
  /// True if `origin` ("http://host:port") names this server; "null" and any
  /// other scheme are foreign.
  bool origin_allowed(std::string_view origin) const;

  /// The bearer token requests must carry; "" = none is needed.
  void set_token(std::string token) { token_ = std::move(token); }
  bool has_token() const { return !token_.empty(); }
  /// Checks an Authorization header value ("" when there is none) against the
  /// token (newshound::check_bearer, util/bearer.hpp).
  AuthFailure check_bearer(std::string_view authorization) const {
    return newshound::check_bearer(token_, authorization);
  }

 private:
  std::string token_;
  std::string listen_host_;
  std::vector<std::string> names_;
  boost::asio::ip::address bound_;
  bool bound_set_ = false;  ///< before set_bound only names match
};

}  // namespace newshound

// Net: building an OpenSSL context (Boost.Asio SSL) from TlsOptions for a client
// or a server, per-connection client set-up (SNI and host-name check), and the
// words for a failed handshake. Errors are values naming the file and what to do.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "newshound/net/tls_options.hpp"

namespace newshound::net {

/// A built context, or why not. Contexts are shared: every connection of an edge
/// uses the one it was handed (a reload builds a new one; open connections keep
/// theirs through their shared_ptr).
struct TlsContextResult {
  std::shared_ptr<boost::asio::ssl::context> context;  ///< null on error
  std::string error;  ///< "certs/server.key: ... ; <what to do>" when context is null
};

/// Builds a context for `role` from `o` (enabled is not looked at): minimum
/// protocol version, certificate and key (checked to match), CA file or, for a
/// client without one, the system trust store; peer verification as `o` says
/// (a server with verify_certificate requires a client certificate, and with
/// allowed_names checks its subject CN / DNS SANs). Never throws but std::bad_alloc.
TlsContextResult make_tls_context(const TlsOptions& o, TlsRole role);

/// Prepares one client connection's SSL object before its handshake: SNI and,
/// with verify_certificate and verify_hostname, the host-name check against
/// `name` (server_name, or the host dialled; an IP address is checked against
/// the IP SANs). Returns "" or the problem. Never throws but std::bad_alloc.
std::string prepare_client_ssl(SSL* ssl, const TlsOptions& o, const std::string& name);

/// Says why a handshake failed, in words an operator can act on, e.g.
/// "certificate verify failed: unable to get local issuer certificate" or
/// "peer did not return a certificate" (callers say which handshake failed).
/// `ssl` (may be null) gives the verify result. Never throws but std::bad_alloc.
std::string tls_failure_text(const boost::system::error_code& ec, const SSL* ssl);

/// A short label for a failed handshake, for metrics
/// (newshound_tls_handshake_failures_total{reason}): "unknown_ca", "expired",
/// "hostname_mismatch", "no_certificate", "name_not_allowed", "protocol",
/// "not_tls", "closed", "other".
std::string_view tls_failure_reason(const boost::system::error_code& ec, const SSL* ssl);

}  // namespace newshound::net

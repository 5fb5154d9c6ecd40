// Net: make_tls_context (OpenSSL 3 through Boost.Asio SSL: protocol floor,
// certificate, key, CA or system trust store, peer verification, the server's
// allowed_names check), per-connection client set-up (SNI, host-name check) and
// the words and metric labels for a failed handshake.
#include "newshound/net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "newshound/net/tls_inspect.hpp"

namespace newshound::net {

namespace ssl = boost::asio::ssl;

namespace {

/// "" when `p` opens for reading, else "<p>: <strerror>; <fix>".
std::string unreadable(const std::filesystem::path& p, std::string_view what) {
  std::FILE* f = std::fopen(p.c_str(), "rb");
  if (f != nullptr) {
    std::fclose(f);
    return "";
  }
  return p.string() + ": cannot read the " + std::string(what) + " (" + std::strerror(errno) +
         "); check the path and that the daemon's user may read it";
}

std::string failed(const std::filesystem::path& p, std::string_view what,
                   const boost::system::error_code& ec) {
  return p.string() + ": not a usable " + std::string(what) + " (" + ec.message() +
         "); it must be PEM";
}

int tls_version(const std::string& v) {
  return v == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
}

/// Loads crt_file and key_file (with key_pass) and checks they belong together.
std::string load_identity(ssl::context& ctx, const TlsOptions& o) {
  boost::system::error_code ec;
  if (auto e = unreadable(o.crt_file, "certificate"); !e.empty()) return e;
  if (auto e = unreadable(o.key_file, "private key"); !e.empty()) return e;
  ctx.use_certificate_chain_file(o.crt_file.string(), ec);
  if (ec) return failed(o.crt_file, "certificate", ec);
  const std::string pass = o.key_pass;
  ctx.set_password_callback([pass](std::size_t, ssl::context::password_purpose) { return pass; },
                            ec);
  ctx.use_private_key_file(o.key_file.string(), ssl::context::pem, ec);
  if (ec) {
    // OpenSSL refuses a key of another certificate here: say so plainly.
    if (std::string e = check_key_pair(o.crt_file, o.key_file, o.key_pass); !e.empty()) return e;
    return o.key_file.string() + ": not a usable private key (" + ec.message() +
           "); it must be PEM, and key_pass must be its passphrase if it is encrypted";
  }
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    return o.key_file.string() + ": this key does not belong to the certificate " +
           o.crt_file.string() + "; point key_file at that certificate's key";
  return "";
}

}  // namespace

TlsContextResult make_tls_context(const TlsOptions& o, TlsRole role) {
  TlsContextResult r;
  const bool server = role == TlsRole::server;
  auto ctx =
      std::make_shared<ssl::context>(server ? ssl::context::tls_server : ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::single_dh_use,
                   ec);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), tls_version(o.min_version));
  if (server && (o.crt_file.empty() || o.key_file.empty())) {
    r.error = "a TLS server needs crt_file and key_file; add both to its tls table";
    return r;
  }
  if (o.crt_file.empty() != o.key_file.empty()) {
    r.error = "crt_file and key_file go together; set both or neither";
    return r;
  }
  if (!o.crt_file.empty()) {
    r.error = load_identity(*ctx, o);
    if (!r.error.empty()) return r;
  }
  if (o.verify_certificate) {
    if (!o.ca_file.empty()) {
      if (auto e = unreadable(o.ca_file, "CA file"); !e.empty()) {
        r.error = e;
        return r;
      }
      ctx->load_verify_file(o.ca_file.string(), ec);
      if (ec) {
        r.error = failed(o.ca_file, "CA file", ec);
        return r;
      }
      if (server)
        SSL_CTX_set_client_CA_list(ctx->native_handle(),
                                   SSL_load_client_CA_file(o.ca_file.c_str()));
    } else if (server) {
      r.error =
          "a TLS server with verify_certificate = true needs ca_file (the CA its clients' "
          "certificates chain to)";
      return r;
    } else {
      ctx->set_default_verify_paths(ec);  // the system trust store
    }
    ctx->set_verify_mode(
        server ? ssl::verify_peer | ssl::verify_fail_if_no_peer_cert : ssl::verify_peer, ec);
    if (server && !o.allowed_names.empty()) {
      ctx->set_verify_callback(
          [names = o.allowed_names](bool preverified, ssl::verify_context& vc) {
            X509_STORE_CTX* sc = vc.native_handle();
            if (!preverified || X509_STORE_CTX_get_error_depth(sc) > 0) return preverified;
            if (certificate_name_allowed(X509_STORE_CTX_get_current_cert(sc), names)) return true;
            X509_STORE_CTX_set_error(sc, X509_V_ERR_APPLICATION_VERIFICATION);
            return false;
          },
          ec);
    }
  } else {
    ctx->set_verify_mode(ssl::verify_none, ec);
  }
  r.context = std::move(ctx);
  return r;
}

std::string prepare_client_ssl(SSL* ssl, const TlsOptions& o, const std::string& host) {
  const std::string& name = o.server_name.empty() ? host : o.server_name;
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(name, ec);               // ec: not an IP address
  if (ec && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1)  // SNI carries names, not IPs
    return "cannot set the server name " + name + " (SNI)";
  if (!o.verify_certificate || !o.verify_hostname) return "";
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int ok = ec ? X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size())
                    : X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  if (ok != 1) return "cannot check the server name " + name;
  return "";
}

std::string tls_failure_text(const boost::system::error_code& ec, const SSL* ssl) {
  if (ssl != nullptr) {
    const long v = SSL_get_verify_result(ssl);
    if (v != X509_V_OK && ec.category() == boost::asio::error::get_ssl_category())
      return std::string("certificate verify failed: ") + X509_verify_cert_error_string(v);
  }
  if (ec == boost::asio::ssl::error::stream_truncated || ec == boost::asio::error::eof)
    return "the peer closed the connection during the TLS handshake (does it speak TLS, and "
           "does it accept our certificate?)";
  if (ec.category() == boost::asio::error::get_ssl_category()) {
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
    if (reason != nullptr) return reason;
  }
  return ec.message();
}

std::string_view tls_failure_reason(const boost::system::error_code& ec, const SSL* ssl) {
  if (ssl != nullptr && ec.category() == boost::asio::error::get_ssl_category()) {
    switch (SSL_get_verify_result(ssl)) {
      case X509_V_OK:
        break;
      case X509_V_ERR_CERT_HAS_EXPIRED:
      case X509_V_ERR_CERT_NOT_YET_VALID:
        return "expired";
      case X509_V_ERR_HOSTNAME_MISMATCH:
      case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return "hostname_mismatch";
      case X509_V_ERR_APPLICATION_VERIFICATION:
        return "name_not_allowed";
      default:
        return "unknown_ca";
    }
  }
  if (ec == boost::asio::ssl::error::stream_truncated || ec == boost::asio::error::eof)
    return "closed";
  if (ec.category() != boost::asio::error::get_ssl_category()) return "other";
  switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      return "no_certificate";
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_HTTP_REQUEST:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
      return "not_tls";
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
      return "protocol";
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
      return "unknown_ca";
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
      return "expired";
    default:
      return "other";
  }
}

}  // namespace newshound::net

// Net: TlsOptions, the one TLS configuration shape of every network edge (tcp
// inputs and outputs, the webhook output, the admin endpoint), as read from a
// `tls = { ... }` table by the config. Plain data: no OpenSSL types here.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace newshound::net {

/// Which end of the handshake a context is for.
enum class TlsRole { client, server };

struct TlsOptions {
  /// TLS on this edge. A webhook url starting with https:// turns it on.
  bool enabled = false;
  /// PEM certificate (chain) presented to the peer: required for a server,
  /// optional for a client (a client certificate, for mutual TLS).
  std::filesystem::path crt_file;
  std::filesystem::path key_file;  ///< PEM private key of crt_file
  std::string key_pass;            ///< passphrase of an encrypted key_file; empty: none
  /// PEM CA bundle the peer's certificate must chain to. Empty: a client uses the
  /// system trust store; a server with verify_certificate needs it.
  std::filesystem::path ca_file;
  /// Client: verify the server's certificate (default on). Server: require and
  /// verify a client certificate (mutual TLS; default off).
  bool verify_certificate = true;
  /// Client: check the server certificate's names against server_name (or the
  /// host dialled). Ignored by servers.
  bool verify_hostname = true;
  /// Client: the name sent as SNI and checked; empty: the host of connect/url.
  std::string server_name;
  /// Server with verify_certificate: the client certificate's subject CN or a DNS
  /// SAN must be one of these; empty: any certificate from ca_file.
  std::vector<std::string> allowed_names;
  std::string min_version = "1.2";  ///< "1.2" or "1.3"
  bool operator==(const TlsOptions&) const = default;
};

/// An input's TLS server handshake (tcp listen, http push) must finish within this.
inline constexpr std::chrono::seconds kInputHandshakeTimeout{10};
/// How long a close_notify exchange may take when we end a TLS session on
/// purpose, before the connection is closed anyway.
inline constexpr std::chrono::milliseconds kTlsShutdownTimeout{1000};

/// The defaults a server edge starts from: verify_certificate off (mutual TLS is
/// opted into), verify_hostname meaningless. Clients use TlsOptions{} as it is.
inline TlsOptions server_tls_defaults() {
  TlsOptions o;
  o.verify_certificate = false;
  return o;
}

}  // namespace newshound::net

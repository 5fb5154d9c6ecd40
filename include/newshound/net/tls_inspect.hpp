// Net: certificate inspection for `newshound check` (and, later, the expiry
// metric): a certificate file's notAfter and subject, whether a key belongs to a
// certificate, and the allowed_names test a server applies to a client certificate.
#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace newshound::net {

/// The first certificate of a PEM file.
struct CertificateInfo {
  std::chrono::system_clock::time_point not_before, not_after;
  std::string subject;  ///< one line, e.g. "CN=newshound.example.net"
};

/// Reads the first certificate of `crt`; on failure returns nothing and sets
/// `error` to what is wrong (unreadable, not PEM). Never throws but std::bad_alloc.
std::optional<CertificateInfo> inspect_certificate(const std::filesystem::path& crt,
                                                   std::string& error);

/// "" when `key` (decrypted with `pass` if set) is readable and is the private key
/// of the first certificate in `crt`; otherwise what is wrong. Never throws but
/// std::bad_alloc.
std::string check_key_pair(const std::filesystem::path& crt, const std::filesystem::path& key,
                           const std::string& pass);

/// "" when every certificate of the PEM bundle `ca` reads; otherwise what is wrong.
std::string check_ca_file(const std::filesystem::path& ca);

/// True when `cert`'s DNS SANs or subject CN (case-insensitively) include one of
/// `names`. Never throws.
bool certificate_name_allowed(X509* cert, const std::vector<std::string>& names);

}  // namespace newshound::net

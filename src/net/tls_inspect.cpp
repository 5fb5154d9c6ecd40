// Net: certificate inspection (notAfter, subject), key/certificate pairing and
// CA bundle reading for `check`, and the allowed_names test of client certificates.
#include "newshound/net/tls_inspect.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

namespace newshound::net {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;

Bio open(const std::filesystem::path& p, std::string& error) {
  Bio b(BIO_new_file(p.c_str(), "r"));
  if (!b) error = p.string() + ": cannot read it (" + std::strerror(errno) + ")";
  ERR_clear_error();
  return b;
}

Cert read_cert(const std::filesystem::path& p, std::string& error) {
  Bio b = open(p, error);
  if (!b) return nullptr;
  Cert c(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!c) error = p.string() + ": no PEM certificate in it";
  return c;
}

std::chrono::system_clock::time_point to_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

/// Hands OpenSSL the passphrase (never a terminal prompt).
int pass_cb(char* buf, int size, int, void* u) {
  const auto* pass = static_cast<const std::string*>(u);
  if (pass == nullptr || pass->empty() || static_cast<int>(pass->size()) > size) return 0;
  std::memcpy(buf, pass->data(), pass->size());
  return static_cast<int>(pass->size());
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool listed(std::string_view name, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (same_name(name, n)) return true;
  return false;
}

}  // namespace

std::optional<CertificateInfo> inspect_certificate(const std::filesystem::path& crt,
                                                   std::string& error) {
  Cert c = read_cert(crt, error);
  if (!c) return std::nullopt;
  CertificateInfo info;
  info.not_before = to_time(X509_get0_notBefore(c.get()));
  info.not_after = to_time(X509_get0_notAfter(c.get()));
  Bio mem(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(mem.get(), X509_get_subject_name(c.get()), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(mem.get(), &data);
  if (n > 0) info.subject.assign(data, static_cast<std::size_t>(n));
  return info;
}

std::string check_key_pair(const std::filesystem::path& crt, const std::filesystem::path& key,
                           const std::string& pass) {
  std::string error;
  Cert c = read_cert(crt, error);
  if (!c) return error;
  Bio b = open(key, error);
  if (!b) return error;
  std::unique_ptr<EVP_PKEY, KeyFree> k(
      PEM_read_bio_PrivateKey(b.get(), nullptr, pass_cb, const_cast<std::string*>(&pass)));
  ERR_clear_error();
  if (!k)
    return key.string() +
           ": no usable PEM private key in it (if it is encrypted, key_pass must be its "
           "passphrase)";
  const int ok = X509_check_private_key(c.get(), k.get());
  ERR_clear_error();
  if (ok != 1)
    return key.string() + ": this key does not belong to the certificate " + crt.string() +
           "; point key_file at that certificate's key";
  return "";
}

std::string check_ca_file(const std::filesystem::path& ca) {
  std::string error;
  Bio b = open(ca, error);
  if (!b) return error;
  std::size_t count = 0;
  while (Cert c{PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr)}) ++count;
  ERR_clear_error();
  if (count == 0) return ca.string() + ": no PEM certificate in it";
  return "";
}

bool certificate_name_allowed(X509* cert, const std::vector<std::string>& names) {
  if (cert == nullptr) return false;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  bool found = false;
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans) && !found; ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type != GEN_DNS) continue;
    const ASN1_IA5STRING* s = g->d.dNSName;
    found = listed(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                    static_cast<std::size_t>(ASN1_STRING_length(s))),
                   names);
  }
  GENERAL_NAMES_free(sans);
  if (found) return true;
  X509_NAME* subject = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    if (listed(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                static_cast<std::size_t>(ASN1_STRING_length(s))),
               names))
      return true;
  }
  return false;
}

}  // namespace newshound::net

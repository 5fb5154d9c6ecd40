// Tests (support): nkeys, JWTs and .creds files for nats-server's operator mode,
// made with OpenSSL 3's Ed25519 (see nats_jwt.hpp); owns the encodings
// (base32, base64url, CRC-16) and the claims' JSON.
#include "support/nats_jwt.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <stdexcept>

namespace natsjwt {
namespace {

constexpr std::uint8_t nkey_seed_prefix = 18 << 3;  // base32 'S'

[[noreturn]] void nkey_fail(const char* what) {
  throw std::runtime_error(std::string("nats_jwt: OpenSSL failed: ") + what);
}

std::string nkey_checked(std::string bytes) {
  const std::uint16_t crc = crc16(bytes);
  bytes.push_back(char(crc & 0xff));
  bytes.push_back(char(crc >> 8));
  return base32(bytes);
}

std::string jwt_sha512_256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), md, &n, EVP_sha512_256(), nullptr) != 1)
    nkey_fail("SHA-512/256");
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::string jwt_header_b64() {
  return base64url(R"({"typ":"JWT","alg":"ed25519-nkey"})");
}

/// `bytes` as characters of `alphabet` (2^width of them), `width` bits each, most
/// significant first, the last one padded with zero bits; no '=' padding.
std::string encode_bits(std::string_view bytes, const char* alphabet, int width) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  const std::uint32_t mask = (1u << width) - 1;
  for (const char c : bytes) {
    buffer = (buffer << 8) | std::uint8_t(c);
    bits += 8;
    while (bits >= width) {
      bits -= width;
      out.push_back(alphabet[(buffer >> bits) & mask]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (width - bits)) & mask]);
  return out;
}
}  // namespace

std::string base32(std::string_view bytes) {
  return encode_bits(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 5);
}

std::string base64url(std::string_view bytes) {
  return encode_bits(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 6);
}

std::uint16_t crc16(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (const char c : bytes) {
    crc ^= std::uint16_t(std::uint8_t(c) << 8);
    for (int i = 0; i < 8; ++i)
      crc = (crc & 0x8000) != 0 ? std::uint16_t((crc << 1) ^ 0x1021) : std::uint16_t(crc << 1);
  }
  return crc;
}

std::string encode_public(Kind kind, std::string_view raw_public) {
  std::string bytes(1, char(kind));
  bytes.append(raw_public);
  return nkey_checked(std::move(bytes));
}

std::string encode_seed(Kind kind, std::string_view raw_seed) {
  const auto k = std::uint8_t(kind);
  // 5 bits of 'S' then the kind's 5 significant bits, so both print as letters.
  std::string bytes{char(nkey_seed_prefix | (k >> 5)), char((k & 31) << 3)};
  bytes.append(raw_seed);
  return nkey_checked(std::move(bytes));
}

struct KeyPair::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

KeyPair::KeyPair(Kind kind) : kind_(kind), impl_(std::make_unique<Impl>()) {
  impl_->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (impl_->key == nullptr) nkey_fail("Ed25519 key generation");
}
KeyPair::~KeyPair() = default;
KeyPair::KeyPair(KeyPair&&) noexcept = default;
KeyPair& KeyPair::operator=(KeyPair&&) noexcept = default;

namespace {
/// The 32 raw bytes of `key`'s public or private half.
std::string raw_key(EVP_PKEY* key, bool private_half) {
  std::string raw(32, '\0');
  std::size_t n = raw.size();
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  const int ok = private_half ? EVP_PKEY_get_raw_private_key(key, out, &n)
                              : EVP_PKEY_get_raw_public_key(key, out, &n);
  if (ok != 1 || n != 32) nkey_fail(private_half ? "raw private key" : "raw public key");
  return raw;
}
}  // namespace

std::string KeyPair::public_key() const {
  return encode_public(kind_, raw_key(impl_->key, false));
}

std::string KeyPair::seed() const {
  return encode_seed(kind_, raw_key(impl_->key, true));
}

std::string KeyPair::sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string sig(64, '\0');
  std::size_t n = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    nkey_fail("Ed25519 signature");
  sig.resize(n);
  return sig;
}

bool KeyPair::verify(std::string_view data, std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

std::string jwt(const KeyPair& issuer, const std::string& subject, const std::string& name,
                const std::string& nats_json) {
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string rest = "\"iat\":" + std::to_string(iat) + ",\"iss\":\"" + issuer.public_key() +
                           "\",\"name\":\"" + name + "\",\"sub\":\"" + subject +
                           "\",\"nats\":" + nats_json + "}";
  const std::string jti = base32(jwt_sha512_256("{" + rest));
  const std::string signed_part =
      jwt_header_b64() + "." + base64url("{\"jti\":\"" + jti + "\"," + rest);
  return signed_part + "." + base64url(issuer.sign(signed_part));
}

std::string operator_jwt(const KeyPair& op, const std::string& name,
                         const std::string& system_account) {
  return jwt(op, op.public_key(), name,
             R"({"system_account":")" + system_account + R"(","type":"operator","version":2})");
}

std::string account_jwt(const KeyPair& op, const KeyPair& account, const std::string& name,
                        bool jetstream) {
  std::string limits =
      R"("subs":-1,"data":-1,"payload":-1,"imports":-1,"exports":-1,"wildcards":true,)"
      R"("conn":-1,"leaf":-1)";
  if (jetstream) limits += R"(,"mem_storage":-1,"disk_storage":-1,"streams":-1,"consumer":-1)";
  return jwt(op, account.public_key(), name,
             R"({"limits":{)" + limits +
                 R"(},"default_permissions":{"pub":{},"sub":{}},"type":"account","version":2})");
}

std::string user_jwt(const KeyPair& account, const KeyPair& user, const std::string& name) {
  return jwt(account, user.public_key(), name,
             R"({"pub":{},"sub":{},"subs":-1,"data":-1,"payload":-1,"type":"user","version":2})");
}

std::string creds(const std::string& user_jwt, const std::string& user_seed) {
  return "-----BEGIN NATS USER JWT-----\n" + user_jwt +
         "\n------END NATS USER JWT------\n\n"
         "************************* IMPORTANT *************************\n"
         "NKEY Seed printed below can be used to sign and prove identity.\n"
         "NKEYs are sensitive and should be treated as secrets.\n\n"
         "-----BEGIN USER NKEY SEED-----\n" +
         user_seed +
         "\n------END USER NKEY SEED------\n\n"
         "*************************************************************\n";
}

std::string server_config(const std::string& operator_jwt_file, const std::string& system_account,
                          const std::vector<std::pair<std::string, std::string>>& accounts) {
  std::string out = "operator: \"" + operator_jwt_file + "\"\nsystem_account: " + system_account +
                    "\nresolver: MEMORY\nresolver_preload: {\n";
  for (const auto& [key, token] : accounts) out += "  " + key + ": \"" + token + "\"\n";
  return out + "}\n";
}

}  // namespace natsjwt

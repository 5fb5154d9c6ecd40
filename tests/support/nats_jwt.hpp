// Tests (support): NATS decentralized-auth material made with OpenSSL 3, so the
// JetStream tests can run nats-server in operator mode without `nsc` (which
// Debian does not ship): Ed25519 nkeys (public keys and seeds in the nkeys text
// encoding: base32 of prefix + raw key + CRC-16), operator, account and user
// JWTs signed as nats-server 2.9 checks them (nats-io/jwt v2 claims), the
// .creds file nats.c reads, and the server config that trusts the operator.
// Test-only: every key is fresh and lives in memory and the test's temp folder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace natsjwt {

/// An nkey's type: its public prefix byte (base32 gives 'O', 'A', 'U').
enum class Kind : std::uint8_t { operator_key = 14 << 3, account = 0, user = 20 << 3 };

/// RFC 4648 base32 (alphabet A-Z 2-7) without padding, as nkeys use it.
std::string base32(std::string_view bytes);

/// base64url without padding, as JWTs use it.
std::string base64url(std::string_view bytes);

/// CRC-16/XMODEM (poly 0x1021, initial 0), the nkeys checksum.
std::uint16_t crc16(std::string_view bytes);

/// nkeys text of a 32-byte raw public key: base32(prefix, key, CRC-16 little-endian).
std::string encode_public(Kind kind, std::string_view raw_public);

/// nkeys text of a 32-byte raw Ed25519 seed: base32 of the two bytes that spell
/// 'S' and the kind, the seed, CRC-16 little-endian ("SO...", "SA...", "SU...").
std::string encode_seed(Kind kind, std::string_view raw_seed);

/// A fresh Ed25519 key pair of one kind (throws std::runtime_error if OpenSSL fails).
class KeyPair {
 public:
  explicit KeyPair(Kind kind);
  ~KeyPair();
  KeyPair(KeyPair&&) noexcept;
  KeyPair& operator=(KeyPair&&) noexcept;

  /// The public key in nkeys text (56 characters, 'O', 'A' or 'U' first).
  std::string public_key() const;
  /// The seed in nkeys text (58 characters, "SO", "SA" or "SU" first).
  std::string seed() const;
  /// The 64-byte Ed25519 signature of `data`.
  std::string sign(std::string_view data) const;
  /// True when `signature` is this key's Ed25519 signature of `data`.
  bool verify(std::string_view data, std::string_view signature) const;

 private:
  struct Impl;
  Kind kind_;
  std::unique_ptr<Impl> impl_;
};

/// A JWT issued by `issuer` about `subject`: header {"typ":"JWT","alg":"ed25519-nkey"},
/// claims {jti, iat, iss, name, sub, nats: `nats_json`}, Ed25519 over "header.claims".
/// jti is base32 of a SHA-512/256 of the other claims: unique per JWT (nsc hashes its base
/// claims only; the server does not check how jti was made).
std::string jwt(const KeyPair& issuer, const std::string& subject, const std::string& name,
                const std::string& nats_json);

/// A self-signed operator JWT naming `system_account` (an account public key).
std::string operator_jwt(const KeyPair& op, const std::string& name,
                         const std::string& system_account);

/// An account JWT signed by `op`, with unlimited connections and, when
/// `jetstream`, unlimited JetStream (memory, disk, streams, consumers).
std::string account_jwt(const KeyPair& op, const KeyPair& account, const std::string& name,
                        bool jetstream);

/// A user JWT signed by `account`, allowed every subject.
std::string user_jwt(const KeyPair& account, const KeyPair& user, const std::string& name);

/// The .creds text nsc writes and nats.c reads: the user JWT and the user seed.
std::string creds(const std::string& user_jwt, const std::string& user_seed);

/// nats-server config lines for operator mode: `operator` (a JWT file),
/// `system_account`, `resolver: MEMORY` and `resolver_preload` of `accounts`
/// (public key, JWT).
std::string server_config(const std::string& operator_jwt_file, const std::string& system_account,
                          const std::vector<std::pair<std::string, std::string>>& accounts);

}  // namespace natsjwt

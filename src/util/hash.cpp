// Utility: stable 128-bit hashing (XXH3) for content ids, alert ids, rules versions.
#include "newshound/util/hash.hpp"

#include <xxhash.h>

#include <cstring>

namespace newshound {

namespace {
/// 32 lower-case hex digits, high half first (what "%016llx%016llx" prints; by
/// hand: every alert's id is one, and snprintf cost a tenth of an alert).
std::string to_hex(XXH128_hash_t h) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int k = 0; k < 16; ++k) {
    out[15 - k] = kHex[(h.high64 >> (4 * k)) & 15];
    out[31 - k] = kHex[(h.low64 >> (4 * k)) & 15];
  }
  return out;
}
}  // namespace

StableHasher::StableHasher() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

StableHasher::~StableHasher() {
  XXH3_freeState(static_cast<XXH3_state_t*>(state_));
}

void StableHasher::add(std::string_view part) {
  auto* st = static_cast<XXH3_state_t*>(state_);
  const std::uint64_t len = part.size();
  XXH3_128bits_update(st, &len, sizeof len);
  XXH3_128bits_update(st, part.data(), part.size());
}

std::string StableHasher::hex() const {
  return to_hex(XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_)));
}

std::string stable_hash_hex(std::initializer_list<std::string_view> parts) {
  // XXH3's streaming and one-shot forms give the same hash of the same bytes: the
  // usual few short parts (an alert id, a story id) are laid out on the stack and
  // hashed at once, with no streaming state to allocate.
  constexpr std::size_t kStack = 512;
  std::size_t total = 0;
  for (auto p : parts) total += sizeof(std::uint64_t) + p.size();
  if (total > kStack) {
    StableHasher h;
    for (auto p : parts) h.add(p);
    return h.hex();
  }
  char buf[kStack];
  char* at = buf;
  for (auto p : parts) {
    const std::uint64_t len = p.size();
    std::memcpy(at, &len, sizeof len);
    at += sizeof len;
    if (!p.empty()) std::memcpy(at, p.data(), p.size());
    at += p.size();
  }
  return to_hex(XXH3_128bits(buf, total));
}

}  // namespace newshound

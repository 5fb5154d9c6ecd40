// Utility: stable 128-bit hashing (XXH3) for content ids, alert ids, rules versions.
#include "newshound/util/hash.hpp"

#include <xxhash.h>

#include <cstdio>

namespace newshound {

namespace {
std::string to_hex(XXH128_hash_t h) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(buf, 32);
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
  StableHasher h;
  for (auto p : parts) h.add(p);
  return h.hex();
}

}  // namespace newshound

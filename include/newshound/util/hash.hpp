// Utility: stable 128-bit hashing (XXH3) for content ids, alert ids, rules versions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace newshound {

/// Hashes the parts in order, each length-prefixed so ("ab","c") != ("a","bc").
/// Returns 32 lowercase hex digits. Stable across runs, hosts and versions.
std::string stable_hash_hex(std::initializer_list<std::string_view> parts);

/// Incremental form of the same hash, for hashing many parts (e.g. all watch-lists).
class StableHasher {
 public:
  StableHasher();
  ~StableHasher();
  StableHasher(const StableHasher&) = delete;
  StableHasher& operator=(const StableHasher&) = delete;
  void add(std::string_view part);
  std::string hex() const;

 private:
  void* state_;
};

}  // namespace newshound

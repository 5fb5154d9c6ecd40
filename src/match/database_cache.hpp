// Stage: match (internal). The on-disk cache of compiled Hyperscan databases: a
// daemon restarting on unchanged watch-lists loads each shard instead of compiling
// it. Content-addressed: a file's name is the hash of everything its database was
// compiled from (expressions, flags, ids, mode) plus the Hyperscan version and the
// host's CPU features, so a changed list, a library upgrade or another CPU simply
// misses. Nothing read is trusted: a file must carry the magic, its own key and a
// checksum of the serialized bytes, and Hyperscan must accept it.
#pragma once

#include <hs.h>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace newshound::match_detail {

/// One rules compile's view of the cache folder. Thread-safe for load/store of
/// distinct keys (each shard has its own). Never throws; failures are counted.
class DatabaseCache {
 public:
  /// `dir` empty: disabled (load finds nothing, store stores nothing).
  explicit DatabaseCache(std::filesystem::path dir);

  bool enabled() const { return !dir_.empty(); }

  /// The cache key of one expression set (32 hex digits).
  static std::string key(std::string_view expressions, std::span<const unsigned> flags,
                         std::span<const unsigned> ids);

  /// The database stored under `key`, owned by the caller; nullptr when absent or
  /// when the file is unreadable, truncated, corrupt or made for another Hyperscan
  /// or CPU (`rejected` is then set, and the file is replaced by the next store).
  hs_database_t* load(const std::string& key, bool& rejected) const;

  /// Serializes `db` under `key`: a temporary file (0640) renamed into place, so a
  /// reader never sees half a file. Returns "" or what failed (with the path).
  std::string store(const std::string& key, const hs_database_t* db) const;

  /// Removes the cache files whose key is not in `keep` (databases of lists no
  /// longer loaded) and temporary files older than ten minutes (a crashed
  /// store's). Other files are left alone. Errors are ignored.
  void prune(const std::vector<std::string>& keep) const;

  /// The file a key is stored in.
  std::filesystem::path path_of(const std::string& key) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace newshound::match_detail

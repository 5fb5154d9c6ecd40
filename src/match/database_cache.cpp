// Stage: match (internal). DatabaseCache (see database_cache.hpp). File layout:
// "newshound-hsdb 1\n", the 32-hex key, '\n', the 32-hex XXH3-128 of the payload,
// '\n', then the payload: hs_serialize_database's bytes.
#include "database_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <system_error>

#include "newshound/util/hash.hpp"

namespace newshound::match_detail {
namespace {

constexpr std::string_view kMagic = "newshound-hsdb 1\n";
constexpr std::size_t kHex = 32;
constexpr std::size_t kHeader = kMagic.size() + 2 * (kHex + 1);
constexpr std::string_view kSuffix = ".hsdb";
/// A serialized database larger than this is not read (the largest lists give
/// a few hundred MB; a bigger file is not one of ours).
constexpr std::size_t kMaxFile = std::size_t{2} << 30;

/// The host's Hyperscan version and CPU features, as one key part.
std::string platform() {
  hs_platform_info_t p{};
  std::string s = hs_version();
  if (hs_populate_platform(&p) == HS_SUCCESS) {
    s += "/tune=" + std::to_string(p.tune) + "/features=" + std::to_string(p.cpu_features);
  }
  return s;
}

std::string_view bytes_of(std::span<const unsigned> v) {
  return {reinterpret_cast<const char*>(v.data()), v.size_bytes()};
}

/// Reads the whole of `path` (at most kMaxFile bytes); false when it cannot.
bool read_all(const std::filesystem::path& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return false;
  bool ok = true;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 || out.size() + static_cast<std::size_t>(n) > kMaxFile) {
      ok = false;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return ok;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

DatabaseCache::DatabaseCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::string DatabaseCache::key(std::string_view expressions, std::span<const unsigned> flags,
                               std::span<const unsigned> ids) {
  static const std::string host = platform();
  return stable_hash_hex({"block", host, expressions, bytes_of(flags), bytes_of(ids)});
}

std::filesystem::path DatabaseCache::path_of(const std::string& key) const {
  return dir_ / (key + std::string(kSuffix));
}

hs_database_t* DatabaseCache::load(const std::string& key, bool& rejected) const {
  rejected = false;
  if (!enabled()) return nullptr;
  std::string file;
  std::error_code ec;
  if (!std::filesystem::exists(path_of(key), ec)) return nullptr;
  rejected = true;  // from here on, anything short of a database is a bad file
  if (!read_all(path_of(key), file) || file.size() < kHeader) return nullptr;
  const std::string_view f(file);
  if (f.substr(0, kMagic.size()) != kMagic) return nullptr;
  const std::string_view stored_key = f.substr(kMagic.size(), kHex);
  const std::string_view sum = f.substr(kMagic.size() + kHex + 1, kHex);
  const std::string_view payload = f.substr(kHeader);
  if (stored_key != key || f[kMagic.size() + kHex] != '\n' || f[kHeader - 1] != '\n' ||
      sum != stable_hash_hex({payload})) {
    return nullptr;
  }
  char* info = nullptr;
  if (hs_serialized_database_info(payload.data(), payload.size(), &info) != HS_SUCCESS) {
    return nullptr;
  }
  std::free(info);
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(payload.data(), payload.size(), &db) != HS_SUCCESS) return nullptr;
  rejected = false;
  return db;
}

std::string DatabaseCache::store(const std::string& key, const hs_database_t* db) const {
  if (!enabled()) return {};
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return "cannot create " + dir_.string() + ": " + ec.message();
  char* bytes = nullptr;
  std::size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) return "cannot serialize a database";
  const std::unique_ptr<char, decltype(&std::free)> owned(bytes, &std::free);
  const std::string_view payload(bytes, size);
  const std::string header = std::string(kMagic) + key + '\n' + stable_hash_hex({payload}) + '\n';
  const std::filesystem::path final_path = path_of(key);
  const std::filesystem::path tmp = final_path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return "cannot write " + tmp.string() + ": " + std::generic_category().message(errno);
  const bool ok = write_all(fd, header) && write_all(fd, payload);
  const int err = errno;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), final_path.c_str()) != 0) {
    const std::string what = std::generic_category().message(ok ? errno : err);
    ::unlink(tmp.c_str());
    return "cannot write " + final_path.string() + ": " + what;
  }
  return {};
}

void DatabaseCache::prune(const std::vector<std::string>& keep) const {
  if (!enabled()) return;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool ours = name.size() == kHex + kSuffix.size() && name.ends_with(kSuffix);
    const bool temp = name.find(std::string(kSuffix) + ".tmp.") != std::string::npos;
    if (!ours && !temp) continue;  // not ours: left alone
    bool wanted = false;
    for (const auto& k : keep) wanted = wanted || name.compare(0, kHex, k) == 0;
    // A temporary file is someone's write in progress unless it is old.
    if (temp) {
      const auto age = std::filesystem::file_time_type::clock::now() -
                       std::filesystem::last_write_time(it->path(), ec);
      if (ec || age < std::chrono::minutes(10)) {
        ec.clear();
        continue;
      }
    }
    if (temp || !wanted) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

}  // namespace newshound::match_detail

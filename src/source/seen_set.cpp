// Stage: source. SeenSet (seen_set.hpp): one line per entry, "<key hash 32 hex>
// <version hash 32 hex> <unix seconds>\n"; a line of another shape (a torn tail)
// is skipped on load. Keys and versions are hashed so every line has one size.
#include "newshound/source/seen_set.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

#include "newshound/util/hash.hpp"

namespace newshound {

namespace {

constexpr std::size_t kHex = 32;

bool is_hex(std::string_view s) {
  return s.size() == kHex && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::int64_t seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string errno_text() {
  return std::strerror(errno);
}

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

SeenSet::~SeenSet() {
  if (fd_ >= 0) ::close(fd_);
}

std::string SeenSet::line(std::string_view key, const Entry& e) {
  return std::string(key) + ' ' + e.version + ' ' + std::to_string(e.time) + '\n';
}

void SeenSet::trim(std::int64_t now) {
  const std::int64_t oldest = now - opt_.max_age.count();
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.time < oldest; });
  if (entries_.size() <= opt_.max_entries) return;
  std::vector<std::int64_t> times;
  times.reserve(entries_.size());
  for (const auto& kv : entries_) times.push_back(kv.second.time);
  const std::size_t drop = entries_.size() - opt_.max_entries;
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   times.end());
  const std::int64_t cut = times[drop - 1];
  std::size_t dropped = 0;
  std::erase_if(entries_, [&](const auto& kv) {
    if (dropped < drop && kv.second.time <= cut) return ++dropped, true;
    return false;
  });
}

std::string SeenSet::open(Options options, std::chrono::system_clock::time_point now) {
  opt_ = std::move(options);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  entries_.clear();
  queued_.clear();
  if (opt_.file.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(opt_.file.parent_path(), ec);
  if (ec) return "cannot create " + opt_.file.parent_path().string() + ": " + ec.message();
  {
    std::ifstream in(opt_.file, std::ios::binary);
    std::string l;
    while (std::getline(in, l)) {
      // A torn line (no newline: getline hit EOF) or any other shape is skipped.
      if (in.eof() || l.size() < 2 * kHex + 3 || l[kHex] != ' ' || l[2 * kHex + 1] != ' ') continue;
      const std::string_view v(l);
      const std::string_view key = v.substr(0, kHex), ver = v.substr(kHex + 1, kHex),
                             t = v.substr(2 * kHex + 2);
      std::int64_t time = 0;
      auto [end, err] = std::from_chars(t.data(), t.data() + t.size(), time);
      if (!is_hex(key) || !is_hex(ver) || err != std::errc() || end != t.data() + t.size())
        continue;
      entries_[std::string(key)] = Entry{std::string(ver), time};
    }
  }
  trim(seconds(now));
  // Compact: write what is kept to a new file, sync it, rename it over the log.
  const std::filesystem::path tmp = opt_.file.string() + ".tmp";
  const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) return "cannot write " + tmp.string() + ": " + errno_text();
  std::string all;
  for (const auto& [key, e] : entries_) all += line(key, e);
  const bool ok = write_all(out, all) && ::fsync(out) == 0;
  ::close(out);
  if (!ok || ::rename(tmp.c_str(), opt_.file.c_str()) != 0)
    return "cannot write " + opt_.file.string() + ": " + errno_text();
  if (const int dir = ::open(opt_.file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  lines_ = entries_.size();
  fd_ = ::open(opt_.file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return "cannot open " + opt_.file.string() + ": " + errno_text();
  return {};
}

bool SeenSet::contains(std::string_view key, std::string_view version) const {
  const auto it = entries_.find(stable_hash_hex({key}));
  return it != entries_.end() && it->second.version == stable_hash_hex({version});
}

bool SeenSet::stale(std::string_view key, std::chrono::system_clock::time_point now) const {
  const auto it = entries_.find(stable_hash_hex({key}));
  return it != entries_.end() && it->second.time < seconds(now) - opt_.max_age.count() / 2;
}

void SeenSet::add(std::string_view key, std::string_view version,
                  std::chrono::system_clock::time_point now) {
  const std::string k = stable_hash_hex({key});
  Entry e{stable_hash_hex({version}), seconds(now)};
  queued_ += line(k, e);
  entries_[k] = std::move(e);
}

std::string SeenSet::flush() {
  if (queued_.empty()) return {};
  std::string batch;
  batch.swap(queued_);
  if (fd_ < 0) return opt_.file.empty() ? "" : "the seen-items log is not open";
  if (!write_all(fd_, batch) || ::fdatasync(fd_) != 0)
    return "cannot append to " + opt_.file.string() + ": " + errno_text();
  lines_ += static_cast<std::size_t>(std::count(batch.begin(), batch.end(), '\n'));
  if (lines_ > 2 * opt_.max_entries + 1000) {  // the log grew: compact it now
    const Options o = opt_;
    auto kept = std::move(entries_);
    if (auto err = open(o, std::chrono::system_clock::now()); !err.empty()) {
      entries_ = std::move(kept);
      return err;
    }
  }
  return {};
}

}  // namespace newshound

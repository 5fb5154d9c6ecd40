// Stage: sink. Spool (see spool.hpp): its lifetime (open, close) and the cursor
// file. Recovery is in spool_recover.cpp, appending in spool_append.cpp, reading
// and releasing in spool_read.cpp, syncing in spool_sync.cpp; the on-disk format
// is described in spool_format.hpp.
#include "newshound/sink/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "spool_format.hpp"

namespace newshound {

namespace fs = std::filesystem;
using namespace spool_format;

bool spool_format::write_all(int fd, const char* p, std::size_t n, std::uint64_t off) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, p, n, static_cast<off_t>(off));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (w == 0) {
      errno = EIO;
      return false;
    }
    p += w;
    n -= std::size_t(w);
    off += std::uint64_t(w);
  }
  return true;
}

// Reads up to n bytes at off; returns bytes read (short at end of file), -1 on error.

ssize_t spool_format::read_at(int fd, char* p, std::size_t n, std::uint64_t off) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, p + got, n - got, static_cast<off_t>(off + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += std::size_t(r);
  }
  return static_cast<ssize_t>(got);
}

std::uint32_t crc32c(std::string_view data) {
  Crc32c c;
  c.process_bytes(data.data(), data.size());
  return c.checksum();
}

Spool::Spool(SpoolOptions opts) : opts_(std::move(opts)) {
  if (opts_.segment_bytes == 0) {
    opts_.segment_bytes =
        std::clamp<std::uint64_t>(opts_.max_bytes / 16, 64 * 1024, std::uint64_t(64) << 20);
  }
  opts_.segment_bytes =
      std::min(opts_.segment_bytes, std::max<std::uint64_t>(opts_.max_bytes / 2, 4096));
}

std::unique_ptr<Spool> Spool::open(const SpoolOptions& opts, std::string& error) {
  std::unique_ptr<Spool> s(new Spool(opts));
  if (!s->recover(error)) return nullptr;
  return s;
}

Spool::~Spool() {
  save_cursor();
  if (write_fd_ >= 0) {
    if (opts_.fsync != FsyncPolicy::never) ::fdatasync(write_fd_);
    ::close(write_fd_);
  }
  if (opts_.fsync != FsyncPolicy::never) {
    std::string ignored;
    unsynced_.run(ignored);
  }
  if (read_fd_ >= 0) ::close(read_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

fs::path Spool::seg_path(std::uint64_t seq) const {
  char name[32];
  std::snprintf(name, sizeof name, "%016llu.seg", static_cast<unsigned long long>(seq));
  return opts_.dir / name;
}

void Spool::set_error(const std::string& what, int err) {
  last_error_ = what + ": " + std::strerror(err);
}

std::string Spool::take_cursor() {
  if (!cursor_dirty_ || lock_fd_ < 0) return {};
  std::string c(kCursorBytes, '\0');
  std::memcpy(c.data(), kCurMagic, 8);
  put_u32(c.data() + 8, kVersion);
  put_u32(c.data() + 12, 0);
  put_u64(c.data() + 16, release_.seq);
  put_u64(c.data() + 24, release_.off);
  put_u32(c.data() + 32, crc32c(std::string_view(c.data(), 32)));
  cursor_dirty_ = false;
  return c;
}

std::string Spool::write_cursor(const fs::path& dir, std::string_view bytes, bool sync) {
  const fs::path tmp = dir / "cursor.tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  bool ok =
      fd >= 0 && write_all(fd, bytes.data(), bytes.size(), 0) && (!sync || ::fdatasync(fd) == 0);
  int err = errno;
  if (fd >= 0) ::close(fd);
  if (ok && ::rename(tmp.c_str(), (dir / "cursor").c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (ok) return {};
  return "cannot write spool cursor " + tmp.string() + ": " + std::strerror(err);
}

void Spool::cursor_failed(const std::string& error) {
  last_error_ = error;
  ++st_.write_errors;
  cursor_dirty_ = true;
}

bool Spool::save_cursor() {
  const std::string c = take_cursor();
  if (c.empty()) return true;
  const std::string err = write_cursor(opts_.dir, c, opts_.fsync != FsyncPolicy::never);
  if (err.empty()) return true;
  cursor_failed(err);
  return false;
}

}  // namespace newshound

// Stage: sink. Spool (see spool.hpp) durability: SpoolSync, the detached set of
// fdatasync/fsync calls covering the records appended so far, and the Spool
// calls that make one (take_sync), run one here (sync) or take a failed one back.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "newshound/sink/spool.hpp"

namespace newshound {

SpoolSync::SpoolSync(SpoolSync&& o) noexcept
    : files_(std::move(o.files_)), dir_(std::move(o.dir_)) {
  o.files_.clear();
  o.dir_.clear();
}

SpoolSync& SpoolSync::operator=(SpoolSync&& o) noexcept {
  if (this != &o) {
    for (const File& f : files_) ::close(f.fd);
    files_ = std::move(o.files_);
    dir_ = std::move(o.dir_);
    o.files_.clear();
    o.dir_.clear();
  }
  return *this;
}

SpoolSync::~SpoolSync() {
  for (const File& f : files_) ::close(f.fd);
}

void SpoolSync::merge(SpoolSync&& other) {
  for (File& f : other.files_) files_.push_back(f);
  other.files_.clear();
  if (!other.dir_.empty()) dir_ = std::move(other.dir_);
  other.dir_.clear();
}

bool SpoolSync::run(std::string& error) {
  // Files first, then the directory entries that point at them.
  while (!files_.empty()) {
    const File& f = files_.back();
    if (::fdatasync(f.fd) != 0) {
      error = "cannot sync spool segment " + f.path + ": " + std::strerror(errno);
      return false;
    }
    ::close(f.fd);
    files_.pop_back();
  }
  if (dir_.empty()) return true;
  const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!ok) {
    error = "cannot sync spool directory " + dir_ + ": " + std::strerror(err);
    return false;
  }
  dir_.clear();
  return true;
}

SpoolSync Spool::take_sync() {
  SpoolSync s = std::move(unsynced_);
  unsynced_ = SpoolSync();
  if (write_fd_ >= 0) {
    const int fd = ::fcntl(write_fd_, F_DUPFD_CLOEXEC, 0);
    if (fd >= 0) {
      s.files_.push_back({fd, seg_path(write_seq_).string()});
    } else {  // out of descriptors: sync through a fresh one later
      s.files_.push_back({::open(seg_path(write_seq_).c_str(), O_WRONLY | O_CLOEXEC),
                          seg_path(write_seq_).string()});
      if (s.files_.back().fd < 0) s.files_.pop_back();
    }
  }
  return s;
}

void Spool::give_back(SpoolSync failed, const std::string& error) {
  last_error_ = error;
  ++st_.write_errors;
  failed.merge(std::move(unsynced_));
  unsynced_ = std::move(failed);
}

bool Spool::sync() {
  SpoolSync s = take_sync();
  std::string err;
  if (s.run(err)) return true;
  give_back(std::move(s), err);
  return false;
}

}  // namespace newshound

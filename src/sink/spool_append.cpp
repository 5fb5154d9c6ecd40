// Stage: sink. Spool (see spool.hpp) appending: opening a new segment (rollover)
// and writing one framed record. Nothing here waits for the disk; syncing is in
// spool_sync.cpp.
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "newshound/sink/spool.hpp"
#include "spool_format.hpp"

namespace newshound {

namespace fs = std::filesystem;
using namespace spool_format;

// Stops appending to the segment written to. Its records may not be synced yet:
// its descriptor waits in unsynced_ for the next sync (closed at once with "never").
void Spool::retire_write_fd() {
  if (write_fd_ < 0) return;
  if (opts_.fsync == FsyncPolicy::never) {
    ::close(write_fd_);
  } else {
    unsynced_.files_.push_back({write_fd_, seg_path(write_seq_).string()});
  }
  write_fd_ = -1;
  write_seq_ = 0;
}

// Rollover. Waits for no disk: the new file's header and its directory entry are
// synced with the records written to it (take_sync()).
bool Spool::open_write_segment() {
  retire_write_fd();
  const std::uint64_t seq = next_seq_++;
  const fs::path path = seg_path(seq);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  char hdr[kHeaderBytes];
  std::memcpy(hdr, kSegMagic, 8);
  put_u32(hdr + 8, kVersion);
  put_u32(hdr + 12, crc32c(std::string_view(hdr, 12)));
  if (fd < 0 || !write_all(fd, hdr, kHeaderBytes, 0)) {
    set_error("cannot create spool segment " + path.string(), errno);
    if (fd >= 0) {
      ::close(fd);
      ::unlink(path.c_str());
    }
    return false;
  }
  if (opts_.fsync != FsyncPolicy::never) unsynced_.dir_ = opts_.dir.string();
  write_fd_ = fd;
  write_seq_ = seq;
  segs_.push_back({seq, kHeaderBytes, kHeaderBytes});
  st_.disk_bytes += kHeaderBytes;
  st_.segments = segs_.size();
  normalize(release_);
  normalize(read_);
  collect();
  return true;
}

SpoolAppend Spool::append(std::string_view payload) {
  const std::uint64_t rec = kRecordHeader + payload.size();
  if (payload.empty() || payload.size() > kMaxRecord) {
    last_error_ = "spool " + opts_.dir.string() + ": record of " + std::to_string(payload.size()) +
                  " bytes cannot be stored (1 to " + std::to_string(kMaxRecord) + ")";
    ++st_.write_errors;
    return SpoolAppend::io_error;
  }
  const bool rollover = write_fd_ < 0 || (segs_.back().size + rec > opts_.segment_bytes &&
                                          segs_.back().size > kHeaderBytes);
  const std::uint64_t need = rec + (rollover ? kHeaderBytes : 0);
  if (!empty() && st_.disk_bytes + need > opts_.max_bytes) return SpoolAppend::full;
  if (rollover && !open_write_segment()) {
    ++st_.write_errors;
    return SpoolAppend::io_error;
  }
  Segment& seg = segs_.back();
  scratch_.resize(kRecordHeader);
  put_u32(scratch_.data(), static_cast<std::uint32_t>(payload.size()));
  put_u32(scratch_.data() + 4, record_crc(scratch_.data(), payload));
  iovec iov[2] = {{scratch_.data(), kRecordHeader},
                  {const_cast<char*>(payload.data()), payload.size()}};
  std::uint64_t done = 0;
  while (done < rec) {
    ssize_t w;
    if (done < kRecordHeader) {
      iovec part[2] = {{scratch_.data() + done, kRecordHeader - done}, iov[1]};
      w = ::pwritev(write_fd_, part, 2, static_cast<off_t>(seg.size + done));
    } else {
      w = ::pwrite(write_fd_, payload.data() + (done - kRecordHeader), rec - done,
                   static_cast<off_t>(seg.size + done));
    }
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = w == 0 ? EIO : errno;
      set_error("cannot write spool segment " + seg_path(seg.seq).string(), err);
      ++st_.write_errors;
      buf_len_ = 0;  // the reader may have seen the partial bytes
      if (::ftruncate(write_fd_, static_cast<off_t>(seg.size)) != 0) {
        // Cannot undo the partial write: never append after it again.
        retire_write_fd();
      }
      return SpoolAppend::io_error;
    }
    done += std::uint64_t(w);
  }
  seg.size += rec;
  seg.disk += rec;
  st_.disk_bytes += rec;
  st_.records += 1;
  st_.bytes += rec;
  st_.appended += 1;
  return SpoolAppend::ok;
}
}  // namespace newshound

// Stage: sink. Spool (see spool.hpp) recovery on open: locking the directory,
// checking segment headers, truncating torn tails, reading the cursor and
// counting the records left to deliver.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "newshound/sink/spool.hpp"
#include "spool_format.hpp"

namespace newshound {

namespace fs = std::filesystem;
using namespace spool_format;

// Walks the records of `seg` from its header; truncates a torn tail, stops at a
// broken frame. Counts the records at or after the last record boundary <= from
// into the stats and stores that boundary in *start_at.
bool Spool::scan_segment(Segment& seg, std::uint64_t from, std::uint64_t* start_at) {
  const fs::path path = seg_path(seg.seq);
  if (!open_reader(read_fd_, read_fd_seq_, buf_len_, path, seg.seq)) return false;
  std::uint64_t off = kHeaderBytes, records = 0, bytes = 0;
  *start_at = kHeaderBytes;
  bool torn = false;
  while (off < seg.size) {
    if (seg.size - off < kRecordHeader || !fill(off, kRecordHeader)) {
      torn = true;
      break;
    }
    const std::uint32_t len = get_u32(buf_.data() + (off - buf_off_));
    if (len == 0 || len > kMaxRecord) {
      ++st_.bad_records;
      spdlog::warn(
          "spool {}: broken record frame at offset {} of {}; the rest of that file is skipped "
          "(counted as a bad record)",
          opts_.dir.string(), off, path.string());
      seg.size = off;
      break;
    }
    if (seg.size - off - kRecordHeader < len) {
      torn = true;
      break;
    }
    if (off <= from) {
      *start_at = off;
      records = 0;
      bytes = 0;
    }
    ++records;
    bytes += kRecordHeader + len;
    off += kRecordHeader + len;
  }
  if (torn) {
    ++st_.torn_tails;
    spdlog::warn("spool {}: {} ends in a partial record ({} bytes at offset {}); truncated",
                 opts_.dir.string(), path.string(), seg.size - off, off);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(off)) != 0) {
      spdlog::warn("spool {}: cannot truncate {}: {}; the partial record is ignored",
                   opts_.dir.string(), path.string(), std::strerror(errno));
    } else if (opts_.fsync != FsyncPolicy::never) {
      ::fdatasync(fd);
    }
    if (fd >= 0) ::close(fd);
    st_.disk_bytes -= seg.disk - off;
    seg.size = seg.disk = off;
    buf_len_ = 0;
  }
  if (from >= seg.size) {
    *start_at = seg.size;
    records = bytes = 0;
  } else if (from > kHeaderBytes && *start_at != from) {
    ++st_.bad_cursors;
    spdlog::warn("spool {}: the cursor points inside a record of {}; delivery resumes at offset {}",
                 opts_.dir.string(), path.string(), *start_at);
  }
  st_.records += records;
  st_.bytes += bytes;
  return true;
}

bool Spool::recover(std::string& error) {
  const std::string shown = opts_.dir.string();
  std::error_code ec;
  fs::create_directories(opts_.dir, ec);
  if (ec) {
    error = "cannot create spool directory " + shown + ": " + ec.message() +
            "; create it writable for the daemon's user or set spool_dir to another folder";
    return false;
  }
  lock_fd_ = ::open((opts_.dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (lock_fd_ < 0) {
    error = "cannot open " + (opts_.dir / "lock").string() + ": " + std::strerror(errno) +
            "; make the spool directory writable for the daemon's user";
    return false;
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    error = "spool directory " + shown +
            " is in use by another process (or output); give each output its own spool_dir";
    return false;
  }

  // Segments, the cursor, and anything else.
  std::vector<std::uint64_t> seqs;
  std::uint64_t max_seq = 0;
  for (auto it = fs::directory_iterator(opts_.dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (const std::uint64_t seq = seq_of(name); seq != 0) {
      seqs.push_back(seq);
      max_seq = std::max(max_seq, seq);
    } else if (name == "cursor.tmp") {
      fs::remove(it->path(), ec);
      ec.clear();
    } else if (!is_spool_file_name(name)) {
      ++st_.garbage_files;
      spdlog::warn("spool {}: ignoring unexpected file {}; move it out of the spool directory",
                   shown, name);
    }
  }
  if (ec) {
    error = "cannot list spool directory " + shown + ": " + ec.message() +
            "; make it readable for the daemon's user";
    return false;
  }
  std::sort(seqs.begin(), seqs.end());
  for (std::uint64_t seq : seqs) {
    const fs::path path = seg_path(seq);
    char hdr[kHeaderBytes];
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat sb {};
    const bool ok = fd >= 0 && ::fstat(fd, &sb) == 0 &&
                    read_at(fd, hdr, kHeaderBytes, 0) == ssize_t(kHeaderBytes) &&
                    std::memcmp(hdr, kSegMagic, 8) == 0 && get_u32(hdr + 8) == kVersion &&
                    get_u32(hdr + 12) == crc32c(std::string_view(hdr, 12));
    if (fd >= 0) ::close(fd);
    if (!ok) {
      ++st_.garbage_files;
      fs::rename(path, path.string() + ".corrupt", ec);
      spdlog::warn(
          "spool {}: {} is not a spool segment (bad or missing header); renamed to {}.corrupt, "
          "inspect and delete it",
          shown, path.filename().string(), path.filename().string());
      ec.clear();
      continue;
    }
    segs_.push_back({seq, std::uint64_t(sb.st_size), std::uint64_t(sb.st_size)});
    st_.disk_bytes += std::uint64_t(sb.st_size);
  }

  // The cursor: everything before it was delivered.
  Pos cur{0, 0};
  const fs::path cursor_path = opts_.dir / "cursor";
  if (fs::exists(cursor_path, ec)) {
    char c[kCursorBytes];
    const int fd = ::open(cursor_path.c_str(), O_RDONLY | O_CLOEXEC);
    const bool ok = fd >= 0 && read_at(fd, c, kCursorBytes, 0) == ssize_t(kCursorBytes) &&
                    std::memcmp(c, kCurMagic, 8) == 0 && get_u32(c + 8) == kVersion &&
                    get_u32(c + 32) == crc32c(std::string_view(c, 32));
    if (fd >= 0) ::close(fd);
    if (ok) {
      cur = {get_u64(c + 16), get_u64(c + 24)};
    } else {
      ++st_.bad_cursors;
      spdlog::warn(
          "spool {}: the cursor file is unreadable; delivering every record still on disk (some "
          "may arrive twice)",
          shown);
    }
  }
  next_seq_ = std::max(max_seq, cur.seq) + 1;

  // Segments before the cursor's were fully delivered.
  while (!segs_.empty() && segs_.front().seq < cur.seq) {
    fs::remove(seg_path(segs_.front().seq), ec);
    st_.disk_bytes -= segs_.front().disk;
    segs_.pop_front();
  }
  Pos start{next_seq_, kHeaderBytes};
  for (std::size_t i = 0; i < segs_.size(); ++i) {
    std::uint64_t start_at = kHeaderBytes;
    const std::uint64_t from = segs_[i].seq == cur.seq ? cur.off : 0;
    if (!scan_segment(segs_[i], from, &start_at)) {
      error = "cannot read spool segment " + seg_path(segs_[i].seq).string() + ": " +
              std::strerror(errno) + "; make the spool directory readable for the daemon's user";
      return false;
    }
    if (i == 0) start = {segs_[i].seq, start_at};
  }
  buf_len_ = 0;
  st_.segments = segs_.size();
  st_.recovered = st_.records;
  release_ = read_ = start;
  normalize(release_);
  normalize(read_);
  collect();
  cursor_dirty_ = release_.seq != cur.seq || release_.off != cur.off;
  if (st_.records > 0)
    spdlog::info(
        "spool {}: {} alert(s) ({} bytes) left from a previous run will be delivered first", shown,
        st_.records, st_.bytes);
  return true;
}

}  // namespace newshound

// Stage: sink. Spool (see spool.hpp): segment files, recovery on open, append,
// ordered read and release, the cursor file.
//
// On disk, in the spool directory:
//   NNNNNNNNNNNNNNNN.seg  segment: 16-byte header ("NHSPOOL\0", u32 version,
//                         u32 CRC32C of the first 12 bytes), then records
//                         [u32 length][u32 CRC32C of length bytes + payload][payload]
//   cursor                release position: "NHCURSR\0", u32 version, u32 0,
//                         u64 segment, u64 offset, u32 CRC32C of the first 32 bytes
//   lock                  flock()ed while a process uses the directory
// Integers are little-endian. A new process never appends to an old segment: it
// starts a new one, so a damaged tail can never sit in the middle of new data.
#include "newshound/sink/spool.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>

namespace newshound {

namespace fs = std::filesystem;

namespace {

constexpr char kSegMagic[8] = {'N', 'H', 'S', 'P', 'O', 'O', 'L', '\0'};
constexpr char kCurMagic[8] = {'N', 'H', 'C', 'U', 'R', 'S', 'R', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kCursorBytes = 36;
constexpr std::size_t kReadChunk = 64 * 1024;

using Crc32c = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::uint32_t record_crc(const char* len_bytes, std::string_view payload) {
  Crc32c c;
  c.process_bytes(len_bytes, 4);
  c.process_bytes(payload.data(), payload.size());
  return c.checksum();
}

// "0000000000000042.seg" -> 42; 0 when the name is not a segment's.
std::uint64_t seq_of(const std::string& name) {
  if (name.size() != 20 || name.compare(16, 4, ".seg") != 0) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    v = v * 10 + std::uint64_t(name[i] - '0');
  }
  return v;
}

bool write_all(int fd, const char* p, std::size_t n, std::uint64_t off) {
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
ssize_t read_at(int fd, char* p, std::size_t n, std::uint64_t off) {
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

}  // namespace

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

bool Spool::sync_dir() {
  const int fd = ::open(opts_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Makes bytes [off, off+need) of the segment `read_fd_seq_` available in buf_.
bool Spool::fill(std::uint64_t off, std::size_t need) {
  if (off >= buf_off_ && off + need <= buf_off_ + buf_len_) return true;
  if (read_fd_ < 0) return false;
  if (buf_.size() < std::max(need, kReadChunk)) buf_.resize(std::max(need, kReadChunk));
  buf_off_ = off;
  buf_len_ = 0;
  const ssize_t r = read_at(read_fd_, buf_.data(), buf_.size(), off);
  if (r < 0) {
    set_error("cannot read " + seg_path(read_fd_seq_).string(), errno);
    return false;
  }
  buf_len_ = std::size_t(r);
  return buf_len_ >= need;
}

namespace {
// Opens `seq`'s file for the buffered reader if it is not the open one.
bool open_reader(int& fd, std::uint64_t& fd_seq, std::size_t& buf_len, const fs::path& path,
                 std::uint64_t seq) {
  if (fd >= 0 && fd_seq == seq) return true;
  if (fd >= 0) ::close(fd);
  buf_len = 0;
  fd_seq = seq;
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  return fd >= 0;
}
}  // namespace

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
    } else if (name != "lock" && name != "cursor" && !name.ends_with(".corrupt")) {
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

// Moves `p` past segment ends onto the next segment's first record, and off
// segments that no longer exist.
void Spool::normalize(Pos& p) const {
  for (std::size_t i = 0; i < segs_.size(); ++i) {
    if (segs_[i].seq < p.seq) continue;
    if (segs_[i].seq > p.seq) p = {segs_[i].seq, kHeaderBytes};
    if (p.off < segs_[i].size || segs_[i].seq == write_seq_ || i + 1 == segs_.size()) return;
    p = {segs_[i + 1].seq, kHeaderBytes};
  }
}

// Deletes the oldest segments whose records are all released.
void Spool::collect() {
  std::error_code ec;
  while (!segs_.empty() && segs_.front().seq != write_seq_) {
    const Segment& front = segs_.front();
    const bool done =
        release_.seq > front.seq || (release_.seq == front.seq && release_.off >= front.size);
    if (!done) return;
    if (read_fd_ >= 0 && read_fd_seq_ == front.seq) {
      ::close(read_fd_);
      read_fd_ = -1;
      buf_len_ = 0;
    }
    if (!fs::remove(seg_path(front.seq), ec) && ec)
      spdlog::warn("spool {}: cannot delete delivered segment {}: {}", opts_.dir.string(),
                   seg_path(front.seq).string(), ec.message());
    st_.disk_bytes -= front.disk;
    const std::uint64_t next = segs_.size() > 1 ? segs_[1].seq : next_seq_;
    if (read_.seq <= front.seq) read_ = {next, kHeaderBytes};
    if (release_.seq <= front.seq) release_ = {next, kHeaderBytes};
    segs_.pop_front();
    st_.segments = segs_.size();
  }
}

bool Spool::open_write_segment() {
  if (write_fd_ >= 0) {
    if (opts_.fsync != FsyncPolicy::never) ::fdatasync(write_fd_);
    ::close(write_fd_);
    write_fd_ = -1;
    write_seq_ = 0;
  }
  const std::uint64_t seq = next_seq_++;
  const fs::path path = seg_path(seq);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  char hdr[kHeaderBytes];
  std::memcpy(hdr, kSegMagic, 8);
  put_u32(hdr + 8, kVersion);
  put_u32(hdr + 12, crc32c(std::string_view(hdr, 12)));
  if (fd < 0 || !write_all(fd, hdr, kHeaderBytes, 0) ||
      (opts_.fsync != FsyncPolicy::never && ::fdatasync(fd) != 0)) {
    set_error("cannot create spool segment " + path.string(), errno);
    if (fd >= 0) {
      ::close(fd);
      ::unlink(path.c_str());
    }
    return false;
  }
  if (opts_.fsync != FsyncPolicy::never) sync_dir();
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
        ::close(write_fd_);
        write_fd_ = -1;
        write_seq_ = 0;
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

bool Spool::has_unread() const {
  Pos p = read_;
  normalize(p);
  for (const Segment& s : segs_)
    if (s.seq == p.seq) return p.off < s.size;
  return false;
}

bool Spool::read(std::string& payload) {
  for (;;) {
    normalize(read_);
    const auto it = std::find_if(segs_.begin(), segs_.end(),
                                 [&](const Segment& s) { return s.seq == read_.seq; });
    if (it == segs_.end() || read_.off >= it->size) {
      if (read_records_.empty()) st_.records = st_.bytes = 0;  // resync after corruption
      return false;
    }
    Segment& seg = *it;
    const std::uint64_t off = read_.off;
    const fs::path path = seg_path(seg.seq);
    bool framed =
        open_reader(read_fd_, read_fd_seq_, buf_len_, path, seg.seq) && fill(off, kRecordHeader);
    std::uint32_t len = framed ? get_u32(buf_.data() + (off - buf_off_)) : 0;
    framed = framed && len != 0 && len <= kMaxRecord && off + kRecordHeader + len <= seg.size &&
             fill(off, kRecordHeader + len);
    if (!framed) {
      // The frame was checked when written or recovered: the file changed under us.
      ++st_.bad_records;
      spdlog::warn("spool {}: unreadable record at offset {} of {}; skipping the rest of it",
                   opts_.dir.string(), off, path.string());
      seg.size = off;
      if (seg.seq == write_seq_) {  // never append after it
        ::close(write_fd_);
        write_fd_ = -1;
        write_seq_ = 0;
      }
      continue;
    }
    const char* at = buf_.data() + (off - buf_off_);
    const std::string_view body(at + kRecordHeader, len);
    read_ = {seg.seq, off + kRecordHeader + len};
    if (record_crc(at, body) != get_u32(at + 4)) {
      ++st_.bad_records;
      spdlog::warn("spool {}: record at offset {} of {} has a bad checksum; skipped",
                   opts_.dir.string(), off, path.string());
      read_records_.push_back({read_, kRecordHeader + len, false});
      pop_released();
      continue;
    }
    payload.assign(body.data(), body.size());
    read_records_.push_back({read_, kRecordHeader + len, true});
    ++outstanding_;
    return true;
  }
}

void Spool::discard_last_read() {
  for (auto it = read_records_.rbegin(); it != read_records_.rend(); ++it) {
    if (!it->deliverable) continue;
    it->deliverable = false;
    --outstanding_;
    ++st_.bad_records;
    break;
  }
  pop_released();
}

// Releases the leading records that were skipped (bad checksum, undecodable).
void Spool::pop_released() {
  bool moved = false;
  while (!read_records_.empty() && !read_records_.front().deliverable) {
    release_ = read_records_.front().end;
    st_.records -= std::min<std::uint64_t>(st_.records, 1);
    st_.bytes -= std::min(st_.bytes, read_records_.front().bytes);
    read_records_.pop_front();
    moved = true;
  }
  if (!moved) return;
  cursor_dirty_ = true;
  normalize(release_);
  collect();
}

void Spool::release() {
  if (read_records_.empty()) return;
  const ReadRecord r = read_records_.front();
  read_records_.pop_front();
  --outstanding_;
  release_ = r.end;
  st_.records -= std::min<std::uint64_t>(st_.records, 1);
  st_.bytes -= std::min(st_.bytes, r.bytes);
  ++st_.released;
  cursor_dirty_ = true;
  normalize(release_);
  pop_released();
  collect();
}

bool Spool::sync() {
  if (write_fd_ < 0) return true;
  if (::fdatasync(write_fd_) == 0) return true;
  set_error("cannot sync spool segment " + seg_path(write_seq_).string(), errno);
  ++st_.write_errors;
  return false;
}

bool Spool::save_cursor() {
  if (!cursor_dirty_ || lock_fd_ < 0) return true;
  char c[kCursorBytes];
  std::memcpy(c, kCurMagic, 8);
  put_u32(c + 8, kVersion);
  put_u32(c + 12, 0);
  put_u64(c + 16, release_.seq);
  put_u64(c + 24, release_.off);
  put_u32(c + 32, crc32c(std::string_view(c, 32)));
  const fs::path tmp = opts_.dir / "cursor.tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  bool ok = fd >= 0 && write_all(fd, c, kCursorBytes, 0) &&
            (opts_.fsync == FsyncPolicy::never || ::fdatasync(fd) == 0);
  const int err = errno;
  if (fd >= 0) ::close(fd);
  ok = ok && ::rename(tmp.c_str(), (opts_.dir / "cursor").c_str()) == 0;
  if (!ok) {
    set_error("cannot write spool cursor " + tmp.string(), fd < 0 ? err : errno);
    ++st_.write_errors;
    return false;
  }
  cursor_dirty_ = false;
  return true;
}

}  // namespace newshound

// Stage: sink. Spool (see spool.hpp) reading and releasing: the buffered reader
// over the oldest segment, skipping bad records, moving the release position and
// deleting fully delivered segments.
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "newshound/sink/spool.hpp"
#include "spool_format.hpp"

namespace newshound {

namespace fs = std::filesystem;
using namespace spool_format;

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

bool spool_format::open_reader(int& fd, std::uint64_t& fd_seq, std::size_t& buf_len,
                               const fs::path& path, std::uint64_t seq) {
  if (fd >= 0 && fd_seq == seq) return true;
  if (fd >= 0) ::close(fd);
  buf_len = 0;
  fd_seq = seq;
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  return fd >= 0;
}

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
      if (seg.seq == write_seq_) retire_write_fd();  // never append after it
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

}  // namespace newshound

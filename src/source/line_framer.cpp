// Stage: source. LineFramer: memchr-based NDJSON line framing over one bounded,
// compacted buffer. Pure: no I/O.
#include "newshound/source/line_framer.hpp"

#include <algorithm>
#include <cstring>

namespace newshound {

namespace {
std::string_view strip_cr(const char* p, std::size_t n) {
  if (n > 0 && p[n - 1] == '\r') --n;
  return {p, n};
}
}  // namespace

LineFramer::LineFramer(std::size_t max_line_bytes, std::size_t read_chunk)
    : max_line_(max_line_bytes), chunk_(std::max<std::size_t>(read_chunk, 1)) {}

void LineFramer::compact() {
  if (begin_ == 0) return;
  const std::size_t n = end_ - begin_;
  if (n > 0) std::memmove(buf_.data(), buf_.data() + begin_, n);
  scanned_ -= begin_;
  end_ = n;
  begin_ = 0;
}

std::span<char> LineFramer::prepare() {
  // Move the partial line to the front only when the tail is too short for a read.
  if (buf_.size() - end_ < chunk_) compact();
  if (buf_.size() - end_ < chunk_) buf_.resize(end_ + chunk_);
  return {buf_.data() + end_, buf_.size() - end_};
}

void LineFramer::commit(std::size_t n) {
  end_ += std::min(n, buf_.size() - end_);
}

void LineFramer::feed(std::string_view bytes) {
  if (discarding_ && begin_ == end_) {
    // Inside an oversize line: drop its bytes up to the newline without copying.
    const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
    if (nl == nullptr) return;
    discarding_ = false;
    bytes.remove_prefix(static_cast<const char*>(nl) - bytes.data() + 1);
  }
  if (bytes.empty()) return;
  if (buf_.size() - end_ < bytes.size()) compact();
  if (buf_.size() - end_ < bytes.size()) buf_.resize(end_ + std::max(bytes.size(), chunk_));
  std::memcpy(buf_.data() + end_, bytes.data(), bytes.size());
  end_ += bytes.size();
}

LineFramer::Event LineFramer::next(std::string_view& out) {
  out = {};
  for (;;) {
    if (begin_ == end_) {
      begin_ = end_ = scanned_ = 0;  // empty: restart at the front, nothing to move
      return Event::need_more;
    }
    const std::size_t from = std::max(scanned_, begin_);
    const void* hit = std::memchr(buf_.data() + from, '\n', end_ - from);
    if (hit == nullptr) {
      scanned_ = end_;
      if (discarding_) {
        begin_ = end_ = scanned_ = 0;  // still inside the oversize line: drop it all
        return Event::need_more;
      }
      if (end_ - begin_ > max_line_) {
        discarding_ = true;  // report now, drop the rest as it arrives
        begin_ = end_ = scanned_ = 0;
        return Event::oversize;
      }
      return Event::need_more;
    }
    const std::size_t nl = static_cast<const char*>(hit) - buf_.data();
    const std::size_t start = begin_;
    begin_ = scanned_ = nl + 1;
    if (discarding_) {  // the tail of an oversize line already reported
      discarding_ = false;
      continue;
    }
    if (nl - start > max_line_) return Event::oversize;
    out = strip_cr(buf_.data() + start, nl - start);
    return Event::line;
  }
}

LineFramer::Event LineFramer::finish(std::string_view& out) {
  const Event ev = next(out);
  if (ev != Event::need_more) return ev;
  discarding_ = false;
  if (begin_ == end_) return Event::need_more;
  // next() returned need_more, so the unterminated tail is within the limit.
  out = strip_cr(buf_.data() + begin_, end_ - begin_);
  begin_ = end_ = scanned_ = 0;
  return Event::line;
}

}  // namespace newshound

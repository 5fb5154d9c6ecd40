// Stage: source. Splits a byte stream into NDJSON lines with a hard size limit.
// Pure: no I/O. The TCP input and `newshound scan` both feed it.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace newshound {

/// Frames `\n`-terminated lines out of a byte stream. Owns one growable buffer,
/// never larger than `max_line_bytes` plus one read chunk. A line longer than the
/// limit is discarded up to its newline and reported once as `oversize`; the next
/// line is framed normally. Trailing `\r` is stripped. Never throws on input.
class LineFramer {
 public:
  enum class Event { line, oversize, need_more };

  explicit LineFramer(std::size_t max_line_bytes, std::size_t read_chunk = 64 * 1024);

  /// Writable space for the next read; call commit() with the bytes actually read.
  std::span<char> prepare();
  void commit(std::size_t n);

  /// Convenience for callers that already hold the bytes (tests, stdin): copies in.
  void feed(std::string_view bytes);

  /// Next event. For `line`, `out` borrows from the internal buffer and stays valid
  /// until the next call to prepare(), feed() or next(). For `oversize`, `out` is empty.
  Event next(std::string_view& out);

  /// At end of stream: returns a final unterminated line (or oversize) once, then need_more.
  Event finish(std::string_view& out);

  std::size_t max_line_bytes() const { return max_line_; }

 private:
  std::string buf_;
  std::size_t begin_ = 0;      // start of unconsumed bytes
  std::size_t end_ = 0;        // end of valid bytes
  std::size_t scanned_ = 0;    // bytes [begin_, scanned_) known to hold no '\n'
  bool discarding_ = false;    // inside an oversize line
  std::size_t max_line_;
  std::size_t chunk_;
};

}  // namespace newshound

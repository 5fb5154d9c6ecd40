// Stage: source. Splits a byte stream into NDJSON lines with a hard size limit.
// Pure: no I/O. The TCP input and `newshound scan` both feed it.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace newshound {

/// Frames `\n`-terminated lines out of a byte stream. Owns one buffer, never larger
/// than `max_line_bytes` plus one read chunk (when driven through prepare()/commit()
/// and drained with next() between reads). A line longer than the limit is
/// discarded up to its newline and reported once as `oversize`; the next line is
/// framed normally. The limit counts the bytes before `\n`, a trailing `\r`
/// included; that `\r` is stripped from the returned line. The buffer is compacted
/// (unconsumed tail moved to the front), never grown past the bound, and every byte
/// is scanned for `\n` once. Never throws on input (only std::bad_alloc on the
/// first growth of the buffer).
class LineFramer {
 public:
  enum class Event { line, oversize, need_more };

  /// `read_chunk` is the minimum writable space prepare() offers (at least 1).
  explicit LineFramer(std::size_t max_line_bytes, std::size_t read_chunk = 64 * 1024);

  /// Writable space for the next read (at least one read chunk when next() has been
  /// drained to need_more); call commit() with the bytes actually read.
  std::span<char> prepare();
  /// Marks `n` bytes of the span from prepare() as filled (clamped to its size).
  void commit(std::size_t n);

  /// Convenience for callers that already hold the bytes (tests, stdin): copies in.
  /// Bytes of a line already known to be oversize are dropped without copying. The
  /// buffer may grow to hold what is unconsumed plus `bytes`: feed in chunks to
  /// keep memory bounded.
  void feed(std::string_view bytes);

  /// Next event. For `line`, `out` borrows from the internal buffer and stays valid
  /// until the next call to prepare(), feed() or next(). (This implementation never
  /// moves bytes in next() or finish(), so lines stay valid until prepare()/feed();
  /// callers should still rely only on the contract above.) For `oversize`, `out` is
  /// empty. Empty lines are returned as empty `line`s: the caller skips them.
  Event next(std::string_view& out);

  /// At end of stream: returns any remaining complete lines, then a final
  /// unterminated line (or oversize) once, then need_more. Leaves the framer empty
  /// and ready for a new stream.
  Event finish(std::string_view& out);

  std::size_t max_line_bytes() const { return max_line_; }
  /// Bytes the framer currently holds in memory (its buffer size), for tests and
  /// memory accounting.
  std::size_t capacity() const { return buf_.size(); }
  /// Unconsumed bytes currently buffered.
  std::size_t buffered() const { return end_ - begin_; }

 private:
  void compact();

  std::string buf_;
  std::size_t begin_ = 0;    // start of unconsumed bytes
  std::size_t end_ = 0;      // end of valid bytes
  std::size_t scanned_ = 0;  // bytes [begin_, scanned_) known to hold no '\n'
  bool discarding_ = false;  // inside an oversize line (already reported)
  std::size_t max_line_;
  std::size_t chunk_;
};

}  // namespace newshound

// Stage: encode. JsonWriter: compact JSON written straight into a caller's
// std::string, byte for byte what Boost.JSON's serializer gives for the same values
// (the alert encoder's output format; tests/unit/encode/json_writer_test.cpp and
// tests/fuzz/json_writer.cpp compare the two), without building a DOM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace newshound {

/// Appends valid UTF-8 `s` as a JSON string, escaped as below (no validation).
void append_escaped_json_string(std::string& out, std::string_view s);

/// Appends `s` as a JSON string: quoted, `"` and `\` escaped, control characters
/// as \b \t \n \f \r or \u00xx (lower-case hex), everything else as it is (U+2028,
/// DEL, '/'). Invalid UTF-8 is first made valid by utf8::append_valid() (each
/// maximal invalid subpart becomes U+FFFD) into `scratch`, which is reused. Never
/// throws except std::bad_alloc.
void append_json_string(std::string& out, std::string_view s, std::string& scratch);

/// Writes one JSON value into `out`, separating members and elements with commas
/// as it goes. Calls must form a value (key() before each member's value; ends
/// matching begins; at most 64 levels of nesting); the writer does not check.
/// Holds `out` and a scratch buffer by reference: both must outlive it; reusing
/// them across values allocates nothing once they have grown. Never throws except
/// std::bad_alloc.
class JsonWriter {
 public:
  JsonWriter(std::string& out, std::string& scratch) : out_(out), scratch_(scratch) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// A member's key; the next call writes its value.
  void key(std::string_view k);
  /// A key that needs no escaping: ASCII without control characters, `"` or `\`
  /// (a literal such as "text"; the writer does not check). Same bytes as key().
  void plain_key(std::string_view k);
  /// plain_key() for a literal (the encoder's keys): its bytes and the comma
  /// before it are put together on the stack, their length known when
  /// compiled, and appended at once (keys are about half of an alert's calls).
  template <std::size_t N>
  void plain_key(const char (&k)[N]) {
    static_assert(N >= 1 && N <= 64, "a short literal key");
    char buf[N + 3];  // `,"k":` (N - 1 bytes of k)
    buf[0] = ',';
    buf[1] = '"';
    std::memcpy(buf + 2, k, N - 1);
    buf[N + 1] = '"';
    buf[N + 2] = ':';
    const std::size_t skip = first_member() ? 1 : 0;  // no comma before the first
    out_.append(buf + skip, sizeof buf - skip);
    after_key_ = true;
  }
  void string(std::string_view s);
  /// A string the caller knows is valid UTF-8 (e.g. render_plain()'s output):
  /// escaped as string() does, without checking or repairing its UTF-8 again.
  /// Same bytes as string() for valid `s`.
  void valid_string(std::string_view s);
  /// A string value that needs no escaping, as plain_key(). Same bytes as string().
  void plain_string(std::string_view s);
  /// A string, or null when `s` is empty.
  void string_or_null(std::string_view s);
  void number(std::uint64_t v);
  void null();
  /// Bytes that already are one serialized JSON value (e.g. a piece written
  /// earlier by another JsonWriter), as the next value.
  void raw(std::string_view json);
  /// Copies members this writer wrote earlier into the same buffer, bytes
  /// [pos, pos + n) of `out` (`"k":v,"k2":v2`, no leading comma), as the next
  /// members of the current object. Appends from `out` to itself safely.
  void copy_members(std::size_t pos, std::size_t n);
  /// The bytes written into `out` so far (positions for copy_members()).
  std::size_t size() const { return out_.size(); }

 private:
  /// Before any value or key: a ',' unless it is the first in its container
  /// (or the value of a key). Inline: it comes before every call.
  void separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (depth_ != 0 && !first_member()) {
      out_ += ',';
    }
  }
  /// Marks the current container non-empty; true if it was empty (depth > 0).
  bool first_member() {
    const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    const bool first = (nonempty_ & bit) == 0;
    nonempty_ |= bit;
    return first;
  }
  // Inline, like separate(): a match opens and closes four containers.
  void open(char c) {
    separate();
    out_ += c;
    ++depth_;
    nonempty_ &= ~(std::uint64_t{1} << (depth_ - 1));
  }
  void close(char c) {
    out_ += c;
    --depth_;
  }

  std::string& out_;
  std::string& scratch_;
  std::uint64_t nonempty_ = 0;  ///< bit d: the container at depth d has a value
  unsigned depth_ = 0;
  bool after_key_ = false;
};

}  // namespace newshound

// Stage: encode. JsonWriter: compact JSON written straight into a caller's
// std::string, byte for byte what Boost.JSON's serializer gives for the same values
// (the alert encoder's output format; tests/unit/encode/json_writer_test.cpp and
// tests/fuzz/json_writer.cpp compare the two), without building a DOM.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newshound {

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
  void string(std::string_view s);
  /// A string, or null when `s` is empty.
  void string_or_null(std::string_view s);
  void number(std::uint64_t v);
  void null();
  /// Bytes that already are one serialized JSON value (e.g. a piece written
  /// earlier by another JsonWriter), as the next value.
  void raw(std::string_view json);

 private:
  void separate();
  void open(char c);
  void close(char c);

  std::string& out_;
  std::string& scratch_;
  std::uint64_t nonempty_ = 0;  ///< bit d: the container at depth d has a value
  unsigned depth_ = 0;
  bool after_key_ = false;
};

}  // namespace newshound

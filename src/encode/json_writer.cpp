// Stage: encode. JsonWriter and append_json_string(): compact JSON into a reused
// buffer, escaping exactly as Boost.JSON's serializer does (its table: \b \t \n
// \f \r, other control characters \u00xx in lower-case hex, `"` and `\`; nothing
// else), after making the bytes valid UTF-8 as the encoder always has.
#include "newshound/encode/json_writer.hpp"

#include <charconv>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "newshound/util/utf8.hpp"

namespace newshound {

namespace {

/// The escape of byte `c`, or 0 when it is written as it is ('u': \u00xx).
constexpr char escape_of(unsigned char c) {
  switch (c) {
    case '\b':
      return 'b';
    case '\t':
      return 't';
    case '\n':
      return 'n';
    case '\f':
      return 'f';
    case '\r':
      return 'r';
    case '"':
      return '"';
    case '\\':
      return '\\';
    default:
      return c < 0x20 ? 'u' : 0;
  }
}

#if defined(__SSE2__)
/// Bit k set: byte k of the 16 at `p` needs an escape (`"`, `\`, below 0x20).
unsigned escape_bits(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compare: bytes >= 0x80 are negative, "below 0x20" too: masked out.
  const __m128i hit = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
      _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  return static_cast<unsigned>(_mm_movemask_epi8(hit)) &
         ~static_cast<unsigned>(_mm_movemask_epi8(v));
}
#endif

/// The index of the first byte of s[i, n) that needs an escape, or n.
std::size_t next_escape(const char* s, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const unsigned bits = escape_bits(s + i);
    if (bits != 0) return i + static_cast<std::size_t>(__builtin_ctz(bits));
  }
  if (i == n) return n;
  // The last 1..15 bytes in one block too (most strings are short): the 16
  // bytes ending at n when the string is that long (bits before i dropped),
  // else a copy padded with bytes that need no escape.
  if (n >= 16) {
    const unsigned bits = escape_bits(s + n - 16) >> (i - (n - 16));
    return bits != 0 ? i + static_cast<std::size_t>(__builtin_ctz(bits)) : n;
  }
  char tail[16];
  std::memset(tail, 'x', sizeof tail);
  std::memcpy(tail, s + i, n - i);
  const unsigned bits = escape_bits(tail);
  return bits != 0 ? i + static_cast<std::size_t>(__builtin_ctz(bits)) : n;
#else
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return n;
#endif
}

}  // namespace

void append_escaped_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = next_escape(s.data(), 0, s.size()); i < s.size();
       i = next_escape(s.data(), i + 1, s.size())) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = i + 1;
    const char e = escape_of(c);
    const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
    if (e == 'u') {
      out.append(u, sizeof u);
    } else {
      out += '\\';
      out += e;
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

namespace {

/// True if every byte of `s` is ASCII (then it is valid UTF-8): one OR over the
/// bytes, which the compiler vectorizes, before any decoding.
bool ascii(std::string_view s) {
  unsigned char any = 0;
  for (const char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s, std::string& scratch) {
  if (ascii(s) || utf8::is_valid(s)) return append_escaped_json_string(out, s);
  scratch.clear();
  utf8::append_valid(scratch, s);
  append_escaped_json_string(out, scratch);
}

void JsonWriter::key(std::string_view k) {
  separate();
  append_json_string(out_, k, scratch_);
  out_ += ':';
  after_key_ = true;
}

void JsonWriter::plain_key(std::string_view k) {
  separate();
  after_key_ = true;
  char buf[64];  // `"k":` in one append: keys are short literals
  if (k.size() + 3 > sizeof buf) {
    out_ += '"';
    out_ += k;
    out_ += "\":";
    return;
  }
  buf[0] = '"';
  std::memcpy(buf + 1, k.data(), k.size());
  buf[k.size() + 1] = '"';
  buf[k.size() + 2] = ':';
  out_.append(buf, k.size() + 3);
}

void JsonWriter::plain_string(std::string_view s) {
  separate();
  out_ += '"';
  out_ += s;
  out_ += '"';
}

void JsonWriter::string(std::string_view s) {
  separate();
  append_json_string(out_, s, scratch_);
}

void JsonWriter::valid_string(std::string_view s) {
  separate();
  append_escaped_json_string(out_, s);
}

void JsonWriter::string_or_null(std::string_view s) {
  if (s.empty()) return null();
  string(s);
}

void JsonWriter::number(std::uint64_t v) {
  separate();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
}

void JsonWriter::null() {
  separate();
  out_ += "null";
}

void JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
}

void JsonWriter::copy_members(std::size_t pos, std::size_t n) {
  separate();
  out_.append(out_, pos, n);  // the basic_string overload: `out_` may be its own source
}

}  // namespace newshound

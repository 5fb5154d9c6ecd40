// Shared utility: the out-of-line UTF-8 helpers (validation and repair of whole
// strings); the per-code-point decoder and encoder are inline in utf8.hpp.
#include "newshound/util/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace newshound::utf8 {

namespace {

/// True if the 8 bytes at `p` are all ASCII (no high bit set).
bool ascii8(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return (word & 0x8080808080808080u) == 0;
}

}  // namespace

void append(std::string& out, char32_t cp) {
  char buf[4];
  out.append(buf, encode(is_scalar(cp) ? cp : kReplacement, buf));
}

std::size_t first_invalid(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    if (i + 8 <= s.size() && ascii8(p + i)) {  // text is mostly ASCII: 8 bytes a step
      i += 8;
      continue;
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const Decoded d = decode(p + i, s.size() - i);
    if (!d.valid) return i;
    i += d.len;
  }
  return std::string_view::npos;
}

bool is_valid(std::string_view s) {
  return first_invalid(s) == std::string_view::npos;
}

void append_valid(std::string& out, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;  // copy runs of valid bytes in one go
    Decoded d{0, 0, true};
    while (run < s.size()) {
      d = decode(p + run, s.size() - run);
      if (!d.valid) break;
      run += d.len;
    }
    out.append(s.substr(i, run - i));
    if (run < s.size()) {
      append(out, kReplacement);
      run += d.len;
    }
    i = run;
  }
}

std::string shorten(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes;
  while (cut > 0 && is_continuation(s[cut])) --cut;
  return std::string(s.substr(0, cut)) + "... (" + std::to_string(s.size()) + " bytes)";
}

}  // namespace newshound::utf8

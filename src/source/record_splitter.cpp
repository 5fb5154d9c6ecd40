// Stage: source. Cutting a dropped file into records (see record_splitter.hpp).
#include "newshound/source/record_splitter.hpp"

#include <algorithm>

namespace newshound {

namespace {
constexpr std::size_t npos = std::string_view::npos;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Past the end of the string whose opening quote is at `i`, or npos.
std::size_t string_end(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;
    else if (s[i] == '"')
      return i + 1;
  }
  return npos;
}

/// Past the end of the JSON value starting at `i` (a non-space), or npos when it
/// never closes. Brackets are only counted, not matched: the decoder judges.
std::size_t value_end(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == '"') return string_end(s, i);
  if (c != '{' && c != '[') {  // a scalar: up to the next space
    while (i < s.size() && !is_space(s[i])) ++i;
    return i;
  }
  std::size_t depth = 0;
  while (i < s.size()) {
    const char ch = s[i];
    if (ch == '"') {
      i = string_end(s, i);
      if (i == npos) return npos;
      continue;
    }
    if (ch == '{' || ch == '[') ++depth;
    if ((ch == '}' || ch == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return npos;
}

std::uint32_t u32(std::size_t n) {
  return static_cast<std::uint32_t>(n);
}

std::uint32_t lines_before(std::string_view s, std::size_t offset) {
  return u32(1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

/// One record per non-blank line, from `from` on.
std::vector<FileRecord> split_lines(std::string_view s, std::size_t from) {
  std::vector<FileRecord> out;
  std::uint32_t line = lines_before(s, from);
  while (from < s.size()) {
    std::size_t end = s.find('\n', from);
    if (end == npos) end = s.size();
    std::size_t a = from, b = end;
    while (a < b && is_space(s[a])) ++a;
    while (b > a && is_space(s[b - 1])) --b;
    if (a < b) out.push_back({u32(a), u32(b - a), line});
    from = end + 1;
    ++line;
  }
  return out;
}
}  // namespace

std::vector<FileRecord> split_records(std::string_view s) {
  std::size_t first = s.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (first < s.size() && is_space(s[first])) ++first;
  if (first == s.size()) return {};
  std::size_t last = s.size();
  while (last > first && is_space(s[last - 1])) --last;
  const FileRecord whole{u32(first), u32(last - first), lines_before(s, first)};
  if (s[first] == '<') return {{u32(first), u32(s.size() - first), whole.line}};
  const std::size_t end = value_end(s, first);
  if (end == npos || end >= last) return {whole};
  return split_lines(s, first);
}

}  // namespace newshound

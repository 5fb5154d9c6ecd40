// Stage: source. Cutting a dropped file into records, and a JSON array into its
// elements for both the drop folder and the HTTP push (see record_splitter.hpp).
#include "newshound/source/record_splitter.hpp"

#include <algorithm>
#include <optional>

#include "newshound/decode/newsml.hpp"

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

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// The end of the array element starting at `pos`: the ',' or ']' at its own
/// level, or text.size() when the array does not end.
std::size_t element_end(std::string_view text, std::size_t pos) {
  std::size_t depth = 0;
  bool in_string = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (in_string) {
      if (c == '\\')
        ++pos;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return pos;
      --depth;
    } else if (c == ',' && depth == 0) {
      return pos;
    }
  }
  return text.size();
}

/// One record per element of the array that is all of s[first, last), or nullopt
/// when it does not split cleanly (not closed there, or an empty element).
std::optional<std::vector<FileRecord>> split_array_records(std::string_view s, std::size_t first,
                                                           std::size_t last) {
  const JsonArray array = split_json_array(s.substr(first, last - first));
  if (!array.closed || array.end != last - first) return std::nullopt;
  std::vector<FileRecord> out;
  std::size_t at = 0;
  std::uint32_t line = 1;  // of s[at]
  for (const JsonElement& e : array.elements) {
    if (e.length == 0) return std::nullopt;
    const std::size_t offset = first + e.offset;
    line += u32(std::count(s.begin() + static_cast<std::ptrdiff_t>(at),
                           s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    at = offset;
    out.push_back({u32(offset), u32(e.length), line});
  }
  return out;
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

JsonArray split_json_array(std::string_view text) {
  JsonArray out;
  std::size_t pos = 1;  // after '['
  for (;;) {
    while (pos < text.size() && is_json_space(text[pos])) ++pos;
    if (out.elements.empty() && pos < text.size() && text[pos] == ']') {  // []
      out.closed = true;
      out.end = pos + 1;
      return out;
    }
    const std::size_t end = element_end(text, pos);
    if (end == text.size()) return out;  // no closing ']': the element may be cut short
    std::size_t a = pos, b = end;
    while (a < b && is_json_space(text[a])) ++a;
    while (b > a && is_json_space(text[b - 1])) --b;
    out.elements.push_back({a, b - a});
    pos = end + 1;
    if (text[end] == ']') {
      out.closed = true;
      out.end = pos;
      return out;
    }
  }
}

std::vector<FileRecord> split_records(std::string_view s) {
  std::size_t first = s.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (first < s.size() && is_space(s[first])) ++first;
  if (first == s.size()) return {};
  std::size_t last = s.size();
  while (last > first && is_space(s[last - 1])) --last;
  const FileRecord whole{u32(first), u32(last - first), lines_before(s, first)};
  if (s[first] == '<') return {{u32(first), u32(s.size() - first), whole.line}};
  const std::size_t end = value_end(s, first);
  if (end == npos) return {whole};
  if (end >= last) {
    if (s[first] != '[') return {whole};
    return split_array_records(s, first, last).value_or(std::vector<FileRecord>{whole});
  }
  return split_lines(s, first);
}

std::vector<FileRecord> split_file(std::string& content) {
  std::vector<FileRecord> records = split_records(content);
  if (records.size() != 1) return records;
  const std::string_view record(content.data() + records[0].offset, records[0].length);
  if (!starts_with_markup(record)) return records;
  std::vector<std::string> items;
  if (split_newsml(record, items) != DecodeError::ok) return records;  // the decoder says why
  if (items.size() == 1 && items[0] == record) return records;         // a newsItem as it is
  std::string joined;
  records.clear();
  for (const std::string& item : items) {
    records.push_back({u32(joined.size()), u32(item.size()), 1});
    joined += item;
  }
  content = std::move(joined);
  return records;
}

}  // namespace newshound

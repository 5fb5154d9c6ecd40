// Stage: match. Owns the `.topics` file format: splitting text into topics (comments,
// blank lines, `\` continuations), validating ids, parsing each query, mapping parse
// errors back to the original file line/column, and rendering a diagnostic with a
// caret under the offending character.
#include "newshound/match/topic_file.hpp"
#include "newshound/util/stable_read.hpp"
#include "newshound/util/utf8.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

namespace newshound {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

/// The physical lines of `text`, without line ends (and without a leading BOM).
std::vector<std::string_view> split_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

/// If `line` ends with a continuation backslash, returns the content before it.
bool strip_continuation(std::string_view& line) {
  std::size_t e = line.size();
  while (e > 0 && is_blank(line[e - 1])) --e;
  if (e == 0 || line[e - 1] != '\\') return false;
  line = line.substr(0, e - 1);
  return true;
}

}  // namespace

void TopicDef::position(std::uint32_t offset, std::uint32_t& line_out,
                        std::uint32_t& col_out) const {
  line_out = line;
  col_out = 1;
  const TopicSegment* seg = nullptr;
  for (const auto& s : segments) {
    if (s.joined <= offset) seg = &s;
  }
  if (seg == nullptr) return;
  line_out = seg->line;
  const std::string_view piece = std::string_view(text).substr(seg->joined);
  col_out = seg->col + column_of_offset(piece, offset - seg->joined) - 1;
}

void parse_topics(std::string_view text, const std::string& file, TopicFile& out,
                  Diagnostics& diags) {
  const std::vector<std::string_view> lines = split_lines(text);
  std::unordered_map<std::string, std::uint32_t> seen;  // id -> line of first definition
  for (const auto& t : out.topics) seen.emplace(t.id, t.line);
  auto report = [&](std::uint32_t line, std::uint32_t col, std::string msg) {
    diags.push_back(Diagnostic{file, line, col, std::move(msg)});
  };

  std::size_t i = 0;
  while (i < lines.size()) {
    const auto first_line = static_cast<std::uint32_t>(i + 1);
    std::string_view line = lines[i++];
    if (const auto bad = utf8::first_invalid(line); bad != std::string_view::npos) {
      report(first_line, column_of_offset(line, bad),
             "invalid UTF-8: save the file as UTF-8 (line skipped)");
      // A broken line that continues still swallows its continuation lines.
      while (strip_continuation(line) && i < lines.size()) line = lines[i++];
      continue;
    }
    std::size_t b = 0;
    while (b < line.size() && is_blank(line[b])) ++b;
    if (b == line.size() || line[b] == '#') continue;

    // Gather the topic: the first line from its id on, then continuation lines.
    TopicDef def;
    def.line = first_line;
    bool cont = strip_continuation(line);
    const std::size_t colon = line.find(':', b);
    if (colon == std::string_view::npos) {
      report(first_line, column_of_offset(line, b),
             "expected 'topic-id: query': add a ':' after the topic id");
      while (cont && i < lines.size()) {
        std::string_view next = lines[i++];
        cont = strip_continuation(next);
      }
      continue;
    }
    const std::string_view id = line.substr(b, colon - b);
    std::size_t bad_char = std::string_view::npos;
    for (std::size_t k = 0; k < id.size() && bad_char == std::string_view::npos; ++k) {
      if (!is_id_char(id[k])) bad_char = b + k;
    }
    bool ok = true;
    if (id.empty()) {
      report(first_line, column_of_offset(line, b), "missing topic id: write 'topic-id: query'");
      ok = false;
    } else if (bad_char != std::string_view::npos) {
      report(first_line, column_of_offset(line, bad_char),
             "topic id '" + std::string(id) +
                 "' may only contain letters A-Z a-z, digits, '_', '.' and '-': rename it");
      ok = false;
    }
    def.id = std::string(id);
    def.segments.push_back(TopicSegment{0, first_line, column_of_offset(line, colon + 1)});
    def.text = std::string(line.substr(colon + 1));
    while (cont) {
      if (i >= lines.size()) {
        report(static_cast<std::uint32_t>(i), 1,
               "line continuation '\\' on the last line: remove it or add the next line");
        ok = false;
        break;
      }
      std::string_view next = lines[i++];
      cont = strip_continuation(next);
      if (const auto bad = utf8::first_invalid(next); bad != std::string_view::npos) {
        report(static_cast<std::uint32_t>(i), column_of_offset(next, bad),
               "invalid UTF-8: save the file as UTF-8 (topic skipped)");
        ok = false;
        continue;
      }
      def.text += ' ';
      def.segments.push_back(TopicSegment{static_cast<std::uint32_t>(def.text.size()),
                                          static_cast<std::uint32_t>(i), 1});
      def.text.append(next);
    }
    if (!ok) continue;

    if (const auto it = seen.find(def.id); it != seen.end()) {
      report(first_line, column_of_offset(line, b),
             "duplicate topic id '" + def.id + "' (first defined on line " +
                 std::to_string(it->second) + "): rename one of them");
      continue;
    }
    std::size_t q = 0;
    while (q < def.text.size() && (is_blank(def.text[q]) || def.text[q] == '\n')) ++q;
    if (q == def.text.size()) {
      report(first_line, column_of_offset(line, colon),
             "topic '" + def.id + "' has no query: write one after the ':'");
      continue;
    }
    QueryError err;
    if (!parse_query(def.text, def.query, err)) {
      std::uint32_t l = 0;
      std::uint32_t c = 0;
      def.position(err.offset, l, c);
      report(l, c, std::move(err.message));
      continue;
    }
    seen.emplace(def.id, def.line);
    out.topics.push_back(std::move(def));
  }
}

TopicFile load_topics(const std::filesystem::path& path, Diagnostics& diags,
                      const StableReadOptions& read_options) {
  TopicFile tf;
  tf.path = path.string();
  tf.name = path.stem().string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    const int err = ec ? ec.value() : (std::filesystem::is_directory(path, ec) ? EISDIR : ENOENT);
    diags.push_back(Diagnostic{tf.path, 0, 0,
                               std::string("cannot read topics file: ") + std::strerror(err) +
                                   "; check that the path names a readable .topics file"});
    return tf;
  }
  const StableRead read = read_stable_file(path, read_options);
  if (read.error != 0) {
    diags.push_back(Diagnostic{tf.path, 0, 0,
                               "cannot read topics file; check that the path names a readable "
                               ".topics file"});
    return tf;
  }
  if (read.changed) {
    diags.push_back(changed_while_read(tf.path, read));
    return tf;
  }
  parse_topics(read.text, tf.path, tf, diags);
  return tf;
}

namespace {

/// A long `line` cut to a window of at most kShownLine bytes around code point
/// `col` (1-based; 0: none), with `col` moved to the same character in it.
constexpr std::size_t kShownLine = 200;

std::string shown_line(std::string_view line, std::uint32_t& col) {
  if (line.size() <= kShownLine) return std::string(line);
  std::size_t at = 0;  // byte offset of the column's character
  for (std::uint32_t c = 1; at < line.size() && c < col; ++c) {
    ++at;
    while (at < line.size() && utf8::is_continuation(line[at])) ++at;
  }
  std::size_t from = at > kShownLine / 2 ? at - kShownLine / 2 : 0;
  while (from > 0 && utf8::is_continuation(line[from])) --from;
  std::size_t to = std::min(line.size(), from + kShownLine);
  while (to < line.size() && utf8::is_continuation(line[to])) --to;
  if (col != 0) {
    col = col - column_of_offset(line, static_cast<std::uint32_t>(from)) + 1;
    if (from > 0) col += 3;
  }
  std::string out = from > 0 ? "..." : "";
  out += line.substr(from, to - from);
  if (to < line.size()) out += "... (" + std::to_string(line.size()) + " bytes)";
  return out;
}

}  // namespace

std::string render_diagnostic(const Diagnostic& d, std::string_view file_text) {
  std::string out = d.format();
  if (d.line == 0) return out;
  const std::vector<std::string_view> lines = split_lines(file_text);
  if (d.line > lines.size()) return out;
  std::uint32_t want = d.col;
  const std::string line = shown_line(lines[d.line - 1], want);
  out += '\n';
  out += line;
  out += '\n';
  if (want == 0) return out;
  std::uint32_t col = 1;
  for (std::size_t k = 0; k < line.size() && col < want; ++k) {
    const char c = line[k];
    if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;
    out += c == '\t' ? '\t' : ' ';
    ++col;
  }
  for (; col < want; ++col) out += ' ';
  out += '^';
  return out;
}

}  // namespace newshound

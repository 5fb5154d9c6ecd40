// Stage: match. Owns the `.names` watch-list format: parsing text into EntityDefs
// with file:line:col diagnostics, and reading a list file from disk.
//
// Format: UTF-8, one entity per line, `Canonical Name|Alias|Alias|!Negative`. Blank lines and
// lines whose first non-blank character is `#` are ignored (not even checked for
// UTF-8). A BOM at the start of the file is skipped, CRLF line ends are accepted.
// Columns in diagnostics are 1-based and count code points, not bytes. A NUL byte
// refuses its line; a bare CR and an alias of only punctuation are warnings.
#include <cstring>

#include "newshound/match/watchlist.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/stable_read.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/// 1-based column (in code points) of byte offset `byte` in `line`.
std::uint32_t column_of(std::string_view line, std::size_t byte) {
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < byte && i < line.size(); ++i) {
    // Count every byte that is not a UTF-8 continuation byte.
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

/// True if folded `f` holds no letter or digit (only punctuation or symbols).
bool no_word_char(std::string_view f) {
  for (std::size_t i = 0; i < f.size(); ++i)
    if (!utf8::is_continuation(f[i]) && word_char_at(f, i)) return false;
  return true;
}

struct LineParser {
  const std::string& file;
  Diagnostics& diags;
  Diagnostics& warnings;
  std::vector<std::string> folded;  // folded aliases of the current line, for dedup

  void report(std::uint32_t line, std::uint32_t col, std::string message) {
    diags.push_back(Diagnostic{file, line, col, std::move(message)});
  }
  void warn(std::uint32_t line, std::uint32_t col, std::string message) {
    warnings.push_back(Diagnostic{file, line, col, "warning: " + std::move(message)});
  }

  std::vector<std::string> negatives_folded;  // folded negatives of the current line

  /// `!Gerhard Stoltenberg`: a negative alias of the entity on this line.
  void parse_negative(std::string_view field, std::uint32_t line_no, std::uint32_t col,
                      EntityDef& def) {
    std::string_view neg = field.substr(1);
    while (!neg.empty() && is_blank(neg.front())) neg.remove_prefix(1);
    if (neg.empty()) {
      report(line_no, col, "empty negative alias: write the phrase after '!' or remove the '!'");
      return;
    }
    std::string f = fold_phrase(neg);
    if (f.empty()) {
      report(line_no, col,
             "negative alias \"" + std::string(field) +
                 "\" has nothing left to match after folding (no letters, digits or "
                 "symbols): remove it");
      return;
    }
    if (no_word_char(f))
      warn(line_no, col,
           "\"" + std::string(field) + "\" is read as the negative alias \"" + std::string(neg) +
               "\" (a field starting with '!' is a negative), and a negative of only "
               "punctuation or symbols never tells this entity apart from another name: remove "
               "it (no alias can start with '!')");
    for (const auto& g : negatives_folded)
      if (g == f) return;  // duplicate negative
    negatives_folded.push_back(std::move(f));
    def.negatives.emplace_back(neg);
  }

  void parse(std::string_view line, std::uint32_t line_no, WatchList& out) {
    if (const auto bad = utf8::first_invalid(line); bad != std::string_view::npos) {
      report(line_no, column_of(line, bad), "invalid UTF-8: save the file as UTF-8 (line skipped)");
      return;
    }
    EntityDef def;
    def.line = line_no;
    folded.clear();
    negatives_folded.clear();
    std::size_t field_begin = 0;
    for (;;) {
      const std::size_t bar = line.find('|', field_begin);
      const std::size_t field_end = bar == std::string_view::npos ? line.size() : bar;
      std::size_t b = field_begin;
      std::size_t e = field_end;
      while (b < e && is_blank(line[b])) ++b;
      while (e > b && is_blank(line[e - 1])) --e;
      const std::string_view alias = line.substr(b, e - b);
      // Columns are computed only for diagnostics: no per-field scan of long lines.
      const auto col = [&] { return column_of(line, b); };
      if (alias.empty()) {
        report(line_no, col(), "empty alias: remove the extra '|'");
      } else if (alias.front() == '!') {
        parse_negative(alias, line_no, col(), def);
      } else if (std::string f = fold_phrase(alias); f.empty()) {
        report(line_no, col(),
               "alias \"" + std::string(alias) +
                   "\" has nothing left to match after folding (no letters, digits or "
                   "symbols): remove it");
      } else {
        if (no_word_char(f))
          warn(line_no, col(),
               "alias \"" + std::string(alias) +
                   "\" is only punctuation or symbols (no letter or digit): it matches that "
                   "punctuation in any article; remove it unless that is meant");
        bool dup = false;
        for (const auto& g : folded) dup = dup || g == f;
        if (!dup) {
          folded.push_back(std::move(f));
          def.aliases.emplace_back(alias);
        }
      }
      if (bar == std::string_view::npos) break;
      field_begin = bar + 1;
    }
    if (def.aliases.empty()) {
      report(line_no, 1,
             def.negatives.empty()
                 ? "no usable name on this line (entity skipped)"
                 : "only negative aliases (!...) on this line: add the name they refine, e.g. "
                   "Jens Stoltenberg|!Gerhard Stoltenberg (entity skipped)");
      return;
    }
    // A negative that folds like an alias would suppress every hit of that alias.
    for (std::size_t i = 0; i < def.negatives.size(); ++i) {
      for (const auto& f : folded) {
        if (f == negatives_folded[i]) {
          report(line_no, 1,
                 "negative alias \"!" + def.negatives[i] +
                     "\" is also an alias of this entity and would suppress all its hits: "
                     "remove one of them (negative dropped)");
          def.negatives.erase(def.negatives.begin() + static_cast<std::ptrdiff_t>(i));
          negatives_folded.erase(negatives_folded.begin() + static_cast<std::ptrdiff_t>(i));
          --i;
          break;
        }
      }
    }
    // The canonical name is the first field; if it was unusable, the first
    // usable alias stands in for it (its own diagnostic was reported above).
    def.canonical = def.aliases.front();
    out.entities.push_back(std::move(def));
  }
};

}  // namespace

void parse_names(std::string_view text, const std::string& file, WatchList& out,
                 Diagnostics& diags) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  LineParser parser{file, diags, out.warnings, {}, {}};
  std::uint32_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (const auto nul = line.find('\0'); nul != std::string_view::npos) {
      parser.report(line_no, column_of(line, nul),
                    "NUL byte: this is not a UTF-8 text file (UTF-16 or binary?); save it as "
                    "UTF-8 (line skipped)");
      continue;
    }
    if (const auto cr = line.find('\r'); cr != std::string_view::npos)
      parser.warn(line_no, column_of(line, cr),
                  "carriage return without a line feed: lines end only at LF (or CRLF), so "
                  "what follows is read as part of this line; save the file with LF line ends");
    std::size_t first = 0;
    while (first < line.size() && is_blank(line[first])) ++first;
    if (first == line.size() || line[first] == '#') continue;
    parser.parse(line, line_no, out);
  }
}

WatchList load_watchlist(const std::filesystem::path& path, Diagnostics& diags,
                         const StableReadOptions& read_options) {
  WatchList list;
  list.path = path.string();
  list.name = path.stem().string();
  const StableRead read = read_stable_file(path, read_options);
  if (read.error != 0) {
    diags.push_back(Diagnostic{list.path, 0, 0,
                               std::string("cannot read watch-list: ") + std::strerror(read.error) +
                                   "; check that the path names a readable .names file"});
    return list;
  }
  if (read.changed) {
    diags.push_back(changed_while_read(list.path, read));
    return list;
  }
  parse_names(read.text, list.path, list, diags);
  return list;
}

}  // namespace newshound

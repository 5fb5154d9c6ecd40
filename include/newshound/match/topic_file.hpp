// Stage: match. Topic files (`.topics`) as the user wrote them: one parsed query per
// topic id, with enough position information to point diagnostics (and, later,
// explain output) at the original file line and column.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/match/topic_query.hpp"
#include "newshound/util/diagnostic.hpp"
#include "newshound/util/stable_read.hpp"

namespace newshound {

/// One piece of a topic's query text: the bytes from `joined` on in
/// TopicDef::text come from file line `line`, starting at character column `col`.
struct TopicSegment {
  std::uint32_t joined = 0;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
};

/// One topic: `id: query`, possibly continued over several lines with `\`.
struct TopicDef {
  std::string id;
  std::string text;  ///< query text, continuation lines joined with one ' '
  TopicQuery query;
  std::uint32_t line = 0;  ///< 1-based line of the topic id
  std::vector<TopicSegment> segments;

  /// File line and character column (1-based) of byte `offset` of `text`.
  void position(std::uint32_t offset, std::uint32_t& line_out, std::uint32_t& col_out) const;
};

/// A loaded `.topics` file: name (file stem unless the config names it), origin,
/// and its valid topics in file order.
struct TopicFile {
  std::string name;
  std::string path;
  std::vector<std::string> tags;  ///< alert tags from the config
  std::string language;           ///< `[[watchlist]] language` ("" = none): see TopicQuery
  std::vector<TopicDef> topics;
};

/// Parses `.topics` text: UTF-8, one topic per line `topic-id: query`, ids made of
/// [A-Za-z0-9_.-]; lines whose first non-blank character is `#` are comments; blank
/// lines are ignored; a line whose last non-blank character is `\` continues on the
/// next line. A BOM and CRLF are accepted. Each problem (invalid UTF-8, missing ':',
/// bad or duplicate id, empty or invalid query) is appended to `diags` with the
/// file line and character column it points at, and that topic is skipped; the
/// others are kept. `file` is only used in diagnostics. Never throws except
/// std::bad_alloc.
void parse_topics(std::string_view text, const std::string& file, TopicFile& out,
                  Diagnostics& diags);

/// Reads (read_stable_file) and parses a `.topics` file; an unreadable file is one
/// diagnostic, and so is a file that kept changing while it was read
/// (changed_while_read; no topics then). Blocks for the settle waits of a changing
/// file: call it off the event loop. Never throws except std::bad_alloc.
TopicFile load_topics(const std::filesystem::path& path, Diagnostics& diags,
                      const StableReadOptions& read_options = {});

/// Renders `d` for a terminal: "file:line:col: message", then the offending line
/// of `file_text` and a caret under the column (tabs in the line are kept in the
/// caret's indentation so it lines up). A line longer than 200 bytes is shown as
/// a 200-byte window around the column, cut ends marked "...", the line's length
/// after it. Without a usable line/col, just format().
std::string render_diagnostic(const Diagnostic& d, std::string_view file_text);

}  // namespace newshound

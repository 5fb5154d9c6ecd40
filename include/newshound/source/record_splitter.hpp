// Stage: source. A dropped file's content cut into records (articles), told apart
// by content, never by the file's name: one JSON document (pretty-printed over
// many lines or not), NDJSON (one JSON object per line), or one XML document.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace newshound {

/// One record of a file: its bytes within the content and the line it starts on.
struct FileRecord {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::uint32_t line = 1;  ///< 1-based, for the `.reason` of a failed file
  bool operator==(const FileRecord&) const = default;
};

/// Cuts `content` (at most 4 GiB) into records, after a UTF-8 byte-order mark and
/// leading whitespace:
/// - starts with '<': one record, the rest of the file unchanged (NewsML-G2 XML);
/// - one JSON value and nothing but whitespace after it: one record (a ninjs
///   document, however many lines it spans);
/// - a first value that never closes: one record (the decoder says why it is bad);
/// - otherwise NDJSON: one record per non-blank line ('\r' and surrounding
///   whitespace trimmed).
/// Returns no records for a file of nothing but whitespace. Structural scan only
/// (strings and brackets), no parsing: the decoder judges each record. Never
/// throws but std::bad_alloc.
std::vector<FileRecord> split_records(std::string_view content);

}  // namespace newshound

// Stage: source. A dropped file's content cut into records (articles), told apart
// by content, never by the file's name: one JSON document (pretty-printed over
// many lines or not), a JSON array of documents, NDJSON (one JSON object per line),
// or one XML document. Also the JSON array splitter the HTTP push shares.
#pragma once

#include <cstdint>
#include <string>
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

/// One element of a JSON array (split_json_array): bytes [offset, offset + length)
/// of the array's text, JSON whitespace around it trimmed; length 0 when empty.
struct JsonElement {
  std::size_t offset = 0;
  std::size_t length = 0;
  bool operator==(const JsonElement&) const = default;
};

/// A JSON array cut into its elements.
struct JsonArray {
  std::vector<JsonElement> elements;  ///< in order; `[]` has none
  /// Its closing ']' was found. When not, the element after the last one listed
  /// runs to the end of the text (cut short) and is not listed.
  bool closed = false;
  std::size_t end = 0;  ///< past the closing ']' (when closed): what follows is not the array's
};

/// Cuts `text`, which starts with '[', into the elements of that array by a
/// structural scan (strings and nesting only, brackets counted, not matched): the
/// decoder judges each element. Shared by the drop folder (split_records) and the
/// HTTP push (split_push_body). Never throws but std::bad_alloc.
JsonArray split_json_array(std::string_view text);

/// Cuts `content` (at most 4 GiB) into records, after a UTF-8 byte-order mark and
/// leading whitespace:
/// - starts with '<': one record, the rest of the file unchanged (NewsML-G2 XML);
/// - one JSON array and nothing but whitespace after it: one record per element
///   (each on the line it starts on); `[]` gives none; an array with an empty
///   element (`[{...},,{...}]`) stays one record, which the decoder refuses;
/// - another JSON value and nothing but whitespace after it: one record (a ninjs
///   document, however many lines it spans);
/// - a first value that never closes: one record (the decoder says why it is bad);
/// - otherwise NDJSON: one record per non-blank line ('\r' and surrounding
///   whitespace trimmed).
/// Returns no records for a file of nothing but whitespace. Structural scan only
/// (strings and brackets), no parsing: the decoder judges each record. Never
/// throws but std::bad_alloc.
std::vector<FileRecord> split_records(std::string_view content);

/// split_records(), then a NewsML-G2 `newsMessage` carrying several items is cut
/// into one record per item (split_newsml()): `content` is replaced by the items
/// one after another, each record on line 1. A record the XML splitter refuses
/// stays whole (the decoder then says why); a message without items gives none.
std::vector<FileRecord> split_file(std::string& content);

}  // namespace newshound

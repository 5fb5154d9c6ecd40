// Stage: decode (internal). Walks a ninjs 1.x/2.x/3.x top-level object once, in
// document order, and collects borrowed views of the fields an Article needs.
#pragma once

#include <string_view>

#include "json_util.hpp"
#include "newshound/decode/article.hpp"

namespace newshound::decode_detail {

/// Borrowed views into the parser's string buffer (or the input line, for numeric
/// ids): valid until the document is rewound or the next line is parsed.
struct NinjsViews {
  std::string_view uri, guid, id;
  std::string_view headline, headlines_pick;
  std::string_view body_text, body_html, bodies_pick;
  BodyFormat bodies_format = BodyFormat::text;
  std::string_view versioncreated, language, located, byline, by, type;
};

/// Reads every member of `obj`, filling `v` with the known ninjs names and skipping
/// the rest unread. Returns wrong_type when a known name holds the wrong JSON type,
/// not_json (or invalid_utf8...) when the structure is broken.
DecodeError walk_ninjs(od::object& obj, NinjsViews& v);

/// Skips every member of `obj` (used when only the FieldMap is read) so structural
/// errors and trailing content are still detected.
DecodeError skip_object(od::object& obj);

}  // namespace newshound::decode_detail

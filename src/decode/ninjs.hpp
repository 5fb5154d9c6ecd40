// Stage: decode (internal). Walks a ninjs 1.x/2.x/3.x top-level object once, in
// document order, and collects borrowed views of the fields an Article needs.
#pragma once

#include <string_view>

#include "json_util.hpp"
#include "newshound/decode/article.hpp"

namespace newshound::decode_detail {

/// Which of an alert's top-level keys a line carries (see FieldMap::accept_alerts).
struct AlertKeys {
  bool rules_version = false, matches = false;
  bool both() const { return rules_version && matches; }
  /// Notes `key` if it is one of the two. Costs one byte compare for most keys.
  void note(const od::raw_json_string& key) {
    const char c = *key.raw();
    if (c == 'r' && key.unsafe_is_equal("rules_version")) rules_version = true;
    if (c == 'm' && key.unsafe_is_equal("matches")) matches = true;
  }
};

/// Borrowed views into the parser's string buffer (or the input line, for numeric
/// ids): valid until the document is rewound or the next line is parsed.
struct NinjsViews {
  std::string_view uri, guid, id;
  std::string_view headline, headlines_pick;
  std::string_view body_text, body_html, bodies_pick;
  BodyFormat bodies_format = BodyFormat::text;
  std::string_view versioncreated, language, located, byline, by, type;
  AlertKeys alert_keys;
};

/// Reads every member of `obj`, filling `v` with the known ninjs names and skipping
/// the rest unread. Returns wrong_type when a known name holds the wrong JSON type,
/// not_json (or invalid_utf8...) when the structure is broken.
DecodeError walk_ninjs(od::object& obj, NinjsViews& v);

/// Skips every member of `obj` (used when only the FieldMap is read) so structural
/// errors and trailing content are still detected; notes the alert keys seen.
DecodeError skip_object(od::object& obj, AlertKeys& keys);

}  // namespace newshound::decode_detail

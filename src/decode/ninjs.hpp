// Stage: decode (internal). Walks a ninjs 1.x/2.x/3.x top-level object once, in
// document order, and collects borrowed views of the fields an Article needs: every
// text value (headlines, bodies, descriptions) and the metadata.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

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

/// One text value found by the walker, borrowed like NinjsViews' views. `rank`
/// orders the candidates for the main headline/body (lower first, then document
/// order). `path.fixed` is set for known names; otherwise `name` (borrowed) is the
/// member name of the path.
struct RawText {
  Field field = Field::headline;
  BodyFormat format = BodyFormat::text;
  std::uint8_t rank = 0;
  std::string_view value;
  TextPath path;
  std::string_view name;
};

/// Borrowed views into the parser's string buffer (or the input line, for numeric
/// ids): valid until the document is rewound or the next line is parsed. `texts`
/// is the caller's reused vector (cleared by walk_ninjs).
struct NinjsViews {
  explicit NinjsViews(std::vector<RawText>& t) : texts(t) {}
  std::string_view uri, guid, id;
  std::vector<RawText>& texts;
  std::string_view versioncreated, language, located, byline, by, type;
  std::string_view link;                           ///< the best href of `links` (see walk_ninjs)
  std::string_view version, pubstatus, embargoed;  ///< lifecycle, read leniently
  std::string_view urgency;                        ///< as written (an integer or a string)
  AlertKeys alert_keys;
};

/// Reads every member of `obj`, filling `v` with the known ninjs names and skipping
/// the rest unread. Returns wrong_type when a known name holds the wrong JSON type,
/// not_json (or invalid_utf8...) when the structure is broken. Names that only match
/// a ninjs 1.x pattern (`headline_*`, `body_*`, `description_*`) are read when they
/// hold a string and skipped otherwise; so are the lifecycle members `version`,
/// `pubstatus`, `embargoed` and `urgency` (an integer version or urgency is taken as
/// written), which no
/// alert carries: a feed that types them otherwise loses nothing. `links` gives `link`:
/// the href of the entry whose `rel` is "canonical", else "alternate", else "self",
/// else absent, else another rel but "feed" (the feed's own address), first in
/// document order; a malformed `links` or entry is skipped, never an error.
DecodeError walk_ninjs(od::object& obj, NinjsViews& v);

/// Skips every member of `obj` (used when only the FieldMap is read) so structural
/// errors and trailing content are still detected; notes the alert keys seen.
DecodeError skip_object(od::object& obj, AlertKeys& keys);

/// The markup of a value from a ninjs content type ("text/plain" plain, anything
/// naming html or xml markup) or, for none or another type, from the value itself.
BodyFormat format_of_type(std::string_view contenttype, std::string_view value);

/// The markup of a value from the suffix of its 1.x name (`_text` plain, `_html`,
/// `_xhtml`, `_richtext` markup) or, for another suffix, from the value itself.
BodyFormat format_of_suffix(std::string_view name, std::string_view value);

/// Markup told apart by content: after leading white space the value starts with a
/// tag ('<' then a letter, '/' or '!') that closes with '>'.
BodyFormat sniff_format(std::string_view value);

}  // namespace newshound::decode_detail

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
  NinjsViews(std::vector<RawText>& t, std::vector<Subject>& s) : texts(t), subjects(s) {}
  std::string_view uri, guid, id;
  std::vector<RawText>& texts;
  std::vector<Subject>& subjects;              ///< `subject` / `subjects`, cleared by walk_ninjs
  std::string_view provider, copyrightholder;  ///< read leniently (read_party)
  std::uint8_t urgency = 0;                    ///< 1-9, else 0 (read_urgency)
  std::string_view versioncreated, language, located, byline, by, type;
  std::string_view link;                           ///< the best href of `links` (see walk_ninjs)
  std::string_view version, pubstatus, embargoed;  ///< lifecycle, read leniently
  AlertKeys alert_keys;
};

/// Reads every member of `obj`, filling `v` with the known ninjs names and skipping
/// the rest unread. Returns wrong_type when a known name holds the wrong JSON type,
/// not_json (or invalid_utf8...) when the structure is broken. Names that only match
/// a ninjs 1.x pattern (`headline_*`, `body_*`, `description_*`) are read when they
/// hold a string and skipped otherwise; so are the lifecycle members `version`,
/// `pubstatus` and `embargoed` (an integer version is taken as written), which no
/// alert carries: a feed that types them otherwise loses nothing. `links` gives `link`:
/// the href of the entry whose `rel` is "canonical", else "alternate", else "self",
/// else absent, else another rel but "feed" (the feed's own address), first in
/// document order; a malformed `links` or entry is skipped, never an error.
DecodeError walk_ninjs(od::object& obj, NinjsViews& v);

/// A party (`provider`, `copyrightholder`): a string, or an object's string `name`;
/// any other shape leaves `name` unchanged (never an error but a structural one).
DecodeError read_party(od::value& v, std::string_view& name);

/// `subject` (ninjs 1.x) / `subjects` (2.x, 3.x): appends each object's code (its
/// string `code`, else `uri`) and `name` to `out`; entries with neither, entries that
/// are not objects and a member that is not an array are skipped.
DecodeError read_subjects(od::value& v, std::vector<Subject>& out);

/// `urgency`: an integer 1 (most urgent) to 9, or a string of one such digit, into
/// `out`; any other value leaves 0 (never an error but a structural one).
DecodeError read_urgency(od::value& v, std::uint8_t& out);

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

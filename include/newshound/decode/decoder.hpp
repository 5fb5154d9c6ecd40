// Stage: decode. Turns one record into an Article: ninjs 1.x, ninjs 2.x/3.x, or any
// JSON shape through a field mapping (simdjson On-Demand), or a NewsML-G2 newsItem
// (pugixml, see newsml.hpp), told apart by content. Errors are values.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"

namespace newshound {

/// Why a line was rejected. Each reason is counted separately by the daemon.
enum class DecodeError {
  ok = 0,
  not_json,          ///< not parseable JSON (includes truncated documents, trailing garbage)
  not_object,        ///< valid JSON but the top level is not an object
  invalid_utf8,      ///< the bytes are not valid UTF-8
  wrong_type,        ///< a mapped field has the wrong JSON type (e.g. headline is a number)
  too_deep,          ///< nesting deeper than the parser allows
  no_text,           ///< no headline, body or description present: nothing to match
  too_large,         ///< line longer than the configured limit (reported by the framer)
  looks_like_alert,  ///< carries an alert's `rules_version` and `matches`: a feedback loop
  not_xml,           ///< starts with '<' but is not well-formed XML
  not_newsml,        ///< well-formed XML whose root is neither `newsItem` nor `newsMessage`
  xml_dtd,           ///< XML with a DOCTYPE: refused unread (no DTD, no entity expansion)
  several_items,     ///< a `newsMessage` with more than one `newsItem`: split it first
};

/// Number of DecodeError values, `ok` included (the last reason + 1).
inline constexpr std::size_t decode_error_count =
    static_cast<std::size_t>(DecodeError::several_items) + 1;

/// Stable snake_case name of a reason, used in logs and metrics labels.
std::string_view to_string(DecodeError e);

/// Where each article field is found in a non-ninjs feed. Each entry is a JSON
/// Pointer (RFC 6901, e.g. "/title" or "/content/text"); empty means "not mapped".
/// The text fields take several pointers: the first of a field that resolves is its
/// main value (headline; body: body_text before body_html), each other one that
/// resolves is a further value of that field (descriptions are all further values).
/// With `ninjs = true` (the default) the ninjs 1.x/2.x/3.x names are read and a
/// resolving pointer here overrides the ninjs main value of the same field. With
/// `accept_alerts = false` (the default) a line whose top level has both
/// `rules_version` and `matches` (newshound's own alert) is refused as
/// looks_like_alert: an output wired back into an input would loop forever.
struct FieldMap {
  bool ninjs = true;
  bool accept_alerts = false;
  std::string id;
  std::vector<std::string> headline;
  std::vector<std::string> body_text;
  std::vector<std::string> body_html;
  std::vector<std::string> description;
  std::string versioncreated;
  std::string language;
  // Metadata for topic filters (docs/query-language.md): each a pointer to a string.
  std::string source;   ///< -> Article::provider (`source:`)
  std::string subject;  ///< -> one subject code (`subject:`)
  std::string type;     ///< -> Article::type (`type:`)
  std::string located;  ///< -> Article::located (`located:`)
  std::string urgency;  ///< -> Article::urgency: an integer 1-9 or a string of one digit

  bool operator==(const FieldMap&) const = default;
};

/// Decodes lines into Articles. One per worker thread (owns a simdjson parser and a
/// padded copy buffer, both reused: no allocation per JSON line once grown to the
/// largest line seen; a NewsML-G2 record allocates pugixml's node pages). Never
/// throws on input. The constructor allocates the parser
/// for 4 KiB lines with the kernel active at that moment (kernel()).
///
/// ninjs names read (all versions at once, unknown names skipped unread):
///   id        `uri`, else `guid`, else `id` (string, or an integer written as-is)
///   headlines `headline`, every `headline_*` (1.x) and every `headlines[]` value;
///             the main one is `headline`, else the first `headlines[]` entry with
///             `role` "main", else the first without a role, else the first entry,
///             else the first `headline_*`
///   bodies    `body_text`, `body_html`, every other `body_*` (1.x) and every
///             `bodies[]` value whatever its content type; the main one is
///             `body_text`, else `body_html`, else the first `bodies[]` entry with
///             role "main", else the first without a role, else the first entry,
///             else the first `body_*`
///   descriptions every `description_*` (1.x) and every `descriptions[]` value
///   versioncreated (`versionCreated`), language, located, byline (`by`), type
/// Markup: from `contenttype`/`contentType` ("text/plain" plain; html or xml types
/// HTML), from a 1.x name's suffix (`_text` plain; `_html`, `_xhtml`, `_richtext`
/// HTML), the 1.x `headline` plain; otherwise told apart by content (a value that
/// starts with a tag is HTML). `headline_*`/`body_*`/`description_*` members that are
/// not strings are skipped. Empty strings and nulls count as absent; an article with
/// no text value at all is no_text. Each non-empty FieldMap pointer that resolves
/// overrides or adds as FieldMap says; a pointer that does not resolve (or is not a
/// valid pointer) leaves the field to ninjs.
/// Nesting deeper than kMaxDepth anywhere in the line is `too_deep`.
/// Lifecycle: `version`, `pubstatus`, `embargoed` are read when they are strings (an
/// integer `version` as written) and skipped otherwise.
/// Topic-filter metadata, read leniently (another shape is skipped, never refused):
/// `provider`, `copyrightholder` (a string or an object's `name`), `subject` /
/// `subjects` (objects: code from `code`, else `uri`, and `name`), `urgency` (an
/// integer 1-9 or a one-digit string).
///
/// A record whose first byte after an optional UTF-8 BOM and white space is '<' is
/// NewsML-G2 XML (docs/formats.md): one `newsItem`, or a `newsMessage` carrying
/// exactly one (several are `several_items`: split_newsml() first). The FieldMap does
/// not apply to it. Anything else is JSON as above.
class Decoder {
 public:
  explicit Decoder(FieldMap map = {});
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  /// Decodes `line` (one record: an NDJSON line or a whole NewsML-G2 document) into
  /// `out` (cleared first, storage reused). On error `out` is
  /// left in an unspecified but valid state. An article without an id gets
  /// `content_id(article)` with id_from_hash = true.
  DecodeError decode(std::string_view line, Article& out);

  /// The simdjson kernel this decoder runs (decode_kernel() when it was constructed:
  /// see newshound/decode/kernel.hpp). It stays fixed for the decoder's lifetime.
  std::string_view kernel() const;

  /// Deepest object/array nesting accepted (simdjson's default max depth); also the
  /// deepest XML element nesting accepted.
  static constexpr std::size_t kMaxDepth = 1024;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Stable id for an article that has none: "h:" + 32 hex digits of XXH3-128 over
/// headline and body (stable_hash_hex). The same text always gets the same id,
/// across runs and hosts.
std::string content_id(std::string_view headline, std::string_view body);

/// The id of a decoded article without one: content_id(headline, body) when it has
/// no other text value (so such ids never change), else the same hash over every
/// text value in order, so two pictures with different captions differ.
std::string content_id(const Article& article);

/// True if `p` is a syntactically valid JSON Pointer (RFC 6901) for FieldMap: empty,
/// or starting with '/' with every '~' followed by '0' or '1'. For config checks.
bool is_valid_json_pointer(std::string_view p);

}  // namespace newshound

// Stage: decode. Turns one NDJSON line into an Article: ninjs 1.x, ninjs 2.x/3.x,
// or any JSON shape through a field mapping. simdjson On-Demand; errors are values.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

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
  no_text,           ///< neither headline nor body present: nothing to match
  too_large,         ///< line longer than the configured limit (reported by the framer)
  looks_like_alert,  ///< carries an alert's `rules_version` and `matches`: a feedback loop
};

/// Stable snake_case name of a reason, used in logs and metrics labels.
std::string_view to_string(DecodeError e);

/// Where each article field is found in a non-ninjs feed. Each entry is a JSON
/// Pointer (RFC 6901, e.g. "/title" or "/content/text"); empty means "not mapped".
/// With `ninjs = true` (the default) the ninjs 1.x/2.x/3.x names are read and any
/// non-empty pointer here overrides the ninjs field of the same role. With
/// `accept_alerts = false` (the default) a line whose top level has both
/// `rules_version` and `matches` (newshound's own alert) is refused as
/// looks_like_alert: an output wired back into an input would loop forever.
struct FieldMap {
  bool ninjs = true;
  bool accept_alerts = false;
  std::string id;
  std::string headline;
  std::string body_text;
  std::string body_html;
  std::string versioncreated;
  std::string language;

  bool operator==(const FieldMap&) const = default;
};

/// Decodes lines into Articles. One per worker thread (owns a simdjson parser and a
/// padded copy buffer, both reused: no allocation per line once grown to the
/// largest line seen). Never throws on input. The constructor allocates the parser
/// for 4 KiB lines with the kernel active at that moment (kernel()).
///
/// ninjs names read (all versions at once, unknown names skipped unread):
///   id        `uri`, else `guid`, else `id` (string, or an integer written as-is)
///   headline  `headline`, else the first `headlines[]` entry whose `role` is absent
///             or "main", else the first entry's `value`
///   body      `body_text` (text), else `body_html` (html), else the best `bodies[]`
///             entry: text/plain (or no content type) before text/html, then role
///             absent/"main", then first; `contenttype` or `contentType`
///   versioncreated (`versionCreated`), language, located, byline (`by`), type
/// Empty strings and nulls count as absent. Each non-empty FieldMap pointer that
/// resolves overrides its role (a mapped body_text beats a mapped body_html); a
/// pointer that does not resolve (or is not a valid pointer) leaves the role to ninjs.
/// Nesting deeper than kMaxDepth anywhere in the line is `too_deep`.
class Decoder {
 public:
  explicit Decoder(FieldMap map = {});
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  /// Decodes `line` into `out` (cleared first, storage reused). On error `out` is
  /// left in an unspecified but valid state. An article without an id gets
  /// `content_id(headline, body)` with id_from_hash = true.
  DecodeError decode(std::string_view line, Article& out);

  /// The simdjson kernel this decoder runs (decode_kernel() when it was constructed:
  /// see newshound/decode/kernel.hpp). It stays fixed for the decoder's lifetime.
  std::string_view kernel() const;

  /// Deepest object/array nesting accepted (simdjson's default max depth).
  static constexpr std::size_t kMaxDepth = 1024;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Stable id for an article that has none: "h:" + 32 hex digits of XXH3-128 over
/// headline and body (stable_hash_hex). The same text always gets the same id,
/// across runs and hosts.
std::string content_id(std::string_view headline, std::string_view body);

/// True if `p` is a syntactically valid JSON Pointer (RFC 6901) for FieldMap: empty,
/// or starting with '/' with every '~' followed by '0' or '1'. For config checks.
bool is_valid_json_pointer(std::string_view p);

}  // namespace newshound

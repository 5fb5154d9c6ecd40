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
  not_json,      ///< not parseable JSON (includes truncated documents, trailing garbage)
  not_object,    ///< valid JSON but the top level is not an object
  invalid_utf8,  ///< the bytes are not valid UTF-8
  wrong_type,    ///< a mapped field has the wrong JSON type (e.g. headline is a number)
  too_deep,      ///< nesting deeper than the parser allows
  no_text,       ///< neither headline nor body present: nothing to match
  too_large,     ///< line longer than the configured limit (reported by the framer)
};

/// Stable snake_case name of a reason, used in logs and metrics labels.
std::string_view to_string(DecodeError e);

/// Where each article field is found in a non-ninjs feed. Each entry is a JSON
/// Pointer (RFC 6901, e.g. "/title" or "/content/text"); empty means "not mapped".
/// With `ninjs = true` (the default) the ninjs 1.x/2.x/3.x names are read and any
/// non-empty pointer here overrides the ninjs field of the same role.
struct FieldMap {
  bool ninjs = true;
  std::string id;
  std::string headline;
  std::string body_text;
  std::string body_html;
  std::string versioncreated;
  std::string language;
};

/// Decodes lines into Articles. One per worker thread (owns a simdjson parser and a
/// padded copy buffer, both reused). Never throws on input.
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Stable id for an article that has none: "sha:" + 32 hex digits of XXH3-128 over
/// headline and body. The same text always gets the same id, across runs and hosts.
std::string content_id(std::string_view headline, std::string_view body);

}  // namespace newshound

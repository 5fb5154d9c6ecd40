// Stage: normalize. The third hand-off type: an article's searchable text, folded
// once, with a map from every folded byte back to the original field bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newshound {

/// Which article field a match lies in.
enum class Field : std::uint8_t { headline, body };

/// Stable lower-case name ("headline", "body") used in alerts.
std::string_view to_string(Field f);

/// The folded text of one article: headline, then a single '\0' separator, then the
/// body. Folding (see docs/matching.md): Unicode case fold, diacritics removed
/// (NFKD minus combining marks), typographic quotes/apostrophes/dashes to ASCII,
/// every run of white space to one ' ', markup removed (HTML tags and entities in
/// HTML bodies; Markdown links and `**`/`__` in text). Never contains '\0' except
/// the separator.
///
/// For each byte i of `text`, `src_begin[i]`/`src_end[i]` give the byte range, in
/// the original field value, of the source character that produced it; so a folded
/// span [s, e) maps back to the original span [src_begin[s], src_end[e-1]).
/// Offsets are relative to the field (headline or body) the byte came from; a ' '
/// that stands for a white-space run covers the whole run (including block tags and
/// markup inside it); all bytes of an expansion (ß -> ss) share their source range;
/// the separator's entries are 0.
/// Owned by one worker and reused: clear() keeps capacity.
struct NormalizedArticle {
  std::string text;
  std::vector<std::uint32_t> src_begin;
  std::vector<std::uint32_t> src_end;
  std::uint32_t body_offset = 0;  ///< index in `text` of the first body byte (after '\0')

  void clear() {
    text.clear();
    src_begin.clear();
    src_end.clear();
    body_offset = 0;
  }

  Field field_at(std::uint32_t pos) const {
    return pos < body_offset ? Field::headline : Field::body;
  }
};

}  // namespace newshound

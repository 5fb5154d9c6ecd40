// Stage: normalize (tests; frozen reference copy of src/normalize, do not optimise). Recognises
// HTML markup constructs at a '<': tags, comments, declarations, and <script>/<style> elements
// whose content is dropped.
#pragma once

#include <cstddef>
#include <cstdint>

namespace newshound::reference_detail {

/// What a '<' in an HTML field starts.
enum class TagKind : std::uint8_t {
  text,        ///< not markup (no tag name, or no closing '>'): the '<' is text
  inline_tag,  ///< vanishes (b, i, a, span, comments, unknown tags...)
  block_tag,   ///< reads as white space (p, br, div, li, td, script/style elements...)
};

struct Tag {
  TagKind kind = TagKind::text;
  std::size_t end = 0;  ///< index just past the construct
};

/// Memo of failed searches for one field, so a field full of '<' stays linear.
struct HtmlScan {
  std::size_t next_gt = 0;  ///< cached index of the next '>' (valid while >= the '<')
  bool gt_known = false;
  bool no_comment_end = false;  ///< no "-->" after some earlier point
};

/// Classifies the construct starting at s[i] == '<' (n bytes in the field). An
/// unterminated tag or comment is text; an unterminated <script>/<style> drops the
/// rest of the field.
Tag scan_tag(const unsigned char* s, std::size_t n, std::size_t i, HtmlScan& memo);

}  // namespace newshound::reference_detail

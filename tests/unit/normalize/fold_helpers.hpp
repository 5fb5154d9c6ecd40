// Stage: normalize (tests). Helpers shared by the normalize unit tests: fold one
// field, and map a folded substring back to the original bytes it came from.
#pragma once

#include <string>
#include <string_view>

#include "newshound/normalize/normalizer.hpp"

namespace newshound::test {

/// The folding of `field` under `markup`, as a fresh NormalizedArticle.
inline NormalizedArticle fold_field(std::string_view field, Markup markup) {
  NormalizedArticle out;
  Normalizer::append(field, markup, out);
  return out;
}

inline std::string fold(std::string_view field, Markup markup = Markup::text) {
  return fold_field(field, markup).text;
}

/// The original bytes of `field` behind the first occurrence of `folded` in the
/// folding `n` of `field`; "<absent>" if `folded` does not occur.
inline std::string original_of(const NormalizedArticle& n, std::string_view field,
                               std::string_view folded) {
  const std::size_t s = n.text.find(folded);
  if (s == std::string::npos || folded.empty()) return "<absent>";
  const std::size_t e = s + folded.size();
  const std::uint32_t b = n.src_begin[s];
  const std::uint32_t end = n.src_end[e - 1];
  if (b > end || end > field.size()) return "<bad offsets>";
  return std::string(field.substr(b, end - b));
}

}  // namespace newshound::test

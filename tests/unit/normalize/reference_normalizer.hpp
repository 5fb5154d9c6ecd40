// Stage: normalize (tests). The reference folder: a frozen copy of the per-byte
// implementation, kept only to check the live Normalizer byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound::reference {

/// Folded text with one source offset pair per byte (the layout before run-length maps).
struct Folded {
  std::string text;
  std::vector<std::uint32_t> src_begin;
  std::vector<std::uint32_t> src_end;
  std::uint32_t body_offset = 0;
};

/// Appends the folding of `field` (as Normalizer::append did). Never throws except bad_alloc.
void append(std::string_view field, Markup markup, Folded& out);

/// Folds headline, '\0', body (as Normalizer::normalize did); `out` is cleared first.
void normalize(const Article& article, Folded& out);

}  // namespace newshound::reference

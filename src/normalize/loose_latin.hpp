// Stage: normalize (private). The loose Latin folding of the transliterated view:
// the few spellings on which the romanization conventions of one script disagree
// read the same (docs/matching.md, "Other scripts": y and j read i, a doubled i
// one i, kh reads h, shch reads sch, x reads ks, an i between a vowel (or a word
// start) and e vanishes), so `Sergey`, `Sergej` and `Sergei` all read "sergei".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "newshound/normalize/transliterator.hpp"

namespace newshound::normalize_detail {

/// Appends the loose folding of `units` (lower-case text, with per-byte folded
/// ranges `b`/`e` and transliterated flags `t`, all units.size() long) to `out`.
/// Bytes a rule merges share the range from the first one's begin to the last
/// one's end; the others keep theirs. Only ASCII letters are rewritten.
void loose_fold(std::string_view units, const std::vector<std::uint32_t>& b,
                const std::vector<std::uint32_t>& e, const std::vector<std::uint8_t>& t,
                TranslitView& out);

}  // namespace newshound::normalize_detail

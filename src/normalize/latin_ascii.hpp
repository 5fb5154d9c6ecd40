// Stage: normalize (private). The Latin-ASCII fold of one code point: every Latin
// letter that ICU's Latin-ASCII transliterator spells in ASCII (Ł -> l, Ø -> o,
// Æ -> ae, Þ -> th, ı -> i, é -> e...), lower-cased. The table is generated from ICU
// at build time (src/normalize/gen/); no ICU at run time.
#pragma once

#include <string_view>

namespace newshound::normalize_detail {

/// The lower-case ASCII spelling (1 to 3 bytes) of the Latin letter `cp`, or an empty
/// view if `cp` is not a Latin letter with one (not a letter, outside the Latin
/// blocks, or left non-ASCII by ICU). A view into a static table; never fails. Costs
/// one block-index read for code points outside the Latin blocks (CJK, Cyrillic...)
/// and a binary search over at most one 256-code-point block otherwise.
std::string_view latin_ascii(char32_t cp);

}  // namespace newshound::normalize_detail

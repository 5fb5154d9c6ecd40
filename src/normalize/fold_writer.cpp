// Stage: normalize. Per-code-point rules of TextWriter and the growth of its output
// arrays. Fold mode: typographic punctuation to ASCII, Unicode white space to a
// space run, zero-width characters dropped, Latin letters to their ASCII spelling
// (latin_ascii.hpp: Ł -> l, Æ -> ae, the table generated from ICU's Latin-ASCII),
// everything else case-folded and stripped of diacritics through utf8proc (NFKD +
// case fold - combining marks), whose non-ASCII results go through the Latin table
// once more (e.g. modifier letter U+1D2D -> æ -> ae). Keep mode: Unicode white space
// to a space run, everything else unchanged.
#include "fold_writer.hpp"

#include "latin_ascii.hpp"

#include <utf8proc.h>

#include <algorithm>

#include "newshound/util/utf8.hpp"

namespace newshound::normalize_detail {
namespace {

/// Result of the fixed mapping applied before utf8proc.
constexpr int kNoSpecial = -1;
constexpr int kDrop = 0;

/// Typographic punctuation, white space and zero-width characters that fold to a
/// fixed ASCII byte (returned), to a space run (' '), to nothing (kDrop), or are
/// left to the general rules (kNoSpecial).
int special(char32_t cp) {
  switch (cp) {
    case 0x2019:
    case 0x2018:
    case 0x201B:
    case 0x02BC:
    case 0x2032:
    case 0x201A:
    case 0x00B4:  // acute accent typed as an apostrophe
      return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0x00AB:
    case 0x00BB:
      return '"';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      return '-';
    case 0x00A0:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0x2028:
    case 0x2029:
    case 0x1680:
      return ' ';
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0xFEFF:
    case 0x00AD:
    case 0x2060:
      return kDrop;
    default:
      break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) return ' ';
  if (cp >= 0x80 && cp <= 0x9F) return ' ';  // C1 controls, NEL included
  return kNoSpecial;
}

bool is_space_category(char32_t cp) {
  switch (utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->category) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
      return true;
    default:
      return false;
  }
}

constexpr auto kFoldOptions =
    static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                   UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

/// Longest decomposition utf8proc produces is 18 code points; leave room.
constexpr utf8proc_ssize_t kDecompMax = 32;

}  // namespace

template <WriteMode Mode>
void TextWriter<Mode>::grow(std::size_t extra) {
  const std::size_t want = std::max(w_ + extra, cap_ * 2);
  text_.resize(want);
  t_ = text_.data();
  if constexpr (Mode == WriteMode::keep) {
    if (begin_) begin_->resize(want);
    if (end_) end_->resize(want);
  }
  cap_ = want;
}

template <WriteMode Mode>
void TextWriter<Mode>::wide(char32_t cp, std::uint32_t b, std::uint32_t e) {
  const int s = special(cp);
  if constexpr (Mode == WriteMode::keep) {
    if (s == ' ' || is_space_category(cp)) return space(b, e);
    return encoded(utf8::is_scalar(cp) ? cp : utf8::kReplacement, b, e);
  }
  if (s == kDrop) return;
  if (s == ' ') return space(b, e);
  if (s != kNoSpecial) return byte(static_cast<char>(s), b, e);
  if (is_space_category(cp)) return space(b, e);
  if (const std::string_view a = latin_ascii(cp); !a.empty()) return ascii(a, b, e);

  utf8proc_int32_t buf[kDecompMax];
  int boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), buf,
                                                     kDecompMax, kFoldOptions, &boundclass);
  if (n < 0 || n > kDecompMax) return folded(utf8::kReplacement, b, e);
  for (utf8proc_ssize_t k = 0; k < n; ++k) folded(static_cast<char32_t>(buf[k]), b, e);
}

template <WriteMode Mode>
void TextWriter<Mode>::folded(char32_t cp, std::uint32_t b, std::uint32_t e) {
  if (cp < 0x80) return code_point(cp, b, e);  // e.g. the space in a compat decomposition
  const int s = special(cp);                   // e.g. U+2033 decomposes to two U+2032
  if (s == kDrop) return;
  if (s == ' ') return space(b, e);
  if (s != kNoSpecial) return byte(static_cast<char>(s), b, e);
  if (const std::string_view a = latin_ascii(cp); !a.empty()) return ascii(a, b, e);
  encoded(utf8::is_scalar(cp) ? cp : utf8::kReplacement, b, e);
}

template <WriteMode Mode>
void TextWriter<Mode>::ascii(std::string_view a, std::uint32_t b, std::uint32_t e) {
  for (const char c : a) byte(c, b, e);  // every byte maps back to the whole code point
}

template <WriteMode Mode>
void TextWriter<Mode>::encoded(char32_t cp, std::uint32_t b, std::uint32_t e) {
  if (cap_ - w_ < 5) grow(5);
  if (pending_) put_space();
  non_ascii_ = true;
  char enc[4];
  const std::uint32_t len = utf8::encode(cp, enc);
  for (std::uint32_t k = 0; k < len; ++k) put(enc[k], b, e);
}

template class TextWriter<WriteMode::fold>;
template class TextWriter<WriteMode::keep>;

}  // namespace newshound::normalize_detail

// Build tool and tests (stage normalize): ICU's Latin-ASCII transliterator applied to
// one Latin letter, lower-cased (see latin_ascii_icu.hpp).
#include "latin_ascii_icu.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uversion.h>

namespace newshound::latin_ascii_icu {

std::unique_ptr<LatinAscii> LatinAscii::create(std::string& error) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Transliterator* t =
      icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status);
  if (U_FAILURE(status) || t == nullptr) {
    error = u_errorName(status);
    delete t;
    return nullptr;
  }
  return std::unique_ptr<LatinAscii>(new LatinAscii(t));
}

LatinAscii::~LatinAscii() {
  delete t_;
}

std::optional<std::string> LatinAscii::fold(char32_t cp) const {
  bool in_block = false;
  for (const Block& b : kBlocks) in_block = in_block || (cp >= b.first && cp <= b.last);
  const auto c = static_cast<UChar32>(cp);
  if (!in_block || !u_isalpha(c)) return std::nullopt;
  icu::UnicodeString s(c);
  t_->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  if (out.empty()) return std::nullopt;
  for (char& ch : out) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80) return std::nullopt;  // ICU left it (or part of it) as it was
    if (u >= 'A' && u <= 'Z') ch = static_cast<char>(u + ('a' - 'A'));
  }
  return out;
}

std::string LatinAscii::icu_version() {
  return U_ICU_VERSION;
}

}  // namespace newshound::latin_ascii_icu

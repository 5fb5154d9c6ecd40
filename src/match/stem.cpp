// Stage: match. Owns word forms for `~` terms: language tags -> Snowball languages,
// the scan literal of a `~` term, the lazily created per-thread libstemmer stemmers
// and the word-form test both topic evaluators share.
#include "newshound/match/stem.hpp"

#include <libstemmer.h>

#include <algorithm>

namespace newshound {

std::uint32_t stem_language_of(std::string_view tag) {
  const std::size_t cut = tag.find_first_of("-_");
  const std::string_view primary = tag.substr(0, cut);
  if (primary.size() != 2) return kNoStemLanguage;
  char code[2];
  for (std::size_t i = 0; i < 2; ++i) {
    const char c = primary[i];
    code[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view key(code, 2);
  const auto it =
      std::lower_bound(kStemLanguages.begin(), kStemLanguages.end(), key,
                       [](const StemLanguage& l, std::string_view k) { return l.code < k; });
  if (it == kStemLanguages.end() || it->code != key) return kNoStemLanguage;
  return static_cast<std::uint32_t>(it - kStemLanguages.begin());
}

std::uint32_t effective_stem_language(std::string_view article_language,
                                      std::string_view list_language) {
  std::uint32_t lang = stem_language_of(article_language);
  if (lang == kNoStemLanguage) lang = stem_language_of(list_language);
  if (lang == kNoStemLanguage) lang = stem_language_of(kDefaultStemLanguage);
  return lang;
}

std::string stem_scan_literal(std::string_view folded_term, std::uint32_t lang,
                              Stemmers& stemmers) {
  const std::string_view s = stemmers.stem(lang, folded_term);
  const std::size_t n = std::min(s.size(), folded_term.size());
  std::size_t keep = 0;
  while (keep < n && s[keep] == folded_term[keep]) ++keep;
  // Whole characters only.
  while (keep > 0 && keep < folded_term.size() &&
         (static_cast<unsigned char>(folded_term[keep]) & 0xC0) == 0x80)
    --keep;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < keep; ++i)
    chars += (static_cast<unsigned char>(folded_term[i]) & 0xC0) != 0x80 ? 1 : 0;
  if (chars < 3) keep = folded_term.size();
  return std::string(folded_term.substr(0, keep));
}

Stemmers::~Stemmers() {
  for (sb_stemmer* s : stemmers_)
    if (s != nullptr) sb_stemmer_delete(s);
}

std::string_view Stemmers::stem(std::uint32_t lang, std::string_view word) {
  if (lang >= stemmers_.size() || failed_[lang]) return word;
  sb_stemmer*& s = stemmers_[lang];
  if (s == nullptr) {
    const std::string algorithm(kStemLanguages[lang].algorithm);
    s = sb_stemmer_new(algorithm.c_str(), "UTF_8");
    if (s == nullptr) {
      failed_[lang] = true;
      return word;
    }
  }
  const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (out == nullptr) return word;  // out of memory inside libstemmer: no stemming
  return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(s))};
}

bool is_word_form(Stemmers& stemmers, std::uint32_t lang, std::string_view word,
                  std::string_view term, std::string_view term_stem, std::string_view scan) {
  if (word.substr(0, scan.size()) != scan) return false;
  const std::string_view s = stemmers.stem(lang, word);
  return s == term_stem || s == term;
}

}  // namespace newshound

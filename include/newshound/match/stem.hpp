// Stage: match. Word forms for `~` terms (docs/query-language.md, "Word forms"): the
// Snowball languages newshound stems (ISO 639-1 code -> libstemmer algorithm), the
// article-language lookup, the scan literal of a `~` term and the per-thread set of
// libstemmer stemmers. One definition shared by both topic evaluators and explain.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace newshound {

/// One stemming language: the ISO 639-1 code accepted in an article's `language`
/// and in `[[watchlist]] language`, and the libstemmer algorithm it selects.
struct StemLanguage {
  std::string_view code;
  std::string_view algorithm;
};

/// Every language Snowball stems (libstemmer 2.2), by ISO 639-1 code. A language
/// index is a position in this table.
inline constexpr std::array<StemLanguage, 30> kStemLanguages{{
    {"ar", "arabic"},     {"ca", "catalan"},   {"da", "danish"},     {"de", "german"},
    {"el", "greek"},      {"en", "english"},   {"es", "spanish"},    {"eu", "basque"},
    {"fi", "finnish"},    {"fr", "french"},    {"ga", "irish"},      {"hi", "hindi"},
    {"hu", "hungarian"},  {"hy", "armenian"},  {"id", "indonesian"}, {"it", "italian"},
    {"lt", "lithuanian"}, {"nb", "norwegian"}, {"ne", "nepali"},     {"nl", "dutch"},
    {"nn", "norwegian"},  {"no", "norwegian"}, {"pt", "portuguese"}, {"ro", "romanian"},
    {"ru", "russian"},    {"sr", "serbian"},   {"sv", "swedish"},    {"ta", "tamil"},
    {"tr", "turkish"},    {"yi", "yiddish"},
}};

/// "No language": the index stem_language_of returns for a tag Snowball lacks.
inline constexpr std::uint32_t kNoStemLanguage = static_cast<std::uint32_t>(-1);

/// The language `~` terms use when neither the article nor the list names one.
inline constexpr std::string_view kDefaultStemLanguage = "en";

/// The kStemLanguages index of a language tag: its primary subtag ("en" of
/// "en-GB", "pt_BR"), ASCII case ignored, as an ISO 639-1 code. kNoStemLanguage
/// for an empty tag or a language Snowball does not stem. No allocation.
std::uint32_t stem_language_of(std::string_view tag);

/// The language a `~` term is stemmed in: the article's `language` when Snowball
/// stems it, else the list's `[[watchlist]] language`, else kDefaultStemLanguage.
std::uint32_t effective_stem_language(std::string_view article_language,
                                      std::string_view list_language);

class Stemmers;

/// The literal a `~` term scans for in language `lang`: the longest beginning
/// (whole UTF-8 characters) the folded term shares with its stem in `lang`, or the
/// whole term when that beginning is shorter than 3 characters (Serbian stems
/// Cyrillic into Latin). Every word that is a form of the term in `lang` begins
/// with it.
std::string stem_scan_literal(std::string_view folded_term, std::uint32_t lang, Stemmers& stemmers);

/// One libstemmer stemmer per language, created on first use and owned until
/// destruction. Not thread safe (libstemmer stemmers are not): one per worker
/// thread, never one per article.
class Stemmers {
 public:
  Stemmers() = default;
  ~Stemmers();
  Stemmers(const Stemmers&) = delete;
  Stemmers& operator=(const Stemmers&) = delete;

  /// The stem of the folded word `word` in language `lang` (a kStemLanguages
  /// index), valid until the next call on this object. `word` itself when `lang`
  /// is out of range or its stemmer cannot be created. Allocates only when a
  /// language is first used (and inside libstemmer when a word is longer than any
  /// before).
  std::string_view stem(std::uint32_t lang, std::string_view word);

 private:
  std::array<sb_stemmer*, kStemLanguages.size()> stemmers_{};
  std::array<bool, kStemLanguages.size()> failed_{};
};

/// True if folded `word` is a form of the folded `~` term `term` in language
/// `lang`: it begins with stem_scan_literal(term, lang) (`scan`) and its stem
/// equals the term's stem in `lang` (`term_stem`) or the term itself (Snowball cuts `ов` from
/// `лавров` but not from `лаврова`, whose stem is `лавров`).
bool is_word_form(Stemmers& stemmers, std::uint32_t lang, std::string_view word,
                  std::string_view term, std::string_view term_stem, std::string_view scan);

}  // namespace newshound

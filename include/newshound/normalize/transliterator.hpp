// Stage: normalize. The transliterated view of folded text (watch-lists with
// `transliterate = true`, docs/matching.md "Other scripts"): every non-Latin letter of
// NormalizedArticle::text spelled in Latin by ICU, the result folded by the loose
// Latin rules (Sergey/Sergej/Sergei all read "sergei"), with a map from every view
// byte back to the folded bytes it came from. Built only on demand, by the match
// stage, for articles whose folded text kept non-ASCII code points.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace newshound {

/// The transliterated view of one folded text. `text` holds the folded text with
/// each non-ASCII run transliterated and every Latin word loose-folded; the '\0'
/// separators of the folded text are kept. For each byte i of `text`,
/// `main_begin[i]`/`main_end[i]` give the byte range in the folded text
/// (NormalizedArticle::text) that produced it: a view span [s, e) stands for the
/// folded span [main_begin[s], main_end[e-1]), which the folded text's own offset
/// map takes back to the original bytes. The bytes of one transliterated code point
/// share its range; when ICU spells a run only as a whole (context rules), every
/// byte of the run gets the whole run's range. `translit[i]` is 1 when byte i came
/// from a transliterated (non-ASCII) code point. Owned by one worker and reused:
/// clear() keeps capacity.
struct TranslitView {
  std::string text;
  std::vector<std::uint32_t> main_begin;
  std::vector<std::uint32_t> main_end;
  std::vector<std::uint8_t> translit;

  void clear() {
    text.clear();
    main_begin.clear();
    main_end.clear();
    translit.clear();
  }

  /// True if some byte of view span [s, e) came from a transliterated code point.
  bool touches_translit(std::size_t s, std::size_t e) const {
    for (std::size_t i = s; i < e && i < translit.size(); ++i)
      if (translit[i] != 0) return true;
    return false;
  }
};

/// ICU's transliterator chain (kTranslitChain) and the loose Latin folding, with
/// caches of the code points and runs seen. One per worker thread (not thread-safe);
/// ICU is opened on first use, never per article. Never throws except
/// std::bad_alloc; an ICU failure is reported by ok()/error(), and the view is then
/// the loose folding of the text without transliteration.
class Transliterator {
 public:
  Transliterator();
  ~Transliterator();
  Transliterator(const Transliterator&) = delete;
  Transliterator& operator=(const Transliterator&) = delete;

  /// Builds the view of folded text `folded` into `out` (cleared first). Any bytes
  /// are accepted: invalid UTF-8 reads as U+FFFD, each byte mapped to itself.
  void build(std::string_view folded, TranslitView& out);

  /// The literal a transliterating watch-list compiles for `phrase`: the view of
  /// fold_phrase(phrase). "" if it folds to nothing.
  std::string fold_phrase(std::string_view phrase);

  /// False if ICU could not open the chain (error() says why).
  bool ok();
  const std::string& error() const { return error_; }

 private:
  struct Icu;  // the ICU objects and caches (transliterator.cpp)
  Icu& icu();

  std::unique_ptr<Icu> icu_;
  std::string error_;
  // Scratch of build(): the transliterated units before the loose folding.
  std::string units_;
  std::vector<std::uint32_t> ub_, ue_;
  std::vector<std::uint8_t> ut_;
};

/// The ICU transform ids applied, in order, to non-ASCII runs of folded text.
inline constexpr std::string_view kTranslitChain =
    "Russian-Latin/BGN; Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII; Lower";

}  // namespace newshound

// Stage: normalize. Owns the transliterated view (transliterator.hpp): ICU's chain
// (kTranslitChain) opened once per Transliterator, applied to each run of non-ASCII
// code points of folded text, with the per-code-point spelling used whenever the
// pieces add up to ICU's spelling of the whole run (so each byte maps back to its
// own code point), and the run's spelling with the run's range otherwise (ICU's
// context rules, e.g. BGN's "ye" for е after a vowel). Both spellings are cached.
// The loose Latin folding follows (loose_latin.hpp).
#include "newshound/normalize/transliterator.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <unordered_map>

#include "loose_latin.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {
namespace {

/// Code points per transliterated run at most: bounds one ICU call (text without
/// spaces, e.g. CJK, is cut into runs of this many code points).
constexpr std::size_t kMaxRun = 64;
/// Entries per cache at most; a full cache is emptied (a worker sees few scripts).
constexpr std::size_t kMaxCache = 1 << 14;

}  // namespace

struct Transliterator::Icu {
  std::unique_ptr<icu::Transliterator> chain;
  std::unordered_map<char32_t, std::string> code_points;
  std::unordered_map<std::string, std::string> runs;
  icu::UnicodeString scratch;

  /// ICU's spelling of UTF-8 `s` (s itself when the chain is unavailable).
  std::string spell(std::string_view s) {
    if (!chain) return std::string(s);
    scratch =
        icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    chain->transliterate(scratch);
    std::string out;
    scratch.toUTF8String(out);
    return out;
  }

  const std::string& code_point(char32_t cp, std::string_view bytes) {
    if (code_points.size() >= kMaxCache) code_points.clear();
    auto [it, fresh] = code_points.try_emplace(cp);
    if (fresh) it->second = spell(bytes);
    return it->second;
  }

  const std::string& run(std::string_view bytes) {
    if (runs.size() >= kMaxCache) runs.clear();
    auto [it, fresh] = runs.try_emplace(std::string(bytes));
    if (fresh) it->second = spell(bytes);
    return it->second;
  }
};

Transliterator::Transliterator() = default;
Transliterator::~Transliterator() = default;

Transliterator::Icu& Transliterator::icu() {
  if (icu_) return *icu_;
  icu_ = std::make_unique<Icu>();
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString id = icu::UnicodeString::fromUTF8(
      icu::StringPiece(kTranslitChain.data(), static_cast<int32_t>(kTranslitChain.size())));
  icu_->chain.reset(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !icu_->chain) {
    icu_->chain.reset();
    error_ = std::string("cannot open the ICU transliterator \"") + std::string(kTranslitChain) +
             "\": " + u_errorName(status);
  }
  return *icu_;
}

bool Transliterator::ok() {
  return icu().chain != nullptr;
}

void Transliterator::build(std::string_view folded, TranslitView& out) {
  out.clear();
  units_.clear();
  ub_.clear();
  ue_.clear();
  ut_.clear();
  Icu& icu = this->icu();
  const auto emit = [&](std::string_view s, std::uint32_t b, std::uint32_t e, std::uint8_t t) {
    units_.append(s);
    ub_.insert(ub_.end(), s.size(), b);
    ue_.insert(ue_.end(), s.size(), e);
    ut_.insert(ut_.end(), s.size(), t);
  };
  const auto* s = reinterpret_cast<const unsigned char*>(folded.data());
  const std::size_t n = folded.size();
  std::size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      const auto p = static_cast<std::uint32_t>(i);
      emit(folded.substr(i, 1), p, p + 1, 0);
      ++i;
      continue;
    }
    // One run of non-ASCII code points (at most kMaxRun).
    const std::size_t run_begin = i;
    std::size_t cps = 0;
    while (i < n && s[i] >= 0x80 && cps < kMaxRun) {
      i += utf8::decode(s + i, n - i).len;
      ++cps;
    }
    const std::string_view run = folded.substr(run_begin, i - run_begin);
    const std::string& whole = icu.run(run);
    // The per-code-point spellings, if they add up to the whole run's.
    std::size_t matched = 0;
    bool pieces = true;
    for (std::size_t k = run_begin; k < i && pieces;) {
      const utf8::Decoded d = utf8::decode(s + k, i - k);
      const std::string& p = icu.code_point(d.cp, folded.substr(k, d.len));
      pieces = matched + p.size() <= whole.size() && whole.compare(matched, p.size(), p) == 0;
      matched += p.size();
      k += d.len;
    }
    if (pieces && matched == whole.size()) {
      for (std::size_t k = run_begin; k < i;) {
        const utf8::Decoded d = utf8::decode(s + k, i - k);
        emit(icu.code_point(d.cp, folded.substr(k, d.len)), static_cast<std::uint32_t>(k),
             static_cast<std::uint32_t>(k + d.len), 1);
        k += d.len;
      }
    } else {
      emit(whole, static_cast<std::uint32_t>(run_begin), static_cast<std::uint32_t>(i), 1);
    }
  }
  normalize_detail::loose_fold(units_, ub_, ue_, ut_, out);
}

std::string Transliterator::fold_phrase(std::string_view phrase) {
  const std::string folded = newshound::fold_phrase(phrase);
  TranslitView view;
  build(folded, view);
  return std::move(view.text);
}

}  // namespace newshound

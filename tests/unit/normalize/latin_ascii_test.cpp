// Stage: normalize (tests). The Latin-ASCII fold (issue 21): the generated table
// equals ICU's Latin-ASCII for every code point of the Latin blocks, and every
// Latin letter folds through the normalizer, as text and as a watch-list phrase, in
// upper and lower case, to ICU's spelling, with offsets on the letter's own bytes.
#include <catch2/catch.hpp>

#include <string>

#include "fold_helpers.hpp"
#include "latin_ascii_icu.hpp"
#include "newshound/util/utf8.hpp"
#include "normalize/latin_ascii.hpp"

using newshound::fold_phrase;
using newshound::Markup;
using newshound::normalize_detail::latin_ascii;
using newshound::test::fold;
using newshound::test::fold_field;
using newshound::test::original_of;
namespace icu_fold = newshound::latin_ascii_icu;

namespace {

std::string utf8_of(char32_t cp) {
  char buf[4];
  return std::string(buf, newshound::utf8::encode(cp, buf));
}

const icu_fold::LatinAscii& icu_latin() {
  static const auto t = [] {
    std::string error;
    auto p = icu_fold::LatinAscii::create(error);
    INFO("ICU error: " << error);
    REQUIRE(p != nullptr);
    return p;
  }();
  return *t;
}

}  // namespace

TEST_CASE("the generated table is ICU's Latin-ASCII on every Latin code point",
          "[normalize][latin]") {
  std::size_t letters = 0;
  for (const auto& block : icu_fold::kBlocks) {
    for (char32_t cp = block.first; cp <= block.last; ++cp) {
      const std::string want = icu_latin().fold(cp).value_or("");
      INFO("U+" << std::hex << static_cast<unsigned>(cp));
      CHECK(std::string(latin_ascii(cp)) == want);
      letters += want.empty() ? 0 : 1;
    }
  }
  CHECK(letters > 700);  // ICU 72 maps 804 of them
  for (char32_t cp : {0x41u, 0x7Fu, 0x300u, 0x416u, 0x4E2Du, 0xFB01u, 0xFFFDu, 0x1F600u}) {
    CHECK(latin_ascii(cp).empty());  // outside the Latin blocks, or not a letter
  }
}

TEST_CASE("every Latin letter folds to ICU's spelling, as text and as an alias",
          "[normalize][latin]") {
  for (const auto& block : icu_fold::kBlocks) {
    for (char32_t cp = block.first; cp <= block.last; ++cp) {
      const auto want = icu_latin().fold(cp);
      if (!want) continue;
      const std::string letter = utf8_of(cp);
      INFO("U+" << std::hex << static_cast<unsigned>(cp) << " " << letter);
      // In a word, with ASCII on both sides: the letter's bytes fold to `want`.
      const std::string field = "Xa" + letter + "b, " + letter;
      const auto n = fold_field(field, Markup::text);
      CHECK(n.text == "xa" + *want + "b, " + *want);
      // Every folded byte of the letter maps back to the letter, whole.
      CHECK(original_of(n, field, "a" + *want + "b") == "a" + letter + "b");
      CHECK(original_of(n, field, ", " + *want) == ", " + letter);
      // The alias side: the marked phrase and the plain one fold alike.
      CHECK(fold_phrase("Xa" + letter + "b") == fold_phrase("Xa" + *want + "b"));
    }
  }
}

TEST_CASE("letters with a stroke, slash or ligature fold to ASCII", "[normalize][latin]") {
  CHECK(fold("Łódź") == "lodz");
  CHECK(fold("Łukasz Kubot") == "lukasz kubot");
  CHECK(fold("Søren Kierkegaard, ØRESUND") == "soren kierkegaard, oresund");
  CHECK(fold("Novak Đoković, đak") == "novak dokovic, dak");
  CHECK(fold("Ærø, Æ, æ") == "aero, ae, ae");
  CHECK(fold("Þór, Þingvellir, Guðni") == "thor, thingvellir, gudni");
  CHECK(fold("Œuvre, cœur") == "oeuvre, coeur");
  CHECK(fold("ı, Işık, İstanbul") == "i, isik, istanbul");
  CHECK(fold("ħ Ħ ŧ Ŧ ŋ Ŋ ß ẞ") == "h h t t n n ss ss");
  CHECK(fold("Müller") == "muller");    // German ü -> u, not ue
  CHECK(fold("\xE1\xB4\xAD") == "ae");  // U+1D2D modifier capital AE: NFKD gives Æ, then ae
}

TEST_CASE("a Latin letter folded to two letters keeps its offsets", "[normalize][latin]") {
  const std::string f = "<p>Þór &AElig;r&oslash; Łódź</p>";
  const auto n = fold_field(f, Markup::html);
  REQUIRE(n.text == "thor aero lodz");
  CHECK(original_of(n, f, "th") == "Þ");
  CHECK(original_of(n, f, "h") == "Þ");
  CHECK(original_of(n, f, "thor") == "Þór");
  CHECK(original_of(n, f, "aero") == "&AElig;r&oslash;");
  CHECK(original_of(n, f, "e") == "&AElig;");
  CHECK(original_of(n, f, "lodz") == "Łódź");
}

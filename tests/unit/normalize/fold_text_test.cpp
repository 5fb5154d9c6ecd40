// Stage: normalize (tests). Plain-text folding rules: case fold, diacritics,
// ligatures, typographic punctuation, white space runs, controls, zero-width chars.
#include <catch2/catch.hpp>

#include "fold_helpers.hpp"

using newshound::fold_phrase;
using newshound::Markup;
using newshound::test::fold;

TEST_CASE("ASCII is lower-cased and otherwise kept", "[normalize][fold]") {
  CHECK(fold("NATO ALLIES MEET IN BRUSSELS") == "nato allies meet in brussels");
  CHECK(fold("U.S. Treasury, 3.5% (est.)") == "u.s. treasury, 3.5% (est.)");
  CHECK(fold("Lavrov's aide") == "lavrov's aide");
}

TEST_CASE("Unicode case fold and diacritics removal", "[normalize][fold]") {
  CHECK(fold("Édouard Philippe") == "edouard philippe");
  CHECK(fold("ÉMILE ZOLA À PARIS") == "emile zola a paris");
  CHECK(fold("Straße") == "strasse");
  CHECK(fold("Erdoğan and Müller") == "erdogan and muller");
  CHECK(fold("Łódź") == "lodz");  // Ł has no decomposition: ICU's Latin-ASCII table
  CHECK(fold("ﬁnance ﬂows") == "finance flows");
  CHECK(fold("ЛАВРОВ") == "лавров");
  CHECK(fold("Сергей Лавров") == "сергеи лавров");  // й loses its breve like any accent
  CHECK(fold("ＮＡＴＯ") == "nato");                // full-width compatibility forms
}

TEST_CASE("decomposed and precomposed accents fold alike", "[normalize][fold]") {
  CHECK(fold("Rene\xCC\x81") == fold("Ren\xC3\xA9"));
  CHECK(fold("Rene\xCC\x81") == "rene");
}

TEST_CASE("typographic apostrophes, quotes and dashes become ASCII", "[normalize][fold]") {
  CHECK(fold("Lavrov’s remarks") == "lavrov's remarks");
  CHECK(fold("‘a’ ‛b ʼc 5′") == "'a' 'b 'c 5'");
  CHECK(fold("“Stop,” he said „jetzt‟ «non» 6″") == "\"stop,\" he said \"jetzt\" \"non\" 6\"");
  CHECK(fold("2019‐2020 ‑ ‒ – — ― −5") == "2019-2020 - - - - - -5");
  CHECK(fold("Paris—Berlin") == "paris-berlin");
}

TEST_CASE("white space runs collapse to one space and are trimmed", "[normalize][fold]") {
  CHECK(fold("  Sergei \t\r\n  Lavrov \n") == "sergei lavrov");
  CHECK(fold("New\xC2\xA0York") == "new york");  // NBSP
  CHECK(fold("a\xE2\x80\x83\xE2\x80\x89"
             "b") == "a b");  // em space + thin space
  CHECK(fold("a\xE2\x80\xAF"
             "b\xE3\x80\x80"
             "c") == "a b c");  // U+202F, U+3000
  CHECK(fold("a\xE2\x80\xA8"
             "b\xE2\x80\xA9"
             "c") == "a b c");  // line/paragraph separator
  CHECK(fold("a\xE2\x81\x9F"
             "b") == "a b");  // U+205F
  CHECK(fold(" \n\t ").empty());
}

TEST_CASE("control characters are white space, zero-width characters vanish", "[normalize][fold]") {
  CHECK(fold(std::string_view("Vladimir\0Putin", 14)) == "vladimir putin");
  CHECK(fold("a\x01\x1f\x7f"
             "b") == "a b");
  CHECK(fold("a\xC2\x85"
             "b") == "a b");                                // NEL (C1 control)
  CHECK(fold("Pu\xE2\x80\x8Btin") == "putin");              // zero width space
  CHECK(fold("Pu\xE2\x80\x8C\xE2\x80\x8Dtin") == "putin");  // ZWNJ, ZWJ
  CHECK(fold("\xEF\xBB\xBFPutin") == "putin");              // BOM
  CHECK(fold("Pu\xC2\xADtin") == "putin");                  // soft hyphen
  CHECK(fold(std::string_view("\0\0", 2)).empty());
}

TEST_CASE("plain text has no markup", "[normalize][fold]") {
  CHECK(fold("**bold** [link](#) <b>x</b> &amp;") == "**bold** [link](#) <b>x</b> &amp;");
}

TEST_CASE("fold_phrase folds like text and trims", "[normalize][fold]") {
  CHECK(fold_phrase("  Édouard   Philippe ") == "edouard philippe");
  CHECK(fold_phrase("Lavrov’s") == "lavrov's");
  CHECK(fold_phrase(" \t ").empty());
  CHECK(fold_phrase("\xE2\x80\x8B").empty());
  for (const char* phrase : {"Sergei Lavrov", "Straße", "U.S.", "NATO", "Jean‑Luc Mélenchon",
                             "Erdoğan", "São Paulo", "O’Neill"}) {
    INFO(phrase);
    const std::string inside = fold(std::string("Reports: ") + phrase + ", officials said");
    CHECK(inside == "reports: " + fold_phrase(phrase) + ", officials said");
  }
}

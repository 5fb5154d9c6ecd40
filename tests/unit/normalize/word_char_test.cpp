// Stage: normalize (tests). Word-boundary helpers over folded text.
#include <catch2/catch.hpp>

#include "newshound/normalize/normalizer.hpp"

using newshound::word_char_at;
using newshound::word_char_before;

TEST_CASE("word_char_at on ASCII, digits, punctuation and the ends", "[normalize][word]") {
  const std::string_view t = "nato, u.s. 42!";
  CHECK(word_char_at(t, 0));         // n
  CHECK_FALSE(word_char_at(t, 4));   // ,
  CHECK_FALSE(word_char_at(t, 5));   // space
  CHECK(word_char_at(t, 6));         // u
  CHECK_FALSE(word_char_at(t, 7));   // .
  CHECK(word_char_at(t, 11));        // 4
  CHECK_FALSE(word_char_at(t, 13));  // !
  CHECK_FALSE(word_char_at(t, t.size()));
  CHECK_FALSE(word_char_at(t, t.size() + 5));
  CHECK_FALSE(word_char_at("", 0));
  CHECK_FALSE(word_char_at("'", 0));
  CHECK_FALSE(word_char_at("-", 0));
}

TEST_CASE("word_char_before on ASCII and the ends", "[normalize][word]") {
  const std::string_view t = "lavrov's";
  CHECK_FALSE(word_char_before(t, 0));
  CHECK(word_char_before(t, 1));
  CHECK(word_char_before(t, 6));        // v
  CHECK_FALSE(word_char_before(t, 7));  // '
  CHECK(word_char_before(t, t.size()));
  CHECK_FALSE(word_char_before(t, t.size() + 1));
}

TEST_CASE("word chars beyond ASCII", "[normalize][word]") {
  const std::string_view t = "łodz лавров ٣ €";  // ł, Cyrillic, Arabic-Indic digit, euro
  CHECK(word_char_at(t, 0));                     // ł (2 bytes)
  CHECK(word_char_before(t, 2));                 // after ł
  const std::size_t cyr = t.find("л");
  CHECK(word_char_at(t, cyr));
  CHECK(word_char_before(t, cyr + 12));    // after в (6 letters, 2 bytes each)
  CHECK_FALSE(word_char_at(t, cyr + 12));  // the space
  const std::size_t digit = t.find("٣");
  CHECK(word_char_at(t, digit));
  CHECK(word_char_before(t, digit + 2));
  const std::size_t euro = t.find("€");
  CHECK_FALSE(word_char_at(t, euro));
  CHECK_FALSE(word_char_before(t, euro + 3));
  CHECK(word_char_at("é", 0));  // precomposed letters are letters too
  CHECK(word_char_before("日本", 6));
}

TEST_CASE("the separator and broken bytes are not word chars", "[normalize][word]") {
  const std::string t = std::string("putin") + '\0' + "lavrov";
  CHECK_FALSE(word_char_at(t, 5));
  CHECK_FALSE(word_char_before(t, 6));
  CHECK(word_char_before(t, 5));
  CHECK(word_char_at(t, 6));
  CHECK_FALSE(word_char_at("\xD0", 0));               // truncated л
  CHECK_FALSE(word_char_before("\xBB", 1));           // lone continuation byte
  CHECK_FALSE(word_char_before("a\xD0\xBB\xBB", 4));  // too many continuation bytes
  CHECK_FALSE(word_char_at("\xEF\xBF\xBD", 0));       // U+FFFD
}

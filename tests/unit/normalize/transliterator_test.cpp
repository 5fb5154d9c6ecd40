// Normalize tests: the transliterated view (TranslitView) of folded text in
// Cyrillic, Greek, Arabic and Hebrew, mixed with Latin, with invalid UTF-8 and in a
// 1 MiB field; its offset map back to the folded and the original bytes; the loose
// Latin folding of aliases; the normalizer's non-ASCII flag that gates it all.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/normalize/normalizer.hpp"
#include "newshound/normalize/transliterator.hpp"

namespace {

using newshound::Markup;
using newshound::NormalizedArticle;
using newshound::Normalizer;
using newshound::Transliterator;
using newshound::TranslitView;

NormalizedArticle translit_fold(std::string_view s) {
  NormalizedArticle na;
  Normalizer::append(s, Markup::text, na);
  return na;
}

/// The original bytes of view span [s, e) of `field` (through both maps).
std::string translit_original(std::string_view field, const NormalizedArticle& na,
                              const TranslitView& v, std::size_t s, std::size_t e) {
  const std::uint32_t ms = v.main_begin[s];
  const std::uint32_t me = v.main_end[e - 1];
  return std::string(field.substr(na.src_begin[ms], na.src_end[me - 1] - na.src_begin[ms]));
}

/// Every view byte maps to a non-empty range of folded text, begins never decrease.
void translit_check_map(const NormalizedArticle& na, const TranslitView& v) {
  REQUIRE(v.main_begin.size() == v.text.size());
  REQUIRE(v.main_end.size() == v.text.size());
  REQUIRE(v.translit.size() == v.text.size());
  for (std::size_t i = 0; i < v.text.size(); ++i) {
    REQUIRE(v.main_begin[i] < v.main_end[i]);
    REQUIRE(v.main_end[i] <= na.text.size());
    if (i > 0) REQUIRE(v.main_begin[i - 1] <= v.main_begin[i]);
  }
}

/// The view of `field` as folded by the normalizer.
struct TranslitCase {
  std::string field;
  NormalizedArticle na;
  TranslitView view;
  explicit TranslitCase(std::string f, Transliterator& t) : field(std::move(f)) {
    na = translit_fold(field);
    t.build(na.text, view);
    translit_check_map(na, view);
  }
  std::string original_of(std::string_view spelled) const {
    const auto pos = view.text.find(spelled);
    REQUIRE(pos != std::string::npos);
    return translit_original(field, na, view, pos, pos + spelled.size());
  }
};

}  // namespace

TEST_CASE("translit view: Cyrillic, with each letter mapped to its own bytes", "[translit]") {
  Transliterator t;
  REQUIRE(t.ok());
  const TranslitCase c("Министр Сергей Лавров заявил", t);
  CHECK(c.view.text == "ministr sergei lavrov zaiavil");
  CHECK(c.original_of("lavrov") == "Лавров");
  CHECK(c.original_of("sergei lavrov") == "Сергей Лавров");
  CHECK(c.original_of("v") == "в");  // one letter: its own two bytes
  CHECK(c.view.touches_translit(0, 3));
  CHECK_FALSE(c.view.touches_translit(7, 8));  // the space
}

TEST_CASE("translit view: Greek, Arabic and Hebrew", "[translit]") {
  Transliterator t;
  const TranslitCase greek("Ο Νίκος Παπαδάκης μίλησε", t);
  CHECK(greek.view.text == "o nikos papadakis milise");
  CHECK(greek.original_of("papadakis") == "Παπαδάκης");
  const TranslitCase arabic("قال محمود اليوم", t);
  CHECK(arabic.view.text.find("mhmwd") != std::string::npos);
  CHECK(arabic.original_of("mhmwd") == "محمود");
  const TranslitCase hebrew("דוד כהן", t);
  CHECK(hebrew.view.text == "dwd hn");  // kh reads h
  CHECK(hebrew.original_of("hn") == "כהן");
}

TEST_CASE("translit view: Latin and Cyrillic in one field", "[translit]") {
  Transliterator t;
  const TranslitCase c("Sergey Лавров, TASS", t);
  CHECK(c.view.text == "sergei lavrov, tass");
  CHECK(c.original_of("sergei lavrov") == "Sergey Лавров");
  CHECK_FALSE(c.view.touches_translit(0, 6));  // "sergei": Latin, loose-folded
  CHECK(c.view.touches_translit(7, 13));
  CHECK(c.original_of("tass") == "TASS");
}

TEST_CASE("translit view: segments' separators are kept", "[translit]") {
  Transliterator t;
  NormalizedArticle na;
  Normalizer::append("Лавров", Markup::text, na);
  na.text.push_back('\0');
  na.src_begin.push_back(0);
  na.src_end.push_back(0);
  Normalizer::append("Москва", Markup::text, na);
  TranslitView v;
  t.build(na.text, v);
  CHECK(v.text == std::string("lavrov\0moskva", 13));
  CHECK(v.main_begin[7] == 13);  // 'm' is the first byte after "лавров\0"
}

TEST_CASE("translit view: invalid UTF-8 never breaks the map", "[translit]") {
  Transliterator t;
  const std::string raw = "ab\xff\xfe\xd0\xb1 \xe2\x82 \xd0";
  TranslitView v;
  t.build(raw, v);  // raw bytes, not folded: the view must still hold together
  REQUIRE(v.text.size() == v.main_begin.size());
  for (std::size_t i = 0; i < v.text.size(); ++i) {
    CHECK(v.main_begin[i] < v.main_end[i]);
    CHECK(v.main_end[i] <= raw.size());
  }
  const TranslitCase folded(raw, t);  // and through the normalizer (U+FFFD)
  CHECK(folded.view.text.substr(0, 2) == "ab");
}

TEST_CASE("translit view: a 1 MiB field", "[translit]") {
  Transliterator t;
  std::string field;
  const std::string sentence = "Сергей Лавров встретился с коллегой. ";
  while (field.size() < (std::size_t{1} << 20)) field += sentence;
  const TranslitCase c(field, t);
  const std::string spelled = "sergei lavrov vstretilsia s kollegoi. ";
  CHECK(c.view.text.size() > field.size() / 2);
  const auto last = c.view.text.rfind("lavrov");
  REQUIRE(last != std::string::npos);
  CHECK(translit_original(field, c.na, c.view, last, last + 6) == "Лавров");
  CHECK(c.view.text.substr(0, spelled.size()) == spelled);
}

TEST_CASE("translit aliases: the conventions of one script fold alike", "[translit]") {
  Transliterator t;
  for (const char* s : {"Sergey", "Sergej", "Sergei", "Сергей", "СЕРГЕЙ"})
    CHECK(t.fold_phrase(s) == "sergei");
  for (const char* s : {"Yelena", "Elena", "Jelena", "Елена"}) CHECK(t.fold_phrase(s) == "elena");
  for (const char* s : {"Dmitriy", "Dmitry", "Dmitrij", "Дмитрий"})
    CHECK(t.fold_phrase(s) == "dmitri");
  for (const char* s : {"Yuri", "Juri", "Iurii", "Юрий"}) CHECK(t.fold_phrase(s) == "iuri");
  for (const char* s : {"Maria", "Mariya", "Marija", "Мария"}) CHECK(t.fold_phrase(s) == "maria");
  for (const char* s : {"Khrushchev", "Hrushchev", "Хрущёв"}) CHECK(t.fold_phrase(s) == "hruschev");
  for (const char* s : {"Alexey", "Aleksei", "Алексей"}) CHECK(t.fold_phrase(s) == "aleksei");
  CHECK(t.fold_phrase("Лавров") == "lavrov");
  CHECK(t.fold_phrase("Лавров") == t.fold_phrase("ЛАВРОВ"));
  CHECK(t.fold_phrase("  ").empty());
}

TEST_CASE("normalizer: non_ascii is set only when a non-ASCII code point stays", "[translit]") {
  CHECK_FALSE(translit_fold("Plain ASCII headline").non_ascii);
  CHECK_FALSE(translit_fold("Café Zürich – “quoted”").non_ascii);  // Latin folds to ASCII
  CHECK(translit_fold("Лавров").non_ascii);
  CHECK(translit_fold("ab\xff").non_ascii);  // U+FFFD
  NormalizedArticle na = translit_fold("Лавров");
  na.clear();
  CHECK_FALSE(na.non_ascii);
}

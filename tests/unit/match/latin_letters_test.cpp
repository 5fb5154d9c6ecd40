// Tests, stage match: rule 2 for every Latin letter (issue 21). Letters with a
// stroke, a slash or a ligature (Ł, Ø, Đ, Æ, Þ, ı...) match their ASCII spelling in
// both directions, through the real Normalizer and both engines, with offsets on the
// original bytes; names of each language in running text; the acronym rule after
// folding (ÆØÅ is not AOA).
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "match_test_util.hpp"
#include "newshound/util/utf8.hpp"
#include "normalize/latin_ascii.hpp"

using namespace newshound;
using namespace newshound::test;

namespace {

/// "body:S-E Canonical 'span'" for the first occurrence of `span` in `body`.
std::string body_line(const std::string& body, const std::string& canonical,
                      const std::string& span) {
  const std::size_t s = body.find(span);
  REQUIRE(s != std::string::npos);
  return "body:" + std::to_string(s) + "-" + std::to_string(s + span.size()) + " " + canonical +
         " '" + span + "'";
}

/// A name as a desk spells it with its letters and without (written, plain).
struct Name {
  const char* written;
  const char* plain;
};

// Polish, Scandinavian, South Slavic, Icelandic and Turkish names.
const std::vector<Name> kNames = {
    {"Łódź", "Lodz"},
    {"Łukasz Kubot", "Lukasz Kubot"},
    {"Lech Wałęsa", "Lech Walesa"},
    {"Søren Kierkegaard", "Soren Kierkegaard"},
    {"Ærø", "Aero"},
    {"Tromsø", "Tromso"},
    {"Novak Đoković", "Novak Dokovic"},
    {"Đakovo", "Dakovo"},
    {"Þór", "Thor"},
    {"Guðni Jóhannesson", "Gudni Johannesson"},
    {"Þingvellir", "Thingvellir"},
    {"Işık", "Isik"},
    {"Binali Yıldırım", "Binali Yildirim"},
    {"Diyarbakır", "Diyarbakir"},
};

/// A sentence naming each of `names`, in order, with punctuation and line breaks.
std::string running_text(const std::vector<std::string>& names) {
  std::string t = "Reporters in ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    t += names[i];
    t += i % 3 == 0 ? ", then\n" : (i % 3 == 1 ? " met " : "'s team and ");
  }
  return t + "left.";
}

/// Matches `names` (one entity each) against a text naming `text_names`; the
/// expected lines name the canonical (first list spelling) and the text's span.
void check_direction(const std::vector<std::string>& names,
                     const std::vector<std::string>& text_names) {
  std::string list;
  for (const auto& n : names) list += n + "\n";
  const auto rules = rules_from(list);
  const std::string body = running_text(text_names);
  Lines want;
  for (std::size_t i = 0; i < names.size(); ++i)
    want.push_back(body_line(body, names[i], text_names[i]));
  CHECK(matches_of(rules, "", body) == want);
}

}  // namespace

TEST_CASE("rule 2: names with Ł, Ø, Đ, Æ, Þ, ð, ı match their plain spellings",
          "[match][rules][latin]") {
  std::vector<std::string> written;
  std::vector<std::string> plain;
  for (const Name& n : kNames) {
    written.emplace_back(n.written);
    plain.emplace_back(n.plain);
  }
  SECTION("an alias with the letters matches plain text") {
    check_direction(written, plain);
  }
  SECTION("a plain alias matches text with the letters") {
    check_direction(plain, written);
  }
  SECTION("the letters match themselves, in capitals too") {
    check_direction(written, written);
    CHECK(matches_of(rules_from("Łódź\n"), "ŁÓDŹ MAYOR RESIGNS", "") ==
          Lines{"headline:0-7 Łódź 'ŁÓDŹ'"});
  }
}

TEST_CASE("rule 2: German ü folds to u, not ue", "[match][rules][latin]") {
  const auto rules = rules_from("Thomas Müller|Thomas Mueller\n");
  CHECK(matches_of(rules, "", "Thomas Muller and Thomas Mueller and Thomas Müller") ==
        Lines{"body:0-13 Thomas Müller 'Thomas Muller'",
              "body:18-32 Thomas Müller 'Thomas Mueller'",
              "body:37-51 Thomas Müller 'Thomas Müller'"});
  CHECK(matches_of(rules_from("Thomas Müller\n"), "", "Thomas Mueller").empty());
}

TEST_CASE("rule 1 after folding: an acronym with Latin letters matches only as written",
          "[match][rules][latin]") {
  const auto rules = rules_from("ÆØÅ\nAOA\nAEOA\n");
  CHECK(matches_of(rules, "", "ÆØÅ, AOA, AEOA, æøå and Aeoa") ==
        Lines{"body:0-6 ÆØÅ 'ÆØÅ'", "body:8-11 AOA 'AOA'", "body:13-17 AEOA 'AEOA'"});
}

TEST_CASE("rule 2: every Latin letter of the fold table matches in both directions",
          "[match][rules][latin]") {
  // One entity per letter: "Name<hex> Ka<letter>b", and its ASCII spelling.
  std::vector<std::string> written;
  std::vector<std::string> plain;
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    const std::string_view ascii = normalize_detail::latin_ascii(cp);
    if (ascii.empty()) continue;
    char enc[4];
    const std::string letter(enc, utf8::encode(cp, enc));
    char tag[16];
    std::snprintf(tag, sizeof tag, "Name%04X Ka", static_cast<unsigned>(cp));
    written.push_back(tag + letter + "b");
    plain.push_back(tag + std::string(ascii) + "b");
  }
  REQUIRE(written.size() > 700);
  SECTION("the alias with the letter matches the ASCII spelling") {
    check_direction(written, plain);
  }
  SECTION("the ASCII alias matches the letter") {
    check_direction(plain, written);
  }
}

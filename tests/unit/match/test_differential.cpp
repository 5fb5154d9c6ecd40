// Tests, stage match: differential testing of the two engines (Hyperscan vs the
// reference find loop) on generated lists and articles, and a 100,000-entity list.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "match_test_util.hpp"

using namespace newshound;
using namespace newshound::test;

namespace {

/// Deterministic on every platform: indexes come from the raw mt19937 output,
/// not from std::uniform_int_distribution (whose algorithm is unspecified).
struct Rng {
  std::mt19937 gen;
  explicit Rng(std::uint32_t seed) : gen(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(gen() % n); }
  bool chance(unsigned percent) { return gen() % 100 < percent; }
  template <class V>
  const auto& pick(const V& v) {
    return v[below(v.size())];
  }
};

const std::vector<std::string> kSyllables = {"ka",  "ri", "mo", "sla", "vo", "de", "ne", "tu",
                                             "gor", "an", "el", "zu",  "pe", "ro", "vi", "ch"};

std::string make_word(Rng& rng) {
  std::string w;
  const std::size_t n = 2 + rng.below(2);
  for (std::size_t i = 0; i < n; ++i) w += rng.pick(kSyllables);
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

/// A few hundred entities: generated 1-3 word names with variants, plus real-world
/// aliases that exercise acronyms, diacritics and near misses.
std::string generated_names(Rng& rng, std::vector<std::string>& words) {
  std::string names =
      "United States|U.S.|US|USA\n"
      "NATO|North Atlantic Treaty Organization\n"
      "European Union|EU\n"
      "Russia|Russian Federation\n"
      "Rus\n"
      "Sergei Lavrov|Lavrov|Sergey Lavrov\n"
      "Recep Tayyip Erdoğan|Erdoğan\n"
      "Côte d'Ivoire\n"
      "New York|NY\n"
      "York\n";
  for (const char* w :
       {"US", "U.S.", "us", "NATO", "Nato", "EU", "eu", "Russia", "Russian", "Rus", "Russ",
        "Lavrov's", "Erdogan", "ERDOĞAN", "Côte d’Ivoire", "York", "New", "NY", "ny"}) {
    words.emplace_back(w);
  }
  for (int i = 0; i < 300; ++i) {
    std::string first = make_word(rng);
    std::string last = make_word(rng);
    words.push_back(first);
    words.push_back(last);
    words.push_back(last + "s");  // near miss: longer word
    names += first + " " + last + "|" + last;
    if (rng.chance(30)) names += "|" + first.substr(0, 1) + ". " + last;
    if (rng.chance(20)) {
      const std::string third = make_word(rng);
      words.push_back(third);
      names += "|" + first + " " + third + " " + last;
    }
    if (rng.chance(10)) {  // an acronym alias made of the initials
      const std::string acr = first.substr(0, 1) + last.substr(0, 1) + "X";
      names += "|" + acr;
      words.push_back(acr);
    }
    names += "\n";
  }
  return names;
}

const std::vector<std::string> kSeparators = {" ",
                                              " ",
                                              " ",
                                              " ",
                                              "  ",
                                              "\n",
                                              ", ",
                                              ". ",
                                              "-",
                                              "'s ",
                                              "\xE2\x80\x99s ",
                                              " \xE2\x80\x94 ",
                                              " (",
                                              ") ",
                                              "**",
                                              " [",
                                              "](#) ",
                                              "\t",
                                              " &amp; ",
                                              "\xC2\xA0",
                                              "/",
                                              "\""};

std::string make_text(Rng& rng, const std::vector<std::string>& words, std::size_t n) {
  std::string t;
  for (std::size_t i = 0; i < n; ++i) {
    std::string w = rng.pick(words);
    if (rng.chance(15)) {
      for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (rng.chance(10)) {
      for (auto& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    t += w;
    t += rng.pick(kSeparators);
  }
  return t;
}

}  // namespace

TEST_CASE("Hyperscan and reference engines agree on generated articles", "[match][diff]") {
  Rng rng(20261123);
  std::vector<std::string> words;
  const std::string names = generated_names(rng, words);
  auto rules = rules_from(names);
  REQUIRE(rules->entities().size() >= 300);

  Normalizer normalizer;
  NormalizedArticle text;
  HyperscanMatcher hs(rules);
  ReferenceMatcher ref(rules);
  MatchSet a;
  MatchSet b;
  std::size_t total = 0;
  std::size_t acronyms = 0;
  for (int i = 0; i < 400; ++i) {
    const Article article = make_article(make_text(rng, words, 4 + rng.below(8)),
                                         make_text(rng, words, 20 + rng.below(200)),
                                         rng.chance(20) ? BodyFormat::html : BodyFormat::text);
    normalizer.normalize(article, text);
    REQUIRE(hs.match(article, text, a));
    REQUIRE(ref.match(article, text, b));
    INFO("article " << i << "\nheadline: " << article.headline << "\nbody: " << article.body);
    REQUIRE(a.matches.size() == b.matches.size());
    for (std::size_t k = 0; k < a.matches.size(); ++k) {
      INFO("match " << k);
      REQUIRE(same(a.matches[k], b.matches[k]));
      const Match& m = a.matches[k];
      // Every verified match maps back into its field, in order.
      const std::string& field = m.field == Field::headline ? article.headline : article.body;
      REQUIRE(m.start < m.end);
      REQUIRE(m.end <= field.size());
      if (k > 0) {
        const Match& p = a.matches[k - 1];
        REQUIRE(std::tie(p.field, p.start, p.entity) <= std::tie(m.field, m.start, m.entity));
      }
      const Pattern& pat = rules->patterns()[m.pattern];
      if (!pat.exact.empty()) {
        ++acronyms;
        REQUIRE(field.substr(m.start, m.end - m.start) == pat.exact);
      }
    }
    total += a.matches.size();
  }
  // The generator must actually exercise the engines.
  CHECK(total > 2000);
  CHECK(acronyms > 50);
}

TEST_CASE("a 100,000-entity list loads, compiles and matches a planted name", "[match][big]") {
  // Names spell the index in base 16 with two-letter syllables: all distinct.
  static const char* const kPairs[16] = {"ka", "ri", "mo", "sl", "vo", "de", "ne", "tu",
                                         "go", "an", "el", "zu", "pe", "ro", "vi", "ch"};
  auto spell = [](std::uint32_t v, const char* lead) {
    std::string s = lead;
    for (int k = 0; k < 5; ++k) {
      s += kPairs[v & 0xF];
      v >>= 4;
    }
    return s;
  };
  constexpr std::uint32_t kEntities = 100000;
  std::string names;
  names.reserve(kEntities * 40);
  for (std::uint32_t i = 0; i < kEntities; ++i) {
    const std::string last = spell(i * 7919u % kEntities, "Ma");
    // Every tenth entity also has a surname alias; Hyperscan compile time grows
    // with the literal count, and the test must stay quick under ASan.
    names += spell(i, "Zo") + " " + last;
    if (i % 10 == 7) names += "|" + last;
    names += "\n";
  }
  WatchList wl;
  wl.name = "big";
  Diagnostics diags;
  parse_names(names, "big.names", wl, diags);
  REQUIRE(diags.empty());
  REQUIRE(wl.entities.size() == kEntities);
  auto rules = Rules::compile({wl}, diags);
  REQUIRE(diags.empty());
  REQUIRE(rules != nullptr);
  CHECK(rules->patterns().size() == kEntities + kEntities / 10);
  CHECK(rules->database_bytes() > 0);

  // Entity 77777 by its full name (its surname alias is contained, so dropped) and
  // entity 12347 by its surname alone.
  const EntityDef& a = wl.entities[77777];
  const EntityDef& b = wl.entities[12347];
  REQUIRE(a.aliases.size() == 2);
  REQUIRE(b.aliases.size() == 2);
  const std::string body =
      "Officials said " + a.canonical + " arrived; " + b.aliases[1] + " stayed.";
  const auto article = make_article("BRIEFING", body);
  CHECK(render(*rules, article, run_both(rules, article)) ==
        Lines{"body:15-" + std::to_string(15 + a.canonical.size()) + " " + a.canonical + " '" +
                  a.canonical + "'",
              "body:" + std::to_string(body.find(b.aliases[1])) + "-" +
                  std::to_string(body.find(b.aliases[1]) + b.aliases[1].size()) + " " +
                  b.canonical + " '" + b.aliases[1] + "'"});
}

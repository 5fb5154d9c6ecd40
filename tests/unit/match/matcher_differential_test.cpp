// Tests, stage match: differential testing of the two engines (Hyperscan vs the
// reference find loop) on generated lists and articles, and a 100,000-entity list.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "newshound/match/topic_file.hpp"

using namespace newshound;
using namespace newshound::test;

namespace {

const std::vector<std::string> kSyllables = {"ka",  "ri", "mo", "sla", "vo", "de", "ne", "tu",
                                             "gor", "an", "el", "zu",  "pe", "ro", "vi", "ch"};

/// Syllables with Latin letters that fold through the ICU Latin-ASCII table (issue 21)
/// or through NFKD, so generated names mix them with their ASCII spellings.
const std::vector<std::string> kLatinSyllables = {"ło", "ør", "đe", "æ",  "þa", "ıl",
                                                  "ðu", "œ",  "ħa", "ŋo", "ša", "ß"};

std::string make_word(Rng& rng) {
  std::string w;
  const std::size_t n = 2 + rng.below(2);
  for (std::size_t i = 0; i < n; ++i) {
    w += i > 0 && rng.chance(10) ? rng.pick(kLatinSyllables) : rng.pick(kSyllables);
  }
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

/// A few hundred entities: generated 1-3 word names with variants (some with Latin
/// letters such as ł, ø, æ), plus real-world aliases that exercise acronyms,
/// diacritics, letters folded by the Latin-ASCII table and near misses.
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
      "York\n"
      "Łódź|Lodz\n"
      "Søren Kierkegaard|Kierkegaard\n"
      "Novak Đoković|Đoković\n"
      "Ærø\n"
      "Þór\n"
      "Binali Yıldırım|Yıldırım\n"
      "ÆØÅ\n"
      "AOA\n";
  for (const char* w :
       {"US", "U.S.", "us", "NATO", "Nato", "EU", "eu", "Russia", "Russian", "Rus", "Russ",
        "Lavrov's", "Erdogan", "ERDOĞAN", "Côte d’Ivoire", "York", "New", "NY", "ny",
        // Latin letters without a decomposition, marked, plain and in capitals.
        "Łódź", "Lodz", "ŁÓDŹ", "Søren", "Soren", "Kierkegaard", "Đoković", "Dokovic", "ĐOKOVIĆ",
        "Novak", "Ærø", "Aero", "ÆRØ", "Þór", "Thor", "Yıldırım", "Yildirim", "YILDIRIM", "ÆØÅ",
        "æøå", "AOA", "AEOA", "aeoa"}) {
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

TEST_CASE("database shards match exactly what one database matches", "[match][diff][shard]") {
  Rng rng(20261203);
  std::vector<std::string> words;
  const WatchList names = list_from(generated_names(rng, words), "people");
  // Topics over the same words, so sharded term literals and @references are hit too.
  std::string topics_text;
  for (int i = 0; i < 40; ++i) {
    topics_text += "t" + std::to_string(i) + ": " + rng.pick(words) + " AND (" + rng.pick(words) +
                   " OR " + rng.pick(words) + ")\n";
  }
  topics_text += "ref: @people/Sergei Lavrov NEAR/5 " + rng.pick(words) + "\n";
  TopicFile topics;
  topics.name = "desk";
  topics.path = "desk.topics";
  Diagnostics diags;
  parse_topics(topics_text, topics.path, topics, diags);
  REQUIRE(diags.empty());

  auto one = Rules::compile({names}, {topics}, diags);
  REQUIRE(diags.empty());
  REQUIRE(one != nullptr);
  REQUIRE(one->databases().size() == 1);
  const std::size_t literals = one->literal_count();
  REQUIRE(literals > 500);
  // 64 literals a shard on 3 threads, and a shard per literal on 2: ids stay global.
  for (const auto& [per_shard, threads] :
       std::vector<std::pair<std::size_t, unsigned>>{{64, 3}, {1, 2}}) {
    CAPTURE(per_shard, threads);
    auto sharded = Rules::compile({names}, {topics}, diags, CompileOptions{per_shard, threads, {}});
    REQUIRE(diags.empty());
    REQUIRE(sharded != nullptr);
    CHECK(sharded->databases().size() == (literals + per_shard - 1) / per_shard);
    CHECK(sharded->version() == one->version());
    CHECK(sharded->database_bytes() > one->database_bytes());

    Normalizer normalizer;
    NormalizedArticle text;
    HyperscanMatcher a_engine(one);
    HyperscanMatcher b_engine(sharded);
    MatchSet a;
    MatchSet b;
    std::size_t matches = 0;
    std::size_t topic_hits = 0;
    const int articles = per_shard == 1 ? 40 : 300;  // a scan per literal is slow
    for (int i = 0; i < articles; ++i) {
      const Article article = make_article(make_text(rng, words, 4 + rng.below(8)),
                                           make_text(rng, words, 20 + rng.below(200)));
      normalizer.normalize(article, text);
      REQUIRE(a_engine.match(article, text, a));
      REQUIRE(b_engine.match(article, text, b));
      INFO("article " << i << "\nheadline: " << article.headline << "\nbody: " << article.body);
      REQUIRE(a.matches.size() == b.matches.size());
      for (std::size_t k = 0; k < a.matches.size(); ++k) REQUIRE(same(a.matches[k], b.matches[k]));
      REQUIRE(a.topics.size() == b.topics.size());
      for (std::size_t k = 0; k < a.topics.size(); ++k) {
        REQUIRE(a.topics[k].topic == b.topics[k].topic);
        REQUIRE(a.topics[k].span_end - a.topics[k].span_begin ==
                b.topics[k].span_end - b.topics[k].span_begin);
      }
      matches += a.matches.size();
      topic_hits += a.topics.size();
    }
    CHECK(matches > 100);
    CHECK(topic_hits > 10);
  }
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
  // 110,000 literals: above CompileOptions::shard_literals, so several shards.
  CHECK(rules->databases().size() == 3);

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

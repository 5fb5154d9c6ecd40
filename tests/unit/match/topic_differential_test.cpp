// Tests, stage match: seeded randomized differential test of the topic engine. A
// few thousand generated queries (every operator, nesting, phrases, wildcards, `~` word forms,
// acronyms, @references with negative aliases, NEAR/s and NEAR/p, MENTIONS, metadata
// filters) compiled together, and generated articles (case, diacritics, typographic
// quotes, hard wraps, sentences with abbreviations, headline/body, a lead paragraph,
// HTML, metadata); HyperscanMatcher's topic hits and spans must equal
// evaluate_topic_reference for every topic of every article.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::Rng;

/// Article words: spellings that fold alike (case, diacritics), near misses for
/// wildcards and boundaries, acronyms in and out of case.
const std::vector<std::string> kArticleWords = {
    "Ukraine", "ukraine",  "UKRAINE",   "Kyiv",       "Kiev",        "Patriot",      "patriots",
    "Russia",  "Russia’s", "Moscow",    "sanctions",  "sanctioned",  "Sanction",     "sanctity",
    "air",     "defence",  "Défense",   "energie",    "Énergie",     "énergies",     "gas",
    "talks",   "peace",    "NATO",      "Nato",       "EU",          "eu",           "US",
    "us",      "U.S.",     "Jens",      "Gerhard",    "Stoltenberg", "said",         "the",
    "of",      "alliance", "security",  "guarantees", "interceptor", "interceptors", "Iris-T",
    "Mr.",     "Jan.",     "J.",        "said.",      "talks!",      "peace?",       "gas…",
    "talked",  "Talking",  "talkative", "guaranteed", "Лавров",      "Лаврова",      "Лаврову",
    "Лаврские"};

/// Query terms: folded forms, wildcard stems, acronyms.
const std::vector<std::string> kTerms = {
    "ukraine",  "kyiv",     "kiev",       "patriot", "russia",      "moscow", "sanctions",
    "air",      "defence",  "defense",    "energie", "gas",         "talks",  "peace",
    "NATO",     "EU",       "US",         "U.S.",    "stoltenberg", "jens",   "said",
    "alliance", "security", "guarantees", "iris",    "interceptor", "Énergie"};
const std::vector<std::string> kStems = {"sanction*", "patriot*", "energ*",  "interc*",
                                         "russ*",     "ukr*",     "guarant*"};
/// Word forms (`~`): English and Russian stems, and one whose forms the wildcard
/// list shares.
const std::vector<std::string> kForms = {"talk~",        "sanction~", "guarantee~", "Лавров~",
                                         "interceptor~", "patriot~",  "Talks~"};
const std::vector<std::string> kRefs = {"@people/\"Jens Stoltenberg\"",
                                        "@people/\"North Atlantic Treaty Organization\"",
                                        "@people/\"United States\"", "@places/\"Kyiv\""};

const char* const kPeople =
    "Jens Stoltenberg|Stoltenberg|!Gerhard Stoltenberg\n"
    "North Atlantic Treaty Organization|NATO|alliance|!alliance talks\n"
    "United States|U.S.|US\n";
const char* const kPlaces = "Kyiv|Kiev|!Kiev talks\nMoscow\n";

/// Metadata filters, matching and not matching the generated metadata (make()).
const std::vector<std::string> kFilters = {"lang:en",
                                           "lang:(fr OR de)",
                                           "source:reuters",
                                           "source:\"Thomson Reuters\"",
                                           "subject:\"medtop:20000106\"",
                                           "subject:economy",
                                           "urgency:<=3",
                                           "urgency:(1 OR >7)",
                                           "type:text",
                                           "located:Geneva"};

class QueryGen {
 public:
  explicit QueryGen(Rng& rng) : rng_(rng) {}

  std::string leaf() {
    const auto r = rng_.below(100);
    if (r < 50) return rng_.pick(kTerms);
    if (r < 58) return rng_.pick(kStems);
    if (r < 65) return rng_.pick(kForms);
    if (r < 85) {
      std::string p = "\"" + rng_.pick(kTerms);
      const std::size_t n = 1 + rng_.below(2);
      for (std::size_t i = 0; i < n; ++i) p += " " + rng_.pick(kTerms);
      return p + "\"";
    }
    return rng_.pick(kRefs);
  }

  std::string near_operand() {
    if (!rng_.chance(25)) return leaf();
    return "(" + leaf() + " OR " + leaf() + ")";
  }

  std::string expr(int depth) {
    if (depth <= 0) return leaf();
    switch (rng_.below(12)) {
      case 0:
      case 1:
        return "(" + expr(depth - 1) + " AND " + expr(depth - 1) + ")";
      case 2:
        return "(" + expr(depth - 1) + " " + expr(depth - 1) + ")";  // adjacent: AND
      case 3:
        return "(" + expr(depth - 1) + " OR " + expr(depth - 1) + ")";
      case 4:
        return "(" + expr(depth - 1) + " AND NOT " + expr(depth - 1) + ")";
      case 5: {
        const auto unit = rng_.below(10);
        return near_operand() + (rng_.chance(50) ? " NEAR/" : " ONEAR/") +
               (unit < 2   ? std::string("s")
                : unit < 4 ? std::string("p")
                           : std::to_string(rng_.below(6))) +
               " " + near_operand();
      }
      case 6: {
        static const char* const kScopes[] = {"headline", "body", "lead"};
        return std::string(kScopes[rng_.below(3)]) + ":(" + expr(depth - 1) + ")";
      }
      case 7: {
        const std::size_t n = 2 + rng_.below(3);
        std::string s = "ATLEAST " + std::to_string(1 + rng_.below(n)) + " (";
        for (std::size_t i = 0; i < n; ++i) {
          if (i > 0) s += ", ";
          s += rng_.chance(15) ? "NOT " + leaf() : expr(depth - 1);
        }
        return s + ")";
      }
      case 8:
        return "MENTIONS " + std::to_string(1 + rng_.below(4)) + " (" + near_operand() + ")";
      case 9:
        return rng_.pick(kFilters);
      default:
        return leaf();
    }
  }

 private:
  Rng& rng_;
};

const std::vector<std::string> kSeparators = {
    " ",  " ",  " ",        " ", "\n", ", ",  ". ", "-",  " “", "” ",  "’s ", " — ",
    " (", ") ", "\xC2\xA0", "/", "\t", " **", ". ", "! ", "? ", ".” ", "… ",  "\n\n"};

std::string words(Rng& rng, std::size_t n) {
  std::string t;
  for (std::size_t i = 0; i < n; ++i) {
    t += rng.pick(kArticleWords);
    t += i + 1 == n ? "" : rng.pick(kSeparators);
  }
  return t;
}

Article make(Rng& rng) {
  Article a;
  a.id = "gen";
  a.headline = rng.chance(10) ? "" : words(rng, 2 + rng.below(6));
  const bool html = rng.chance(20);
  a.body_format = html ? BodyFormat::html : BodyFormat::text;
  const std::size_t paragraphs = 1 + rng.below(3);
  for (std::size_t p = 0; p < paragraphs; ++p) {
    const std::string para = words(rng, 3 + rng.below(25));
    if (html) {
      a.body += rng.chance(30) ? "<br><br>" + para : "<p>" + para + "</p>";
    } else {
      if (p > 0) a.body += rng.chance(50) ? "\n\n" : "\n \n";
      a.body += para;
    }
  }
  static const char* const kLanguages[] = {"", "en", "en-GB", "fr", "de", "pt-BR", "ru"};
  static const char* const kProviders[] = {"", "Reuters", "Thomson Reuters", "AFP"};
  static const char* const kTypes[] = {"", "text", "picture"};
  static const char* const kPlaces[] = {"", "GENEVA", "Geneva, Switzerland", "Genevan Lake"};
  a.language = kLanguages[rng.below(7)];
  a.provider = kProviders[rng.below(4)];
  a.copyrightholder = kProviders[rng.below(4)];
  a.type = kTypes[rng.below(3)];
  a.located = kPlaces[rng.below(4)];
  a.urgency = static_cast<std::uint8_t>(rng.below(10));
  if (rng.chance(40)) a.add_subject("medtop:20000106", "economy");
  if (rng.chance(30)) a.add_subject("medtop:15000000", "sport");
  return a;
}

TEST_CASE("a query the parser accepts is false when none of its terms occur", "[topics][engine]") {
  // The engine evaluates only topics woken by a term or entity hit; this is the
  // guarantee that makes that safe, checked on generated queries (ATLEAST with NOT
  // operands, NOT inside scopes, ...), in every scope of an article with no term.
  Rng rng(7);
  QueryGen gen(rng);
  Article a = test::make_article("Nothing relevant", "Quiet day.\n\nStill quiet.");
  Normalizer normalizer;
  NormalizedArticle text;
  normalizer.normalize(a, text);
  std::size_t checked = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string q = gen.expr(1 + static_cast<int>(rng.below(3)));
    TopicQuery parsed;
    QueryError err;
    if (!parse_query(q, parsed, err)) continue;
    // A topic that metadata alone can satisfy is evaluated for every article
    // (Rules::filter_topics); the guarantee is for the others.
    if (!needs_terms(parsed)) continue;
    ++checked;
    INFO(q);
    REQUIRE_FALSE(evaluate_topic_reference(parsed, a, text).matched);
  }
  CHECK(checked > 1000);
}

TEST_CASE("topic engine equals the reference evaluator on generated topics and articles",
          "[topics][engine][diff]") {
  const std::uint32_t seed = 20261123;
  Rng rng(seed);
  QueryGen gen(rng);
  std::string topics;
  std::size_t valid = 0;
  for (int i = 0; valid < 2500 && i < 10000; ++i) {
    const std::string q = gen.expr(1 + static_cast<int>(rng.below(3)));
    TopicQuery parsed;
    QueryError err;
    if (!parse_query(q, parsed, err)) continue;  // e.g. only negations: rejected by design
    topics += "q" + std::to_string(i) + ": " + q + "\n";
    ++valid;
  }
  REQUIRE(valid == 2500);
  std::vector<WatchList> lists{test::list_from(kPeople, "people"),
                               test::list_from(kPlaces, "places")};
  const auto rules = test::compile_all(lists, {test::topics_from(topics)});
  REQUIRE(rules->topics().size() == 2500);

  Normalizer normalizer;
  NormalizedArticle text;
  HyperscanMatcher hs(rules);
  MatchSet ms;
  std::size_t hits = 0;
  std::size_t spans = 0;
  // Hits of topics using each newer operator: the generator must exercise them too.
  const std::vector<std::string> kFeatures = {
      "NEAR/s", "NEAR/p", "MENTIONS", "lang:", "source:", "subject:", "urgency:", "located:", "~"};
  std::vector<std::size_t> feature_hits(kFeatures.size(), 0);
  for (int i = 0; i < 120; ++i) {
    const Article a = make(rng);
    normalizer.normalize(a, text);
    REQUIRE(hs.match(a, text, ms));
    const std::string diff = test::topic_difference(*rules, lists, a, text, ms);
    if (!diff.empty()) {
      FAIL("seed " << seed << ", article " << i << "\nheadline: " << a.headline
                   << "\nbody: " << a.body << "\n"
                   << diff);
    }
    hits += ms.topics.size();
    spans += ms.topic_spans.size();
    for (const TopicHit& h : ms.topics) {
      for (std::size_t k = 0; k < kFeatures.size(); ++k)
        feature_hits[k] += rules->topics()[h.topic].text.find(kFeatures[k]) != std::string::npos;
    }
  }
  for (std::size_t k = 0; k < kFeatures.size(); ++k) {
    INFO(kFeatures[k]);
    CHECK(feature_hits[k] > 50);
  }
  // The generator must exercise the engine: many hits, not all topics.
  CHECK(hits > 5000);
  CHECK(hits < 120 * 2500 / 2);
  CHECK(spans > hits);
}

}  // namespace
}  // namespace newshound

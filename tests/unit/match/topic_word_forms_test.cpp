// Tests, stage match: word forms (`talk~`, issue 17 item 5): parsing and the
// canonical form, the error messages with their columns, the Snowball stems in the
// article's language (or the list's, or English) through both matchers against the
// reference evaluator, and explain's stem line.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "newshound/match/stem.hpp"
#include "newshound/match/topic_explain.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::query_canon;

TEST_CASE("word forms parse and print back", "[topics][parser][stem]") {
  CHECK(query_canon("talk~") == "talk~");
  CHECK(query_canon("Talk~") == "talk~");
  CHECK(query_canon("NATO~") == "nato~");  // a `~` term is never case-exact
  CHECK(query_canon("Лавров~") == "лавров~");
  CHECK(query_canon("talk~ NEAR/3 peace") == "(talk~ NEAR/3 peace)");
  CHECK(query_canon("MENTIONS 2 (talk~ OR sanction*)") == "MENTIONS 2 (talk~ OR sanction*)");
  for (const std::string text : {"talk~", "headline:(talk~) AND NOT Лавров~", "talk~ ONEAR/s x"}) {
    INFO(text);
    const std::string once = query_canon(text);
    REQUIRE(once.rfind("error", 0) != 0);
    CHECK(query_canon(once) == once);
  }
  TopicQuery q;
  QueryError err;
  REQUIRE(parse_query("talk~", q, err));
  CHECK(q.node(q.root).stem);
  CHECK_FALSE(q.node(q.root).prefix);
  CHECK(q.node(q.root).literal == "talk");
}

TEST_CASE("word-form errors point at the term", "[topics][parser][stem][errors]") {
  CHECK(query_canon("x talk*~") ==
        "error at 3: '~' cannot be combined with a wildcard: write talk~ or talk*");
  CHECK(query_canon("x talk~*") ==
        "error at 3: '~' cannot be combined with a wildcard: write talk~ or talk*");
  CHECK(query_canon("\"prime minister~\"") ==
        "error at 1: word forms ('~') are for single terms: write the phrase without '~', or "
        "the word alone (minister~)");
  CHECK(query_canon("\"prime minister\"~") ==
        "error at 17: '~' must follow a single word (talk~): word forms are for single terms, "
        "not phrases or @entities");
  CHECK(query_canon("@people/Sergei Lavrov~") ==
        "error at 1: word forms ('~') do not apply to @entities: an entity matches its aliases "
        "as listed; add the forms as aliases");
  CHECK(query_canon("x @people/\"Sergei Lavrov\"~") ==
        "error at 26: '~' must follow a single word (talk~): word forms are for single terms, "
        "not phrases or @entities");
  // A control character before '~' folds away: the term is refused as "~ds" would be
  // (printed, it would not parse again; found by the topics fuzzer).
  CHECK(query_canon(std::string("a \x01~ds")) ==
        "error at 3: '~' must follow a single word (talk~): word forms are for single terms, "
        "not phrases or @entities");
  CHECK(query_canon("go~") ==
        "error at 1: 'go~' is too short for word forms: write at least 3 letters before '~'");
  CHECK(query_canon("U.S.A~") ==
        "error at 1: word forms ('~') are for single words of letters and digits: 'U.S.A~' "
        "holds other characters; write a phrase");
}

TEST_CASE("language tags map to Snowball languages", "[topics][stem]") {
  CHECK(kStemLanguages[stem_language_of("en")].algorithm == "english");
  CHECK(kStemLanguages[stem_language_of("en-GB")].algorithm == "english");
  CHECK(kStemLanguages[stem_language_of("RU")].algorithm == "russian");
  CHECK(kStemLanguages[stem_language_of("pt_BR")].algorithm == "portuguese");
  CHECK(kStemLanguages[stem_language_of("nb")].algorithm == "norwegian");
  CHECK(stem_language_of("") == kNoStemLanguage);
  CHECK(stem_language_of("ja") == kNoStemLanguage);
  CHECK(stem_language_of("english") == kNoStemLanguage);
  // The article's language first, then the list's, then English.
  CHECK(effective_stem_language("de", "ru") == stem_language_of("de"));
  CHECK(effective_stem_language("ja", "ru") == stem_language_of("ru"));
  CHECK(effective_stem_language("", "") == stem_language_of("en"));
  // The scan literal is a beginning every form shares, at least 3 characters.
  Stemmers stemmers;
  const auto scan = [&](std::string_view term, std::string_view code) {
    return stem_scan_literal(term, stem_language_of(code), stemmers);
  };
  CHECK(scan("talk", "en") == "talk");
  CHECK(scan("happy", "en") == "happ");
  CHECK(scan("лавров", "ru") == "лавр");
  CHECK(scan("gespräch", "de") == "gespr");
  CHECK(scan("лавров", "sr") == "лавров");  // Serbian stems into Latin: the whole term
  CHECK(stemmers.stem(stem_language_of("ru"), "лаврову") == "лавров");
}

/// Compiles `topics` (as one list with `[[watchlist]] language` = `language`) and
/// runs articles through both matchers, both checked against the reference.
struct FormsFixture {
  std::vector<WatchList> lists;
  std::shared_ptr<const Rules> rules;

  explicit FormsFixture(const std::string& topics, const std::string& language = "") {
    TopicFile tf = test::topics_from(topics);
    tf.language = language;
    rules = test::compile_all(lists, {tf});
  }

  std::vector<std::string> hits(const Article& a, MatchSet* keep = nullptr) const {
    Normalizer normalizer;
    NormalizedArticle text;
    normalizer.normalize(a, text);
    HyperscanMatcher hs(rules);
    ReferenceMatcher ref(rules);
    MatchSet x;
    MatchSet y;
    REQUIRE(hs.match(a, text, x));
    REQUIRE(ref.match(a, text, y));
    INFO("language: " << a.language << "\nheadline: " << a.headline << "\nbody: " << a.body);
    CHECK(test::topic_difference(*rules, lists, a, text, x) == "");
    CHECK(test::topic_difference(*rules, lists, a, text, y) == "");
    std::vector<std::string> out;
    for (const auto& h : x.topics) out.push_back(rules->topics()[h.topic].id);
    if (keep != nullptr) *keep = x;
    return out;
  }
};

using Ids = std::vector<std::string>;

Article forms_article(std::string headline, std::string body, std::string language) {
  Article a = test::make_article(std::move(headline), std::move(body));
  a.language = std::move(language);
  return a;
}

/// The article text each span of topic hit `h` covers.
std::vector<std::string> forms_found(const Article& a, const MatchSet& ms, std::size_t h) {
  std::vector<std::string> out;
  for (auto k = ms.topics[h].span_begin; k < ms.topics[h].span_end; ++k) {
    const TopicSpan& s = ms.topic_spans[k];
    out.push_back(std::string(a.text(s.value).text.substr(s.start, s.end - s.start)));
  }
  return out;
}

TEST_CASE("talk~ matches the English forms of talk", "[topics][engine][stem]") {
  const FormsFixture f("t: talk~\nw: talk\n");
  const Article a = forms_article("Talks resume",
                                  "They talk. Leaders talked while talking; a talkative aide "
                                  "listened to the talk-show.",
                                  "en");
  MatchSet ms;
  REQUIRE(f.hits(a, &ms) == Ids{"t", "w"});
  CHECK(forms_found(a, ms, 0) ==
        std::vector<std::string>{"Talks", "talk", "talked", "talking", "talk"});
  // `talkative` stems to `talkat`: not a form of talk.
  CHECK(f.hits(forms_article("", "a talkative aide", "en")).empty());
  // The plain term matches the word as written only.
  CHECK(f.hits(forms_article("", "They talked.", "en")) == Ids{"t"});
}

TEST_CASE("Лавров~ matches the Russian case forms", "[topics][engine][stem]") {
  const FormsFixture f("l: Лавров~\n");
  const Article a = forms_article(
      "Встреча с Лавровым", "Лаврову передали письмо. Визит Лаврова отложен. Лавров молчит.", "ru");
  MatchSet ms;
  REQUIRE(f.hits(a, &ms) == Ids{"l"});
  CHECK(forms_found(a, ms, 0) ==
        std::vector<std::string>{"Лавровым", "Лаврову", "Лаврова", "Лавров"});
  // Another word that begins alike is no form of the name.
  CHECK(f.hits(forms_article("", "Лаврские новости", "ru")).empty());
}

TEST_CASE("the article's language picks the stemmer, then the list's, then English",
          "[topics][engine][stem]") {
  const FormsFixture none("v: Verhandlung~\n");
  const FormsFixture german("v: Verhandlung~\n", "de");
  const std::string body = "Die Verhandlungen gehen weiter.";
  // German: Verhandlungen and Verhandlung share the stem `verhandl`.
  CHECK(none.hits(forms_article("", body, "de")) == Ids{"v"});
  CHECK(none.hits(forms_article("", body, "de-AT")) == Ids{"v"});
  // English (the default, and an English article): no stem in common.
  CHECK(none.hits(forms_article("", body, "")).empty());
  CHECK(none.hits(forms_article("", body, "en")).empty());
  // The list's language serves articles that name none (or one Snowball lacks).
  CHECK(german.hits(forms_article("", body, "")) == Ids{"v"});
  CHECK(german.hits(forms_article("", body, "ja")) == Ids{"v"});
  CHECK(german.hits(forms_article("", body, "en")).empty());  // the article's own wins
  // Stemming sees the folded text: Häuser folds to hauser, German stem haus.
  const FormsFixture haus("h: Haus~\n");
  CHECK(haus.hits(forms_article("", "Die Häuser stehen.", "de")) == Ids{"h"});
  // No language anywhere: English, so talk~ still finds talks.
  const FormsFixture english("t: talk~\n");
  CHECK(english.hits(forms_article("", "More talks.", "")) == Ids{"t"});
}

TEST_CASE("a `~` term in two lists of different languages stays two terms",
          "[topics][engine][stem]") {
  TopicFile de = test::topics_from("v: Verhandlung~\n", "de");
  de.language = "de";
  TopicFile en = test::topics_from("w: Verhandlung~\n", "en");
  Diagnostics diags;
  const auto rules = Rules::compile({}, {de, en}, diags);
  REQUIRE(rules != nullptr);
  CHECK(rules->terms().size() == 2);
  Normalizer normalizer;
  NormalizedArticle text;
  const Article a = forms_article("", "Die Verhandlungen", "");
  normalizer.normalize(a, text);
  HyperscanMatcher hs(rules);
  MatchSet ms;
  REQUIRE(hs.match(a, text, ms));
  REQUIRE(ms.topics.size() == 1);
  CHECK(rules->topics()[ms.topics[0].topic].id == "v");
}

TEST_CASE("explain shows the stem and the forms found", "[topics][explain][stem]") {
  const Article a = forms_article("", "They talked, then talked again.", "");
  Normalizer n;
  NormalizedArticle text;
  n.normalize(a, text);
  TopicQuery q;
  QueryError err;
  REQUIRE(parse_query("talk~ AND NOT Лавров~", q, err));
  const TopicExplanation ex = explain_topic(q, a, text);
  CHECK(ex.matched);
  CHECK(describe_clauses(q, ex, a) ==
        "  AND: true (2 of 2 true)\n"
        "    talk~ (english stem \"talk\"): true, found 'talked' body:5-11, 'talked' body:18-24\n"
        "    NOT лавров~: true, not found\n");
  const Article ru = forms_article("", "Слова Лаврова", "");
  NormalizedArticle ru_text;
  n.normalize(ru, ru_text);
  REQUIRE(parse_query("Лавров~", q, err));
  q.language = "ru";  // the list's language: the article names none
  CHECK(describe_clauses(q, explain_topic(q, ru, ru_text), ru) ==
        "  лавров~ (russian stem \"лавр\"): true, found 'Лаврова' body:11-25\n");
}

}  // namespace
}  // namespace newshound

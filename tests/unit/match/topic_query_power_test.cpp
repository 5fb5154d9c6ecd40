// Tests, stage match: the query-power operators of issue 17: metadata filters
// (lang:, source:, subject:, urgency:, type:, located:), NEAR/s, NEAR/p, ONEAR/s,
// ONEAR/p with the sentence and paragraph rules, and MENTIONS n. Parsing and the
// canonical form, every new error message with its column, the unit boundaries, and
// evaluation through both matchers against the reference evaluator, explain included.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "match_test_util.hpp"
#include "newshound/match/topic_explain.hpp"
#include "topic_test_util.hpp"

namespace newshound {
namespace {

using test::query_canon;

TEST_CASE("metadata filters parse and print back", "[topics][parser][filters]") {
  CHECK(query_canon("lang:en") == "lang:en");
  CHECK(query_canon("lang:(en OR fr)") == "lang:(en OR fr)");
  CHECK(query_canon("lang:( en  OR pt-BR )") == "lang:(en OR pt-BR)");
  CHECK(query_canon("source:reuters") == "source:reuters");
  CHECK(query_canon("source:\"Thomson Reuters\"") == "source:\"Thomson Reuters\"");
  CHECK(query_canon("subject:\"medtop:20000106\"") == "subject:medtop:20000106");
  CHECK(query_canon("subject:medtop:20000106") == "subject:medtop:20000106");
  CHECK(query_canon("subject:(\"a (b)\" OR economy)") == "subject:(\"a (b)\" OR economy)");
  CHECK(query_canon("urgency:<=3") == "urgency:<=3");
  CHECK(query_canon("urgency:(1 OR >8)") == "urgency:(1 OR >8)");
  CHECK(query_canon("type:text") == "type:text");
  CHECK(query_canon("located:Geneva") == "located:Geneva");
  CHECK(query_canon("located:“New York”") == "located:\"New York\"");
  // Filters combine with everything else; a filter-only topic is allowed.
  CHECK(query_canon("lang:en Putin") == "(lang:en AND putin)");
  CHECK(query_canon("Putin AND NOT lang:ru") == "(putin AND (NOT lang:ru))");
  CHECK(query_canon("lang:en OR Putin") == "(lang:en OR putin)");
  CHECK(query_canon("NOT lang:en") == "(NOT lang:en)");
  CHECK(query_canon("headline:(Putin) lang:en") == "(headline:(putin) AND lang:en)");
  // A filter ends an unquoted entity name, as a keyword does.
  CHECK(query_canon("@people/Sergei Lavrov lang:en") == "(@people/Sergei Lavrov AND lang:en)");
  // A word that only looks like one stays text, as before; a quoted one too.
  CHECK(query_canon("time:10") == "time:10");
  CHECK(query_canon("\"lang:en\"") == "\"lang:en\"");
  CHECK(query_canon("LANG:en") == "\"lang:en\"");  // a term: quoted so it reads back
}

TEST_CASE("the canonical form of the new syntax parses back to itself", "[topics][parser]") {
  for (const std::string text :
       {"lang:(en OR fr OR pt-BR) Kyiv", "NOT lang:ru", "subject:(\"medtop:1\" OR “a (b)”) x",
        "source:(\"a)\" OR b)", "source:\"OR\"", "source:“say \"hi\"”", "source:a”b",
        "located:(“x\"y” OR \"a“b\")", "urgency:(1 OR >=8 OR =5) NATO", "urgency:\"<=3\"",
        "ATLEAST 2 (lang:en, MENTIONS 2 (NATO), headline:(Kyiv NEAR/s talks))",
        "MENTIONS 2 (Lavrov OR \"Sergei Lavrov\") AND NOT lang:de", "x ONEAR/p (y OR z)",
        "LANG:en"}) {
    INFO(text);
    const std::string once = query_canon(text);
    REQUIRE(once.rfind("error", 0) != 0);
    CHECK(query_canon(once) == once);
  }
}

TEST_CASE("which topics need a term and which a filter can wake", "[topics][parser][filters]") {
  const auto needs = [](const std::string& text) {
    TopicQuery q;
    QueryError err;
    INFO(text);
    REQUIRE(parse_query(text, q, err));
    return needs_terms(q);
  };
  CHECK(needs("Putin"));
  CHECK(needs("lang:en AND Putin"));
  CHECK(needs("MENTIONS 2 (Putin)"));
  CHECK_FALSE(needs("lang:en"));
  CHECK_FALSE(needs("lang:en OR Putin"));
  CHECK_FALSE(needs("lang:en AND NOT Putin"));
  CHECK_FALSE(needs("NOT lang:en"));
  CHECK_FALSE(needs("ATLEAST 1 (lang:en, Putin)"));
}

TEST_CASE("metadata filter errors point at the value", "[topics][parser][filters]") {
  CHECK(query_canon("lang:english") ==
        "error at 6: lang:english can never match: a language is a tag such as en, fr or "
        "pt-BR (2 or 3 letters, then -subtags)");
  CHECK(query_canon("a lang:(en OR e)") ==
        "error at 15: lang:e can never match: a language is a tag such as en, fr or pt-BR (2 "
        "or 3 letters, then -subtags)");
  CHECK(query_canon("type:story") ==
        "error at 6: type:story can never match: the types are text, picture, graphic, audio, "
        "video, composite and component");
  CHECK(query_canon("urgency:high") ==
        "error at 9: urgency:high is not a comparison: write urgency:3, urgency:<=3, <3, >=3 or "
        ">3 (1 is the most urgent, 9 the least)");
  CHECK(query_canon("urgency:<1") ==
        "error at 9: urgency:<1 can never match: urgency runs from 1 (most urgent) to 9");
  CHECK(query_canon("urgency:>=10") ==
        "error at 9: urgency:>=10 can never match: urgency runs from 1 (most urgent) to 9");
  CHECK(query_canon("x lang:") == "error at 3: filter 'lang:' needs a value: write lang:en");
  CHECK(query_canon("subject:") ==
        "error at 1: filter 'subject:' needs a value: write subject:\"medtop:20000106\"");
  CHECK(query_canon("lang:(en fr)") ==
        "error at 10: inside lang:(...) only OR may join values: write lang:(a OR b)");
  CHECK(query_canon("lang:(en AND fr)") ==
        "error at 10: inside lang:(...) only OR may join values: write lang:(a OR b)");
  CHECK(query_canon("lang:(en OR)") ==
        "error at 1: filter lang:(...) needs a value after each OR: write lang:(a OR b)");
  CHECK(query_canon("lang:()") ==
        "error at 1: filter lang:(...) needs a value after each OR: write lang:(a OR b)");
  CHECK(query_canon("lang:(en") == "error at 6: unclosed '(': add a matching ')'");
  CHECK(query_canon("source:\"Reuters") == "error at 8: unterminated phrase: add the closing '\"'");
  CHECK(query_canon("lang:en NEAR/3 a") ==
        "error at 1: NEAR operands must be terms, phrases, @entities or (a OR b) groups: move "
        "AND/NOT/fields outside the NEAR");
  CHECK(query_canon("title:(a)").rfind("error at 1: unknown field 'title'", 0) == 0);
}

TEST_CASE("NEAR/s, NEAR/p and MENTIONS parse and print back", "[topics][parser]") {
  CHECK(query_canon("Putin NEAR/s Xi") == "(putin NEAR/s xi)");
  CHECK(query_canon("Putin ONEAR/p (Xi OR Modi)") == "(putin ONEAR/p (xi OR modi))");
  CHECK(query_canon("a NEAR/x b") == "error at 3: NEAR needs a distance in words: write NEAR/5");
  CHECK(query_canon("MENTIONS 3 (@people/Sergei Lavrov)") == "MENTIONS 3 (@people/Sergei Lavrov)");
  CHECK(query_canon("MENTIONS 2 (Lavrov OR \"Sergei Lavrov\")") ==
        "MENTIONS 2 (lavrov OR \"sergei lavrov\")");
  CHECK(query_canon("MENTIONS 2 (a) AND NOT b") == "(MENTIONS 2 (a) AND (NOT b))");
  CHECK(query_canon("MENTIONS (a)") == "error at 1: MENTIONS needs a number: write MENTIONS 3 (a)");
  CHECK(query_canon("MENTIONS 0 (a)") ==
        "error at 10: MENTIONS 0: the count must be between 1 and 1000");
  CHECK(query_canon("MENTIONS 2 a") ==
        "error at 12: MENTIONS n needs its operand in parentheses: write MENTIONS 2 (a)");
  CHECK(query_canon("MENTIONS 2 (a AND b)") ==
        "error at 13: MENTIONS counts terms, phrases, @entities or (a OR b) groups: move "
        "AND/NOT/NEAR/fields outside the MENTIONS");
  CHECK(query_canon("MENTIONS 2 (a") == "error at 12: unclosed '(': add a matching ')'");
}

std::vector<std::string> breaks_text(std::string_view s, NearUnit unit,
                                     BodyFormat format = BodyFormat::text) {
  std::vector<std::uint32_t> at;
  unit_breaks_of(s, format, unit, at);
  std::vector<std::string> out;
  std::size_t from = 0;
  for (const auto b : at) {
    out.emplace_back(s.substr(from, b - from));
    from = b;
  }
  out.emplace_back(s.substr(from));
  return out;
}

using Parts = std::vector<std::string>;

TEST_CASE("sentence ends: marks, abbreviations, initials, quotes", "[topics][sentences]") {
  CHECK(breaks_text("Talks ended. Putin left! Why? 2 more… “Fine,” he said.", NearUnit::sentence) ==
        Parts{"Talks ended.", " Putin left!", " Why?", " 2 more…", " “Fine,” he said."});
  // Not an end: lower case next, no space, abbreviations, initials, inner dots.
  CHECK(breaks_text("It was 3.5 per cent. then more", NearUnit::sentence) ==
        Parts{"It was 3.5 per cent. then more"});
  CHECK(breaks_text("Mr. Putin met Dr. Xi on Jan. 5 in the U.S. Senate with J. Smith.",
                    NearUnit::sentence) ==
        Parts{"Mr. Putin met Dr. Xi on Jan. 5 in the U.S. Senate with J. Smith."});
  // An ellipsis written as dots ends a sentence; a word with an inner dot does not.
  CHECK(breaks_text("He waited... Then e.g. Putin", NearUnit::sentence) ==
        Parts{"He waited...", " Then e.g. Putin"});
  // Closing quotes and brackets stay with their sentence.
  CHECK(breaks_text("He said \"no.\" Then (it ended.) Then", NearUnit::sentence) ==
        Parts{"He said \"no.\"", " Then (it ended.)", " Then"});
  // A paragraph end is a sentence end too; a hard wrap is neither.
  CHECK(breaks_text("No full stop\n\nnext one", NearUnit::sentence) ==
        Parts{"No full stop", "\n\nnext one"});
  CHECK(breaks_text("Putin met\nXi", NearUnit::sentence) == Parts{"Putin met\nXi"});
  // HTML: tags between the mark and the next sentence are skipped.
  CHECK(breaks_text("<b>End.</b> <i>Next</i>", NearUnit::sentence, BodyFormat::html) ==
        Parts{"<b>End.", "</b> <i>Next</i>"});
}

TEST_CASE("paragraph ends: blank lines and HTML blocks, not hard wraps", "[topics][sentences]") {
  CHECK(breaks_text("One. Two\nthree.\n  \nFour.", NearUnit::paragraph) ==
        Parts{"One. Two\nthree.", "\n  \nFour."});
  CHECK(breaks_text("<p>One</p><p>Two</p>", NearUnit::paragraph, BodyFormat::html) ==
        Parts{"", "<p>One", "</p>", "<p>Two", "</p>"});
  CHECK(breaks_text("One<br>two<br> <BR/>three", NearUnit::paragraph, BodyFormat::html) ==
        Parts{"One<br>two", "<br> <BR/>three"});
  CHECK(breaks_text("<li>a</li><li class=x>b", NearUnit::paragraph, BodyFormat::html) ==
        Parts{"", "<li>a", "</li>", "<li class=x>b"});
  // In plain text a tag is text.
  CHECK(breaks_text("<p>One</p><p>Two", NearUnit::paragraph) == Parts{"<p>One</p><p>Two"});
  CHECK(breaks_text("<p>a", NearUnit::words).size() == 1);
}

/// Compiles `topics` (with a small people list) and runs `a` through both matchers;
/// both must equal the reference evaluator. Returns the ids that matched.
struct PowerFixture {
  std::vector<WatchList> lists;
  std::shared_ptr<const Rules> rules;

  explicit PowerFixture(const std::string& topics) {
    lists.push_back(test::list_from("Sergei Lavrov|Lavrov|Sergey Lavrov\n", "people"));
    rules = test::compile_all(lists, {test::topics_from(topics)});
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
    INFO("headline: " << a.headline << "\nbody: " << a.body);
    CHECK(test::topic_difference(*rules, lists, a, text, x) == "");
    CHECK(test::topic_difference(*rules, lists, a, text, y) == "");
    std::vector<std::string> out;
    for (const auto& h : x.topics) out.push_back(rules->topics()[h.topic].id);
    if (keep != nullptr) *keep = x;
    return out;
  }
};

using Ids = std::vector<std::string>;

TEST_CASE("NEAR/s and NEAR/p: one sentence, one paragraph", "[topics][engine][sentences]") {
  const PowerFixture f(
      "s: Putin NEAR/s Xi\n"
      "os: Putin ONEAR/s Xi\n"
      "p: Putin NEAR/p Xi\n"
      "op: Xi ONEAR/p Putin\n");
  // Same sentence (an abbreviation and a hard wrap do not end it).
  CHECK(f.hits(test::make_article("", "Mr. Putin met\nPresident Xi.")) == Ids{"s", "os", "p"});
  // Next sentence, same paragraph (hard-wrapped, as the seed copies are).
  CHECK(f.hits(test::make_article("", "Putin spoke.\nXi listened.")) == Ids{"p"});
  CHECK(f.hits(test::make_article("", "Xi spoke. Putin\nlistened.")) == Ids{"p", "op"});
  // Another paragraph.
  CHECK(f.hits(test::make_article("", "Putin spoke.\n\nXi listened.")) == Ids{});
  CHECK(f.hits(test::make_article("", "<p>Putin spoke</p><p>Xi listened</p>", BodyFormat::html))
            .empty());
  CHECK(f.hits(test::make_article("", "<p>Putin spoke<br>Xi listened</p>", BodyFormat::html)) ==
        Ids{"s", "os", "p"});
  // Headline and body are separate values.
  CHECK(f.hits(test::make_article("Putin", "Xi")).empty());
}

TEST_CASE("MENTIONS n counts occurrences and lists them", "[topics][engine][mentions]") {
  const PowerFixture f(
      "m3: MENTIONS 3 (@people/Sergei Lavrov)\n"
      "m2: MENTIONS 2 (Lavrov OR minister)\n");
  MatchSet ms;
  CHECK(f.hits(test::make_article("Lavrov in Geneva",
                                  "Sergey Lavrov spoke. Lavrov said no. The minister left."),
               &ms) == Ids{"m3", "m2"});
  REQUIRE(ms.topics.size() == 2);
  CHECK(ms.topics[0].span_end - ms.topics[0].span_begin == 3);  // every occurrence
  CHECK(ms.topics[1].span_end - ms.topics[1].span_begin == 4);
  CHECK(f.hits(test::make_article("Lavrov", "Lavrov spoke.")) == Ids{"m2"});
}

TEST_CASE("MENTIONS inside a field scope counts in that scope", "[topics][engine][mentions]") {
  const PowerFixture f("b: body:(MENTIONS 2 (Lavrov))\n");
  CHECK(f.hits(test::make_article("Lavrov", "Lavrov spoke.")).empty());
  CHECK(f.hits(test::make_article("", "Lavrov spoke. Lavrov left.")) == Ids{"b"});
}

Article with_meta(Article a) {
  a.language = "en-GB";
  a.provider = "Reuters";
  a.copyrightholder = "Thomson Reuters";
  a.type = "text";
  a.located = "GENEVA, Switzerland";
  a.urgency = 3;
  a.add_subject("medtop:20000106", "economy");
  return a;
}

TEST_CASE("metadata filters hold on the article's metadata", "[topics][engine][filters]") {
  const PowerFixture f(
      "en: lang:en Putin\n"
      "fr: lang:(fr OR de) Putin\n"
      "src: source:reuters Putin\n"
      "src2: source:\"thomson reuters\" Putin\n"
      "afp: source:afp Putin\n"
      "subj: subject:\"medtop:20000106\" Putin\n"
      "subjname: subject:Economy Putin\n"
      "urg: urgency:<=3 Putin\n"
      "urg2: urgency:>3 Putin\n"
      "type: type:text Putin\n"
      "pic: type:picture Putin\n"
      "loc: located:Geneva Putin\n"
      "loc2: located:Gene Putin\n"
      "notru: Putin AND NOT lang:ru\n");
  const Article a = with_meta(test::make_article("Putin arrives", "Talks."));
  CHECK(f.hits(a) == Ids{"en", "src", "src2", "subj", "subjname", "urg", "type", "loc", "notru"});
  // Without metadata only the negated filter holds.
  CHECK(f.hits(test::make_article("Putin arrives", "Talks.")) == Ids{"notru"});
}

TEST_CASE("subject: an IPTC URI and its qualified code are one code", "[topics][filters]") {
  const auto holds = [](const std::string& filter, const std::string& code) {
    TopicQuery q;
    QueryError err;
    INFO(filter << " on " << code);
    REQUIRE(parse_query(filter, q, err));
    Article a;
    a.add_subject(code, "economy");
    return meta_filter_holds(q.node(q.root), a);
  };
  const std::string uri = "http://cv.iptc.org/newscodes/mediatopic/20000106";
  CHECK(holds("subject:\"" + uri + "\"", "medtop:20000106"));
  CHECK(holds("subject:\"medtop:20000106\"", uri));
  CHECK(holds("subject:\"medtop:20000106\"", "https://cv.iptc.org/newscodes/mediatopic/20000106/"));
  CHECK(holds("subject:\"subj:04000000\"", "http://cv.iptc.org/newscodes/subjectcode/04000000"));
  CHECK(holds("subject:\"" + uri + "\"", uri));
  CHECK_FALSE(holds("subject:\"" + uri + "\"", "medtop:20000107"));
  CHECK_FALSE(holds("subject:\"" + uri + "\"", "subj:20000106"));
  CHECK_FALSE(
      holds("subject:\"medtop:20000106\"", "http://cv.iptc.org/newscodes/subjectcode/20000106"));
}

TEST_CASE("a filter-only topic is evaluated for every article and points at the headline",
          "[topics][engine][filters]") {
  const PowerFixture f(
      "wire: source:reuters\n"
      "notfr: NOT lang:fr\n"
      "either: lang:fr OR Putin\n"
      "terms: Putin\n");
  REQUIRE(f.rules->filter_topics() == std::vector<std::uint32_t>{0, 1, 2});
  MatchSet ms;
  const Article a = with_meta(test::make_article("Quiet day", "Nothing."));
  CHECK(f.hits(a, &ms) == Ids{"wire", "notfr"});
  REQUIRE(ms.topics.size() == 2);
  REQUIRE(ms.topics[0].span_end - ms.topics[0].span_begin == 1);
  const TopicSpan& sp = ms.topic_spans[ms.topics[0].span_begin];
  CHECK(sp.field == Field::headline);
  CHECK(sp.start == 0);
  CHECK(sp.end == 9);
  // With a term present its spans are reported, not the headline.
  CHECK(f.hits(with_meta(test::make_article("Putin", "x")), &ms) ==
        Ids{"wire", "notfr", "either", "terms"});
}

TEST_CASE("rules of filter-only topics compile to no database and still match",
          "[topics][engine][filters]") {
  const auto rules = test::compile_all({}, {test::topics_from("wire: source:reuters\n")});
  CHECK(rules->databases().empty());
  Normalizer normalizer;
  NormalizedArticle text;
  const Article a = with_meta(test::make_article("Quiet day", "Nothing."));
  normalizer.normalize(a, text);
  HyperscanMatcher hs(rules);
  ReferenceMatcher ref(rules);
  MatchSet x;
  MatchSet y;
  REQUIRE(hs.match(a, text, x));
  REQUIRE(ref.match(a, text, y));
  CHECK(x.topics.size() == 1);
  CHECK(y.topics.size() == 1);
  Article other = test::make_article("Quiet day", "Nothing.");
  other.provider = "AFP";
  normalizer.normalize(other, text);
  REQUIRE(hs.match(other, text, x));
  CHECK(x.topics.empty());
}

TEST_CASE("explain shows filters, NEAR/s and MENTIONS clause by clause", "[topics][explain]") {
  Article a = with_meta(test::make_article("Lavrov", "Putin met Xi. Lavrov left."));
  Normalizer n;
  NormalizedArticle text;
  n.normalize(a, text);
  TopicQuery q;
  QueryError err;
  REQUIRE(
      parse_query("lang:en AND urgency:>5 AND (Putin NEAR/s Xi) AND MENTIONS 2 (Lavrov)", q, err));
  const TopicExplanation ex = explain_topic(q, a, text);
  CHECK_FALSE(ex.matched);
  CHECK(describe_clauses(q, ex, a) ==
        "  AND: false (3 of 4 true)\n"
        "    lang:en: true, the article's language is \"en-GB\"\n"
        "    urgency:>5: false, the article's urgency is 3\n"
        "    NEAR/s: true, found 'Putin' body:0-5, 'Xi' body:10-12\n"
        "      putin: true, found 'Putin' body:0-5\n"
        "      xi: true, found 'Xi' body:10-12\n"
        "    MENTIONS 2: true, found 'Lavrov' headline:0-6, 'Lavrov' body:14-20\n"
        "      lavrov: true, found 'Lavrov' headline:0-6, 'Lavrov' body:14-20\n");
  REQUIRE(parse_query("Putin NEAR/s Lavrov", q, err));
  CHECK(describe_clauses(q, explain_topic(q, a, text), a)
            .rfind("  NEAR/s: false, no pair in one sentence\n", 0) == 0);
}

}  // namespace
}  // namespace newshound

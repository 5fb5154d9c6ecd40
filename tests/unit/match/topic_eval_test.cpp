// Tests, stage match: the reference topic evaluator on small articles, one group
// per operator: folding and boundaries, acronyms, wildcards, AND/OR/NOT, NEAR and
// ONEAR distances, field scopes and the lead, ATLEAST, @references, and spans.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "newshound/match/topic_eval.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {
namespace {

struct Doc {
  Article article;
  NormalizedArticle text;
};

Doc doc(std::string headline, std::string body, BodyFormat format = BodyFormat::text) {
  Doc d;
  d.article.id = "t";
  d.article.headline = std::move(headline);
  d.article.body = std::move(body);
  d.article.body_format = format;
  Normalizer n;
  n.normalize(d.article, d.text);
  return d;
}

TopicQuery query(const std::string& text) {
  TopicQuery q;
  QueryError err;
  INFO(text << " -> " << err.message);
  REQUIRE(parse_query(text, q, err));
  return q;
}

bool hit(const std::string& q, const Doc& d, const EntityResolver& r = {}) {
  return evaluate_topic_reference(query(q), d.article, d.text, r).matched;
}

/// "field:start-end 'original text'" for each span.
std::vector<std::string> spans(const std::string& q, const Doc& d, const EntityResolver& r = {}) {
  std::vector<std::string> out;
  for (const auto& s : evaluate_topic_reference(query(q), d.article, d.text, r).spans) {
    const std::string& f = s.field == Field::headline ? d.article.headline : d.article.body;
    out.push_back(std::string(to_string(s.field)) + ":" + std::to_string(s.start) + "-" +
                  std::to_string(s.end) + " '" + f.substr(s.start, s.end - s.start) + "'");
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST_CASE("terms match folded text at word boundaries", "[topics][eval]") {
  const Doc d = doc("EU WIDENS SANCTIONS ON MOSCOW",
                    "Brussels — Édouard Philippe said the **new** measures were\n"
                    "“overdue” &amp; welcome; Lavrov’s ministry disagreed.");
  CHECK(hit("sanctions", d));
  CHECK(hit("Edouard", d));
  CHECK(hit("overdue", d));
  CHECK(hit("\"lavrov's ministry\"", d));  // typographic apostrophe folded
  CHECK(hit("lavrov", d));                 // possessive: the ' is a boundary
  CHECK_FALSE(hit("sanction", d));         // no partial words
  CHECK_FALSE(hit("russels", d));
  CHECK(hit("\"philippe said the new measures were\"", d));        // wrap and **bold**
  CHECK_FALSE(hit("\"widens sanctions on moscow brussels\"", d));  // never across fields
}

TEST_CASE("acronyms are case-exact, other terms are not", "[topics][eval]") {
  const Doc d = doc("Nato allies meet", "The US envoy, speaking for us all, met U.S. officials.");
  CHECK_FALSE(hit("NATO", d));
  CHECK(hit("nato", d));
  CHECK(hit("US", d));
  CHECK(spans("US", d) == Lines{"body:4-6 'US'"});
  CHECK(hit("U.S.", d));
  CHECK(hit("us", d));
  CHECK(spans("us", d) == Lines{"body:4-6 'US'", "body:27-29 'us'"});
}

TEST_CASE("suffix wildcards match words starting with the stem", "[topics][eval]") {
  const Doc d = doc("", "Unsanctioned trade grew; the sanctioned firms protested.");
  CHECK(spans("sanction*", d) == Lines{"body:29-39 'sanctioned'"});
  CHECK_FALSE(hit("firmsx*", d));
  CHECK(hit("protest*", d));
  CHECK(hit("protested*", d));  // the stem alone is a word too
}

TEST_CASE("AND, OR, NOT and adjacency", "[topics][eval]") {
  const Doc d = doc("Stoltenberg visits Kyiv", "Talks on air defence continued.");
  CHECK(hit("stoltenberg AND kyiv", d));
  CHECK(hit("stoltenberg kyiv", d));
  CHECK_FALSE(hit("stoltenberg AND moscow", d));
  CHECK(hit("moscow OR kyiv", d));
  CHECK_FALSE(hit("moscow OR minsk", d));
  CHECK(hit("talks AND NOT football", d));
  CHECK_FALSE(hit("talks AND NOT kyiv", d));
  CHECK(hit("talks NOT (football OR tennis)", d));
  CHECK(spans("(talks OR moscow) AND NOT football", d) == Lines{"body:0-5 'Talks'"});
  CHECK(spans("kyiv OR talks", d) == Lines{"headline:19-23 'Kyiv'", "body:0-5 'Talks'"});
}

TEST_CASE("NEAR counts words either way, ONEAR in order", "[topics][eval]") {
  // words: putin(0) met(1) with(2) xi(3) — a dash is not a word.
  const Doc d = doc("", "Putin met — with Xi in Beijing.");
  CHECK(hit("putin NEAR/3 xi", d));
  CHECK_FALSE(hit("putin NEAR/2 xi", d));
  CHECK(hit("xi NEAR/3 putin", d));
  CHECK(hit("putin ONEAR/3 xi", d));
  CHECK_FALSE(hit("xi ONEAR/3 putin", d));
  CHECK(hit("xi NEAR/1 in", d));
  CHECK(hit("\"putin met\" NEAR/2 xi", d));  // from the phrase's last word
  CHECK_FALSE(hit("\"putin met\" NEAR/1 xi", d));
  CHECK(hit("(moscow OR beijing) NEAR/2 xi", d));
  CHECK_FALSE(hit("(moscow OR minsk) NEAR/5 xi", d));
  CHECK(hit("put* ONEAR/1 met", d));
  CHECK(spans("putin NEAR/3 (xi OR beijing)", d) == Lines{"body:0-5 'Putin'", "body:19-21 'Xi'"});
  CHECK_FALSE(hit("met NEAR/5 met", d));  // one occurrence cannot pair with itself
  const Doc two = doc("Putin speaks", "Xi listens.");
  CHECK_FALSE(hit("putin NEAR/5 xi", two));  // never across headline and body
}

TEST_CASE("field scopes and the lead", "[topics][eval]") {
  const Doc d = doc("CEASEFIRE TALKS IN DOHA",
                    "  Negotiators met on Monday.\n  \nThe ceasefire proposal was\nrejected.");
  CHECK(hit("headline:(ceasefire)", d));
  CHECK(hit("body:(ceasefire)", d));
  CHECK_FALSE(hit("headline:(negotiators)", d));
  CHECK(hit("lead:(negotiators)", d));
  CHECK_FALSE(hit("lead:(ceasefire)", d));
  CHECK_FALSE(hit("lead:(doha)", d));
  CHECK(spans("headline:(ceasefire)", d) == Lines{"headline:0-9 'CEASEFIRE'"});
  CHECK(hit("body:(proposal NOT doha)", d));
  CHECK_FALSE(hit("proposal NOT doha", d));

  const Doc html = doc("", "<p>Kyiv said the <b>air defence</b> held.</p><p>Moscow denied it.</p>",
                       BodyFormat::html);
  CHECK(hit("lead:(\"air defence\")", html));
  CHECK_FALSE(hit("lead:(moscow)", html));
  CHECK(hit("body:(moscow)", html));

  const Doc single = doc("", "One paragraph only, Moscow included.");
  CHECK(hit("lead:(moscow)", single));
}

TEST_CASE("ATLEAST counts distinct operands", "[topics][eval]") {
  const Doc d = doc("", "Patriot batteries and interceptors arrived; Patriot crews trained.");
  CHECK(hit("ATLEAST 2 (patriot, interceptor*, \"air defence\")", d));
  CHECK_FALSE(hit("ATLEAST 3 (patriot, interceptor*, \"air defence\")", d));
  CHECK_FALSE(hit("ATLEAST 2 (patriot, \"air defence\", iris)", d));  // repeats count once
  CHECK(hit("ATLEAST 2 (patriot, iris, NOT tanks)", d));
  CHECK(spans("ATLEAST 1 (crews, iris)", d) == Lines{"body:52-57 'crews'"});
}

TEST_CASE("@references use a resolver, or count as absent with a note", "[topics][eval]") {
  const std::map<std::string, EntityDef> people{
      {"people/Jens Stoltenberg", {"Jens Stoltenberg", {"Jens Stoltenberg", "Stoltenberg"}, 1, {}}},
      {"orgs/NATO", {"NATO", {"NATO", "North Atlantic Treaty Organization"}, 1, {}}}};
  const EntityResolver resolve = [&](std::string_view list, std::string_view name) {
    const auto it = people.find(std::string(list) + "/" + std::string(name));
    return it == people.end() ? nullptr : &it->second;
  };
  const Doc d = doc("", "Stoltenberg said Nato would act.");
  CHECK(hit("@people/Jens Stoltenberg", d, resolve));
  CHECK_FALSE(hit("@orgs/NATO", d, resolve));  // acronym alias stays case-exact
  CHECK(hit("@people/Jens Stoltenberg NEAR/4 act", d, resolve));
  CHECK_FALSE(hit("@people/Jens Stoltenberg NEAR/3 act", d, resolve));
  CHECK(spans("@people/Jens Stoltenberg", d, resolve) == Lines{"body:0-11 'Stoltenberg'"});

  const auto unresolved =
      evaluate_topic_reference(query("@people/Nobody OR said"), d.article, d.text);
  CHECK(unresolved.matched);
  REQUIRE(unresolved.notes.size() == 1);
  CHECK(unresolved.notes[0].find("@people/Nobody is not resolved") == 0);
  CHECK_FALSE(hit("@people/Jens Stoltenberg", d));
}

TEST_CASE("@references honour the entity's negative aliases", "[topics][eval]") {
  const EntityDef jens{
      "Jens Stoltenberg", {"Jens Stoltenberg", "Stoltenberg"}, 1, {"Gerhard Stoltenberg"}};
  const EntityResolver resolve = [&](std::string_view, std::string_view name) {
    return name == "Jens Stoltenberg" ? &jens : nullptr;
  };
  const Doc gerhard = doc("", "Gerhard Stoltenberg, his father, spoke.");
  CHECK_FALSE(hit("@people/Jens Stoltenberg", gerhard, resolve));
  const Doc both = doc("", "Gerhard Stoltenberg and Stoltenberg met.");
  CHECK(spans("@people/Jens Stoltenberg", both, resolve) == Lines{"body:24-35 'Stoltenberg'"});
  // The negative is looked for in the whole field, whatever the scope.
  const Doc wrap = doc("", "Gerhard\n\nStoltenberg said.");
  CHECK_FALSE(
      hit("lead:(@people/Jens Stoltenberg) OR body:(@people/Jens Stoltenberg)", wrap, resolve));
}

TEST_CASE("a malformed normalized article evaluates to false", "[topics][eval]") {
  Doc d = doc("", "Kyiv");
  d.text.src_begin.clear();
  CHECK_FALSE(hit("kyiv", d));
}

}  // namespace
}  // namespace newshound

// Tests (pipeline): the Reuters-21578 corpus in ../shared/corpus with a few hundred
// generated topics over its vocabulary and a names list with negative aliases
// (NEAR/s, NEAR/p, MENTIONS and metadata filters included).
// The Hyperscan and reference pipelines must report the same topic hits and spans
// on every article, and both must equal evaluate_topic_reference on a sample.
#include <catch2/catch.hpp>
#include <filesystem>

#include "gzip_lines.hpp"

#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "newshound/match/topic_eval.hpp"
#include "newshound/match/topic_file.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;

namespace {

const std::string kCorpus =
    (std::filesystem::path(NEWSHOUND_SHARED_DIR) / "corpus" / "reuters21578.ndjson.gz").string();

std::vector<std::string> read_lines() {
  return newshound::testing::read_gzip_lines(kCorpus);
}

const char* const kNames =
    "Japan|Japanese|Tokyo\n"
    "United States|U.S.|US|American|!American Express\n"
    "OPEC|Organization of Petroleum Exporting Countries\n"
    "West Germany|Bonn|West German|!Bonn Group\n"
    "Federal Reserve|Fed\n";

/// A few hundred topics over frequent corpus words, wildcards, acronyms and the
/// entities above; deterministic (raw mt19937 output).
std::string generated_topics(std::size_t count) {
  static const char* const kWords[] = {
      "oil",        "prices", "bank",    "rate",    "rates", "trade", "dollar",  "wheat",
      "corn",       "shares", "profit",  "loss",    "dlrs",  "mln",   "billion", "company",
      "government", "gold",   "coffee",  "sugar",   "crude", "stake", "merger",  "yen",
      "tax",        "budget", "deficit", "surplus", "said",  "net",   "quarter", "year"};
  static const char* const kStems[] = {"tariff*",  "export*",   "acqui*", "import*",
                                       "currenc*", "interest*", "produc*"};
  static const char* const kExact[] = {"U.S.", "EC", "OPEC", "GATT", "IMF", "US"};
  static const char* const kRefs[] = {"@names/\"Japan\"", "@names/\"United States\"",
                                      "@names/\"OPEC\"", "@names/\"West Germany\"",
                                      "@names/\"Federal Reserve\""};
  static const char* const kScopes[] = {"headline", "body", "lead"};
  static const char* const kFilters[] = {"located:London", "located:(TOKYO OR \"NEW YORK\")",
                                         "NOT located:Washington", "lang:en", "type:text"};
  std::mt19937 rng(424242);
  const auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto leaf = [&]() -> std::string {
    switch (below(6)) {
      case 0:
        return kStems[below(7)];
      case 1:
        return kExact[below(6)];
      case 2:
        return kRefs[below(5)];
      case 3:
        return std::string("\"") + kWords[below(32)] + " " + kWords[below(32)] + "\"";
      default:
        return kWords[below(32)];
    }
  };
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    std::string q;
    switch (below(10)) {
      case 0:
        q = leaf() + " AND " + leaf();
        break;
      case 1:
        q = leaf() + " AND NOT " + leaf();
        break;
      case 2:
        q = "(" + leaf() + " OR " + leaf() + ") AND " + leaf();
        break;
      case 3:
        q = leaf() + (below(2) == 0 ? " NEAR/" : " ONEAR/") + std::to_string(1 + below(8)) + " " +
            leaf();
        break;
      case 4:
        q = std::string(kScopes[below(3)]) + ":(" + leaf() + " OR " + leaf() + ")";
        break;
      case 5:
        q = "ATLEAST 2 (" + leaf() + ", " + leaf() + ", " + leaf() + ")";
        break;
      case 7:
        q = leaf() + (below(2) == 0 ? " NEAR/" : " ONEAR/") + (below(2) == 0 ? "s" : "p") + " " +
            leaf();
        break;
      case 8:
        q = "MENTIONS " + std::to_string(2 + below(3)) + " (" + leaf() + ")";
        break;
      case 9:
        q = kFilters[below(5)];
        if (below(3) != 0) q += " AND " + leaf();
        break;
      default:
        q = leaf() + " " + leaf() + " AND NOT headline:(" + leaf() + ")";
        break;
    }
    out += "t" + std::to_string(i) + ": " + q + "\n";
  }
  return out;
}

std::string hits_of(const PipelineWorker& w) {
  std::ostringstream o;
  const MatchSet& ms = w.last_matches();
  for (const auto& h : ms.topics) {
    o << h.topic << ":";
    for (auto i = h.span_begin; i < h.span_end; ++i) {
      const TopicSpan& s = ms.topic_spans[i];
      o << " " << static_cast<int>(s.field) << "/" << s.start << "-" << s.end << "/"
        << s.folded_start << "-" << s.folded_end << "#" << s.node;
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace

TEST_CASE("corpus: topic hits agree between engines and with the reference evaluator", "[topics]") {
  if (!pipeline_test::shared_dir_present("corpus/reuters21578.ndjson.gz")) {
    WARN("SKIPPED: ../shared/corpus/reuters21578.ndjson.gz is absent");
    return;
  }
  const auto lines = read_lines();
  REQUIRE(lines.size() == 21578);

  std::vector<WatchList> lists(1);
  lists[0].name = "names";
  Diagnostics diags;
  parse_names(kNames, "names.names", lists[0], diags);
  std::vector<TopicFile> topics(1);
  topics[0].name = "generated";
  parse_topics(generated_topics(400), "generated.topics", topics[0], diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(diags.empty());
  auto rules = Rules::compile(lists, topics, diags);
  for (const auto& d : diags) FAIL_CHECK(d.format());
  REQUIRE(rules != nullptr);
  REQUIRE(rules->topics().size() == 400);

  PipelineWorker hs({FieldMap{}}, rules);
  PipelineWorker ref({FieldMap{}}, rules, /*reference=*/true);
#if defined(__SANITIZE_ADDRESS__)
  const std::size_t step = 20;  // the reference engine is slow under ASan: sample
  const std::size_t oracle_every = 200;
#else
  const std::size_t step = 1;
  const std::size_t oracle_every = 20;
#endif
  const EntityResolver resolve = [&](std::string_view list, std::string_view name) {
    const EntityDef* found = nullptr;
    if (list == lists[0].name)
      for (const auto& e : lists[0].entities)
        if (e.canonical == name) found = &e;
    return found;
  };
  Normalizer normalizer;
  NormalizedArticle text;
  std::size_t topic_hits = 0;
  std::size_t disagreements = 0;
  std::size_t oracle_checked = 0;
  for (std::size_t i = 0; i < lines.size(); i += step) {
    const auto a = hs.process(lines[i], Clock::now());
    const auto b = ref.process(lines[i], Clock::now());
    REQUIRE(a.kind == b.kind);
    if (a.kind == Outcome::Kind::bad_line) continue;
    const std::string got = hits_of(hs);
    if (got != hits_of(ref) && ++disagreements <= 5)
      FAIL_CHECK("engines disagree on topics, corpus line " << i + 1);
    topic_hits += hs.last_matches().topics.size();
    if ((i / step) % (oracle_every / step) != 0) continue;
    ++oracle_checked;
    const Article& article = hs.last_article();
    normalizer.normalize(article, text);
    const MatchSet& ms = hs.last_matches();
    std::size_t next = 0;
    for (std::uint32_t t = 0; t < rules->topics().size(); ++t) {
      const auto want = evaluate_topic_reference(rules->topics()[t].query, article, text, resolve);
      const bool have = next < ms.topics.size() && ms.topics[next].topic == t;
      bool same = have == want.matched;
      if (same && have) {
        const TopicHit& h = ms.topics[next++];
        same = h.span_end - h.span_begin == want.spans.size();
        for (std::size_t k = 0; same && k < want.spans.size(); ++k) {
          const TopicSpan& x = ms.topic_spans[h.span_begin + k];
          const TopicSpan& y = want.spans[k];
          same = x.folded_start == y.folded_start && x.folded_end == y.folded_end &&
                 x.node == y.node && x.start == y.start && x.end == y.end && x.field == y.field;
        }
      }
      if (!same && ++disagreements <= 5)
        FAIL_CHECK("topic " << rules->topics()[t].id << " (" << rules->topics()[t].text
                            << ") differs from the reference evaluator on corpus line " << i + 1);
    }
  }
  CHECK(disagreements == 0);
  CHECK(oracle_checked > 50);
  CHECK(topic_hits > 1000);  // the topics really hit the corpus
}

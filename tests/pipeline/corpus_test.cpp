// Tests (pipeline): the Reuters-21578 corpus in ../shared/corpus with a list of
// thousands of entities. The Hyperscan engine must report exactly what the
// reference engine (plain string search, same rules) reports, article by article.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>

#include <cstdio>
#include <random>
#include <sstream>
#include "gzip_lines.hpp"

#include "pipeline/pipeline_util.hpp"

using namespace newshound;

namespace {
const std::string corpus =
    (std::filesystem::path(NEWSHOUND_SHARED_DIR) / "corpus" / "reuters21578.ndjson.gz").string();

std::vector<std::string> read_corpus() {
  return newshound::testing::read_gzip_lines(corpus);
}

/// "james-baker" -> "James Baker"; short tags of organisations become acronyms.
std::string title_case(std::string tag, bool acronym) {
  bool start = true;
  for (char& c : tag) {
    if (c == '-') c = ' ';
    if (acronym)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else if (start)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = c == ' ';
  }
  return tag;
}

/// Every editor tag of the corpus as an entity, plus generated names, so the list
/// holds thousands of entities of which many really occur.
std::string corpus_names(const std::vector<std::string>& lines) {
  std::set<std::string> names;
  for (const auto& l : lines) {
    auto v = boost::json::parse(l);
    const auto& r = v.at("reuters").as_object();
    for (const char* k : {"people", "places", "orgs"})
      for (const auto& t : r.at(k).as_array())
        names.insert(title_case(std::string(t.as_string()),
                                std::string(k) == "orgs" && t.as_string().size() <= 4));
  }
  const char* first[] = {"John",  "Maria",  "Ahmed", "Li",   "Olga",   "Pierre", "Kenji", "Ana",
                         "David", "Fatima", "Hans",  "Yuki", "Carlos", "Ingrid", "Ravi",  "Sofia"};
  const char* last[] = {"Smith", "Baker",  "Tanaka",  "Muller", "Rossi",  "Kowalski", "Nakamura",
                        "Silva", "Novak",  "Jensen",  "Petrov", "Haddad", "Garcia",   "Kim",
                        "Olsen", "Dubois", "Schmidt", "Sato",   "Moreau", "Ivanov"};
  std::mt19937 rng(7);
  while (names.size() < 3000) {
    std::string n = std::string(first[rng() % 16]) + " " + last[rng() % 20];
    if (rng() % 3 == 0) n += std::string(" ") + last[rng() % 20];
    names.insert(n);
  }
  std::string text;
  for (const auto& n : names) text += n + "\n";
  return text;
}
}  // namespace

TEST_CASE("corpus: Hyperscan and the reference engine agree on every article") {
  if (!pipeline_test::shared_dir_present("corpus/reuters21578.ndjson.gz")) {
    WARN("SKIPPED: ../shared/corpus/reuters21578.ndjson.gz is absent");
    return;
  }
  auto lines = read_corpus();
  REQUIRE(lines.size() == 21578);
  auto rules = pipeline_test::rules_from({{"reuters", corpus_names(lines)}});
  REQUIRE(rules->entities().size() >= 3000);
  PipelineWorker hs({FieldMap{}}, rules);
  PipelineWorker ref({FieldMap{}}, rules, /*reference=*/true);
#if defined(__SANITIZE_ADDRESS__)
  const std::size_t step = 20;  // the reference engine is slow under ASan: sample
#else
  const std::size_t step = 1;
#endif
  std::size_t alerts = 0, decoded = 0, no_text = 0, disagreements = 0;
  for (std::size_t i = 0; i < lines.size(); i += step) {
    auto a = hs.process(lines[i], Clock::now());
    auto b = ref.process(lines[i], Clock::now());
    REQUIRE(a.kind == b.kind);
    if (a.kind == Outcome::Kind::bad_line) {
      CHECK(a.error == DecodeError::no_text);  // one "unproc" record is empty
      ++no_text;
      continue;
    }
    ++decoded;
    const auto& ma = hs.last_matches().matches;
    const auto& mb = ref.last_matches().matches;
    bool same = ma.size() == mb.size();
    for (std::size_t k = 0; same && k < ma.size(); ++k)
      same = ma[k].entity == mb[k].entity && ma[k].start == mb[k].start && ma[k].end == mb[k].end &&
             ma[k].field == mb[k].field;
    if (!same && ++disagreements <= 5) FAIL_CHECK("engines disagree on corpus line " << i + 1);
    if (a.kind == Outcome::Kind::alert) ++alerts;
  }
  CHECK(disagreements == 0);
  CHECK(no_text <= 1);
  CHECK(decoded + no_text == (lines.size() + step - 1) / step);
  // Many editors' tags are codes ("usa", "uk") that rarely occur verbatim, but the
  // names of people, organisations and most places do: about a third of articles hit.
  CHECK(alerts > decoded / 4);
}

TEST_CASE("corpus: every span folds to its literal and respects word boundaries") {
  if (!pipeline_test::shared_dir_present("corpus/reuters21578.ndjson.gz")) {
    WARN("SKIPPED: ../shared/corpus/reuters21578.ndjson.gz is absent");
    return;
  }
  auto lines = read_corpus();
  auto rules = pipeline_test::rules_from(
      {{"places", "Japan\nUnited States|U.S.|US\nWest Germany\nBrazil\nLondon\n"},
       {"orgs", "OPEC\nGATT\nEC\nFed\n"}});
  PipelineWorker w({FieldMap{}}, rules);
  std::size_t spans = 0;
  for (std::size_t i = 0; i < lines.size(); i += 3) {
    if (w.process(lines[i], Clock::now()).kind != Outcome::Kind::alert) continue;
    const auto& a = w.last_article();
    for (const auto& m : w.last_matches().matches) {
      std::string_view field = m.field == Field::body ? a.body : a.headline;
      auto text = field.substr(m.start, m.end - m.start);
      const auto& p = rules->patterns()[m.pattern];
      INFO("line " << i + 1 << ": '" << text << "'");
      CHECK(fold_phrase(text) == p.literal);
      if (!p.exact.empty()) CHECK(text == p.exact);  // acronyms: exact case
      CHECK((m.start == 0 || !std::isalnum(static_cast<unsigned char>(field[m.start - 1]))));
      CHECK((m.end == field.size() || !std::isalnum(static_cast<unsigned char>(field[m.end]))));
      ++spans;
    }
  }
  CHECK(spans > 1000);
}

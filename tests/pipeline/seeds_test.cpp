// Tests (pipeline): the seed articles in ../shared/seeds: three copies of one story
// (Markdown web copy, two hard-wrapped text copies with typographic quotes), another
// outlet's report and an earlier story. Same story, same entities, whatever the quirks.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using pipeline_test::entities;

namespace {
const char* seed_names = R"(Sergei Lavrov|Sergey Lavrov|Lavrov
Antony Blinken|Blinken
North Atlantic Treaty Organization|NATO
United States|U.S.|US
Ukraine
Moscow
Washington
Geneva
Rus
)";

std::string seed_line(const std::string& file) {
  std::ifstream f(std::filesystem::path(NEWSHOUND_SHARED_DIR) / "seeds" / file, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  boost::json::object o;
  o["uri"] = file;
  o["body_text"] = ss.str();
  return boost::json::serialize(o);
}

std::set<std::string> run_seed(PipelineWorker& w, const std::string& file) {
  auto o = w.process(seed_line(file), Clock::now());
  REQUIRE(o.kind == Outcome::Kind::alert);
  return entities(w);
}
}  // namespace

TEST_CASE("seeds: the three copies of one story match the same entities") {
  if (!pipeline_test::shared_dir_present("seeds")) {
    WARN("SKIPPED: ../shared/seeds is absent; this test needs the seed articles");
    return;
  }
  PipelineWorker w({FieldMap{}}, pipeline_test::rules_from({{"seed", seed_names}}));
  const auto markdown = run_seed(w, "000_6849d98502e3f8d3.txt");
  const auto wrapped1 = run_seed(w, "001_22171cd6f4ef1631.txt");
  const auto wrapped2 = run_seed(w, "004_0ec344fbc7bbadaf.txt");
  CHECK(markdown == wrapped1);
  CHECK(wrapped1 == wrapped2);
  // Everything a reader sees in the story, and nothing inside other words ("Rus").
  CHECK(markdown == std::set<std::string>{"Antony Blinken", "Geneva", "Moscow",
                                          "North Atlantic Treaty Organization", "Sergei Lavrov",
                                          "Ukraine", "United States", "Washington"});
}

TEST_CASE("seeds: every seed mentions Lavrov and the other outlet's glued words do not fire") {
  if (!pipeline_test::shared_dir_present("seeds")) {
    WARN("SKIPPED: ../shared/seeds is absent; this test needs the seed articles");
    return;
  }
  PipelineWorker w({FieldMap{}}, pipeline_test::rules_from({{"seed", seed_names}}));
  for (const char* f :
       {"000_6849d98502e3f8d3.txt", "001_22171cd6f4ef1631.txt", "002_db1ddf915ed28dbf.txt",
        "003_3f578599382f4b0e.txt", "004_0ec344fbc7bbadaf.txt"}) {
    INFO(f);
    auto e = run_seed(w, f);
    CHECK(e.count("Sergei Lavrov") == 1);
    CHECK(e.count("Rus") == 0);
    // Every reported span folds to the literal that matched it.
    const auto& a = w.last_article();
    for (const auto& m : w.last_matches().matches) {
      auto text = std::string_view(m.field == Field::body ? a.body : a.headline)
                      .substr(m.start, m.end - m.start);
      CHECK(fold_phrase(text) == w.rules().patterns()[m.pattern].literal);
    }
  }
}

// Tests, stage match: the `.names` format (parse_names, load_watchlist) and the
// acronym rule (is_acronym).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "match_test_util.hpp"

using namespace newshound;
using newshound::test::fixture;

namespace {

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(d.format());
  return out;
}

}  // namespace

TEST_CASE("parse_names reads entities, aliases, comments and blank lines", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names(
      "# leaders\n"
      "\n"
      "Vladimir Putin|Putin\n"
      "   # indented comment | not an entity\n"
      "  Sergei Lavrov |  Lavrov\t| Sergey Lavrov  \n"
      "\t \n"
      "Wang Yi",
      "people.names", wl, diags);
  CHECK(diags.empty());
  REQUIRE(wl.entities.size() == 3);
  CHECK(wl.entities[0].canonical == "Vladimir Putin");
  CHECK(wl.entities[0].aliases == std::vector<std::string>{"Vladimir Putin", "Putin"});
  CHECK(wl.entities[0].line == 3);
  CHECK(wl.entities[1].canonical == "Sergei Lavrov");
  CHECK(wl.entities[1].aliases ==
        std::vector<std::string>{"Sergei Lavrov", "Lavrov", "Sergey Lavrov"});
  CHECK(wl.entities[1].line == 5);
  CHECK(wl.entities[2].aliases == std::vector<std::string>{"Wang Yi"});
  CHECK(wl.entities[2].line == 7);
}

TEST_CASE("parse_names drops aliases that fold to the same literal", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names("Recep Tayyip Erdoğan|Erdoğan|Erdogan|ERDOGAN|Recep  Tayyip Erdogan\n", "p.names", wl,
              diags);
  CHECK(diags.empty());
  REQUIRE(wl.entities.size() == 1);
  CHECK(wl.entities[0].aliases == std::vector<std::string>{"Recep Tayyip Erdoğan", "Erdoğan"});
}

TEST_CASE("parse_names accepts a BOM and CRLF line ends", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names("\xEF\xBB\xBFNATO|North Atlantic Treaty Organization\r\n\r\nEuropean Union|EU\r\n",
              "orgs.names", wl, diags);
  CHECK(diags.empty());
  REQUIRE(wl.entities.size() == 2);
  CHECK(wl.entities[0].canonical == "NATO");
  CHECK(wl.entities[0].aliases.back() == "North Atlantic Treaty Organization");
  CHECK(wl.entities[1].aliases == std::vector<std::string>{"European Union", "EU"});
  CHECK(wl.entities[1].line == 3);
}

TEST_CASE("parse_names reports mistakes with file:line:col and keeps what it can",
          "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names(
      "# a list with mistakes\n"
      "Vladimir Putin||Putin\n"
      "Sergei Lavrov|Lavrov|\n"
      "|Kremlin\n"
      "Bogot\xe1|Bogota\n"
      "Macron|!Emmanuel|!\n"
      "  |  \n"
      "\xC3\x89\x64ouard Philippe||Philippe\n"
      "Good Name\n",
      "broken.names", wl, diags);
  CHECK(formatted(diags) == std::vector<std::string>{
                                "broken.names:2:16: empty alias: remove the extra '|'",
                                "broken.names:3:22: empty alias: remove the extra '|'",
                                "broken.names:4:1: empty alias: remove the extra '|'",
                                "broken.names:5:6: invalid UTF-8: save the file as UTF-8 (line "
                                "skipped)",
                                "broken.names:6:18: empty negative alias: write the phrase "
                                "after '!' or remove the '!'",
                                "broken.names:7:3: empty alias: remove the extra '|'",
                                "broken.names:7:6: empty alias: remove the extra '|'",
                                "broken.names:7:1: no usable name on this line (entity skipped)",
                                // columns count characters: 'É' is one column, two bytes
                                "broken.names:8:18: empty alias: remove the extra '|'",
                            });
  REQUIRE(wl.entities.size() == 6);
  CHECK(wl.entities[0].aliases == std::vector<std::string>{"Vladimir Putin", "Putin"});
  CHECK(wl.entities[1].aliases == std::vector<std::string>{"Sergei Lavrov", "Lavrov"});
  CHECK(wl.entities[2].canonical == "Kremlin");  // first usable alias stands in
  CHECK(wl.entities[2].line == 4);
  CHECK(wl.entities[3].aliases == std::vector<std::string>{"Macron"});
  CHECK(wl.entities[3].negatives == std::vector<std::string>{"Emmanuel"});
  CHECK(wl.entities[4].canonical == "\xC3\x89\x64ouard Philippe");
  CHECK(wl.entities[5].canonical == "Good Name");
  CHECK(wl.entities[5].line == 9);
}

TEST_CASE("parse_names reads negative aliases and reports their mistakes", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  parse_names(
      "Jens Stoltenberg|Stoltenberg|!Gerhard Stoltenberg|! gerhard  STOLTENBERG\n"
      "!Only Negative|!Another\n"
      "Kyiv|!\xCC\x81\n"
      "Paris|!paris|!Paris Hilton\n",
      "neg.names", wl, diags);
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "neg.names:2:1: only negative aliases (!...) on this line: add the name they refine, "
            "e.g. Jens Stoltenberg|!Gerhard Stoltenberg (entity skipped)",
            "neg.names:3:6: negative alias \"!\xCC\x81\" has nothing left to match after folding "
            "(no letters, digits or symbols): remove it",
            "neg.names:4:1: negative alias \"!paris\" is also an alias of this entity and would "
            "suppress all its hits: remove one of them (negative dropped)"});
  REQUIRE(wl.entities.size() == 3);
  CHECK(wl.entities[0].aliases == std::vector<std::string>{"Jens Stoltenberg", "Stoltenberg"});
  // Duplicates after folding are dropped; the first spelling is kept.
  CHECK(wl.entities[0].negatives == std::vector<std::string>{"Gerhard Stoltenberg"});
  CHECK(wl.entities[1].canonical == "Kyiv");
  CHECK(wl.entities[1].negatives.empty());
  CHECK(wl.entities[2].negatives == std::vector<std::string>{"Paris Hilton"});
}

TEST_CASE("parse_names rejects an alias that folds to nothing", "[match][names]") {
  WatchList wl;
  Diagnostics diags;
  // A lone combining acute accent: folding strips diacritics, nothing is left.
  parse_names("Bogotá|\xCC\x81\n", "places.names", wl, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].line == 1);
  CHECK(diags[0].col == 8);
  CHECK_THAT(diags[0].message, Catch::Contains("nothing left to match after folding"));
  REQUIRE(wl.entities.size() == 1);
  CHECK(wl.entities[0].aliases == std::vector<std::string>{"Bogotá"});
}

TEST_CASE("load_watchlist reads fixture files and names the list after the stem",
          "[match][names]") {
  Diagnostics diags;
  const WatchList people = load_watchlist(fixture("people.names"), diags);
  CHECK(diags.empty());
  CHECK(people.name == "people");
  CHECK(people.path == fixture("people.names"));
  REQUIRE(people.entities.size() == 12);
  CHECK(people.entities[0].canonical == "Vladimir Putin");
  CHECK(people.entities[10].canonical == "Annalena Baerbock");  // trimmed
  CHECK(people.entities[10].aliases.back() == "Baerbock");

  const WatchList win = load_watchlist(fixture("windows.names"), diags);
  CHECK(diags.empty());
  REQUIRE(win.entities.size() == 2);
  CHECK(win.entities[0].canonical == "NATO");
  CHECK(win.entities[1].line == 4);
}

TEST_CASE("load_watchlist reports broken lines with the file path", "[match][names]") {
  Diagnostics diags;
  const WatchList wl = load_watchlist(fixture("broken.names"), diags);
  REQUIRE(diags.size() == 7);  // its `Macron|!Emmanuel` line is valid now (a negative alias)
  CHECK(diags[0].format() == fixture("broken.names") + ":2:16: empty alias: remove the extra '|'");
  CHECK(wl.entities.size() == 5);
}

TEST_CASE("load_watchlist reports an unreadable file as one diagnostic", "[match][names]") {
  Diagnostics diags;
  const WatchList missing = load_watchlist(fixture("no-such-list.names"), diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].file == fixture("no-such-list.names"));
  CHECK(diags[0].line == 0);
  CHECK_THAT(diags[0].message, Catch::Contains("No such file or directory") &&
                                   Catch::Contains("check that the path"));
  CHECK(missing.entities.empty());
  CHECK(missing.name == "no-such-list");

  diags.clear();
  load_watchlist(std::string(NEWSHOUND_FIXTURES_DIR) + "/watchlists", diags);
  REQUIRE(diags.size() == 1);
  CHECK_THAT(diags[0].message, Catch::Contains("Is a directory"));
}

TEST_CASE("is_acronym: short, upper-case letters and dots only", "[match][acronym]") {
  struct Row {
    const char* alias;
    bool acronym;
  };
  const Row rows[] = {
      {"US", true},    {"EU", true},      {"NATO", true},    {"U.S.", true},
      {"U.N.", true},  {"OPEC", true},    {"IMF", true},     {"\xC3\x96VP", true},  // ÖVP
      {"ΕΕ", true},    {"A", true},       {"U.S.A.", false},                        // 6 characters
      {"NATOS", true}, {"ABCDEF", false}, {"Us", false},     {"us", false},
      {"Xi", false},   {"OPEC+", false},  {"G7", false},     {"U S", false},
      {"...", false},  {".", false},      {"", false},       {"\xC3", false},  // bad UTF-8
      {"ÉTATS", true}, {"ÉTATSU", false},
  };
  for (const auto& r : rows) {
    INFO(r.alias);
    CHECK(is_acronym(r.alias) == r.acronym);
  }
}

// Daemon tests: rules_loader. `.topics` and `.names` watch-lists are told apart by
// extension and get the config's name and tags; both compile into one Rules; a
// broken topics file yields no rules; diagnostics print with the line and a caret;
// the summary counts topics and terms.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "newshound/daemon/rules_loader.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {

struct Dir {
  fs::path path;
  Dir() {
    std::string tmpl = (fs::temp_directory_path() / "newshound-loader-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

/// What `print` writes to a FILE*, as a string.
template <typename F>
std::string captured(F&& print) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  print(f);
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fclose(f);
  return out;
}

}  // namespace

TEST_CASE("load_lists: .topics files are topics, the rest names lists, config applied",
          "[daemon][rules_loader]") {
  CHECK(is_topics_path("a/b/desk.topics"));
  CHECK_FALSE(is_topics_path("a/b/people.names"));
  CHECK_FALSE(is_topics_path("a/b/topics"));
  CHECK_FALSE(is_topics_path("a/b/people.topics.bak"));

  Dir d;
  const auto names = d.write("people.names", "Sergei Lavrov|Lavrov\nWang Yi\n");
  const auto topics = d.write("security.topics",
                              "lw: @people/Sergei Lavrov NEAR/5 @people/Wang Yi\n"
                              "talks: talk* AND NOT sport*\n");
  LoadedLists out;
  Diagnostics diags;
  REQUIRE(load_lists({{topics, "desk", {"desk:security"}, 3}, {names, "", {"ru"}, 7}}, out, diags));
  CHECK(diags.empty());
  REQUIRE(out.names.size() == 1);
  REQUIRE(out.topics.size() == 1);
  CHECK(out.names[0].name == "people");
  CHECK(out.names[0].tags == std::vector<std::string>{"ru"});
  CHECK(out.topics[0].name == "desk");
  CHECK(out.topics[0].tags == std::vector<std::string>{"desk:security"});
  CHECK(out.topics[0].topics.size() == 2);

  const auto rules = load_rules({{names, "", {}, 0}, {topics, "desk", {"x"}, 0}}, diags);
  REQUIRE(rules);
  CHECK(rules->topics().size() == 2);
  bool desk = false;
  for (const auto& l : rules->lists()) {
    if (l.name != "desk") continue;
    desk = true;
    CHECK(l.topics);
    CHECK(l.tags == std::vector<std::string>{"x"});
  }
  CHECK(desk);

  const std::string summary = captured([&](std::FILE* f) { print_rules_summary(*rules, f); });
  CHECK(summary.find("list desk") != std::string::npos);
  CHECK(summary.find("2 topics") != std::string::npos);
  CHECK(summary.find("2 terms") != std::string::npos);  // talk*, sport*; @refs are entities
}

TEST_CASE("load_rules: a broken topics file gives no rules and a positioned diagnostic",
          "[daemon][rules_loader]") {
  Dir d;
  const auto names = d.write("people.names", "Sergei Lavrov|Lavrov\n");
  const auto topics = d.write("t.topics", "ok: Lavrov\nbad: Lavrov AND\n");
  Diagnostics diags;
  CHECK(load_rules({{names, "", {}, 0}, {topics, "", {}, 0}}, diags) == nullptr);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].file == topics.string());
  CHECK(diags[0].line == 2);
  CHECK(diags[0].col > 0);

  // An unknown @reference is caught at compile time, also without a names list.
  const auto ref = d.write("r.topics", "r: talks AND @people/Nobody\n");
  Diagnostics ref_diags;
  CHECK(load_rules({{names, "", {}, 0}, {ref, "", {}, 0}}, ref_diags) == nullptr);
  REQUIRE_FALSE(ref_diags.empty());
  CHECK(ref_diags[0].line == 1);
}

TEST_CASE("print_diagnostics: list files get their line and a caret, others one line",
          "[daemon][rules_loader]") {
  Dir d;
  const auto topics = d.write("t.topics", "ok: a\nbad:\t(a OR b\n");
  const auto names = d.write("p.names", "A|B\n");
  const Diagnostics diags{
      {topics.string(), 2, 6, "unclosed '(': add a matching ')'"},
      {names.string(), 1, 3, "something about B"},
      {(d.path / "n.toml").string(), 4, 2, "unknown key"},
      {(d.path / "gone.topics").string(), 1, 1, "cannot read"},
      {topics.string(), 0, 0, "no position"},
  };
  const std::string out = captured([&](std::FILE* f) { print_diagnostics(diags, f); });
  CHECK(out == topics.string() +
                   ":2:6: unclosed '(': add a matching ')'\n"
                   "bad:\t(a OR b\n"
                   "    \t^\n" +
                   names.string() +
                   ":1:3: something about B\n"
                   "A|B\n"
                   "  ^\n" +
                   (d.path / "n.toml").string() + ":4:2: unknown key\n" +
                   (d.path / "gone.topics").string() + ":1:1: cannot read\n" + topics.string() +
                   ": no position\n");
}

TEST_CASE("load_rules: warnings go to `warnings`, an alias on >100 entities is one of them",
          "[daemon][rules]") {
  Dir dir;
  std::string list = "Ellipsis|...\n";
  for (int i = 0; i < 101; ++i) list += "Person " + std::to_string(i) + "|The\n";
  for (int i = 0; i < 100; ++i) list += "Place " + std::to_string(i) + "|Springfield\n";
  const auto names = dir.write("common.names", list);
  Diagnostics diags, warnings;
  const auto rules = load_rules({{names, "", {}, 0}}, diags, {}, &warnings);
  REQUIRE(rules != nullptr);  // warnings never fail a load
  CHECK(diags.empty());
  REQUIRE(warnings.size() == 2);
  CHECK_THAT(warnings[0].format(),
             Catch::StartsWith(names.string() + ":1:10: warning: alias \"...\" is only"));
  // "springfield" is on exactly 100 entities: no warning.
  CHECK(warnings[1].format() ==
        names.string() +
            ":2: warning: the alias \"the\" (folded) is shared by 101 entities, this one first: "
            "every article naming it alerts for all of them; keep it on the entity it means, or "
            "make it more specific");

  Diagnostics quiet;
  CHECK(load_rules({{names, "", {}, 0}}, quiet) != nullptr);  // without `warnings`: none kept
  CHECK(quiet.empty());
}

// Config tests: the option table is self-consistent, and the reference doc and the
// shipped config cannot drift from it. After changing the table, run
//   unit_config "[regen]"
// to rewrite the generated block of docs/configuration.md, then review the diff.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "newshound/config/config.hpp"
#include "newshound/config/options.hpp"

namespace fs = std::filesystem;
using newshound::ConfigSection;
using newshound::OptionSpec;
using newshound::OptionType;

namespace {

const fs::path kDoc = fs::path(NEWSHOUND_SOURCE_DIR) / "docs" / "configuration.md";
const fs::path kShipped = fs::path(NEWSHOUND_SOURCE_DIR) / "config" / "newshound.toml";
const std::string kBegin = "<!-- BEGIN GENERATED: config_reference_markdown() -->\n";
const std::string kEnd = "<!-- END GENERATED -->\n";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text between the markers, or "" when they are missing.
std::string generated_block(const std::string& doc) {
  const auto b = doc.find(kBegin);
  const auto e = doc.find(kEnd);
  if (b == std::string::npos || e == std::string::npos || e < b) return "";
  return doc.substr(b + kBegin.size(), e - b - kBegin.size());
}

}  // namespace

TEST_CASE("the option table is consistent", "[config][options]") {
  std::set<std::pair<int, std::string_view>> seen;
  for (const OptionSpec& s : newshound::config_options()) {
    INFO(std::string(newshound::section_title(s.section)) + " " + std::string(s.key));
    CHECK(seen.emplace(int(s.section), s.key).second);  // no key twice in a section
    CHECK_FALSE(s.help.empty());
    CHECK_FALSE(s.example.empty());
    CHECK(s.help.find('\n') == std::string_view::npos);
    const bool has_default = !std::holds_alternative<std::monostate>(s.default_value);
    CHECK_FALSE((s.required && has_default));
    CHECK((s.required || has_default || !s.default_doc.empty()));
    if (s.type == OptionType::integer) {
      CHECK(s.min <= s.max);
      if (has_default) {
        const auto v = std::get<std::int64_t>(s.default_value);
        CHECK(v >= s.min);
        CHECK(v <= s.max);
      }
    }
    if (s.type == OptionType::choice) {
      CHECK_FALSE(s.choices.empty());
      if (has_default) {
        const auto& v = std::get<std::string>(s.default_value);
        CHECK(std::find(s.choices.begin(), s.choices.end(), v) != s.choices.end());
      }
    }
  }
}

TEST_CASE("the reference renders one row per option, under its section", "[config][options]") {
  const std::string md = newshound::config_reference_markdown();
  CHECK(md.find("### `[[output]]`\n") != std::string::npos);
  CHECK(md.find("| `max_line_bytes` | integer, 1024 to 1073741824 | `1048576` (1 MiB) |") !=
        std::string::npos);
  CHECK(md.find("| `path` | path | **required** |") != std::string::npos);
  CHECK(md.find("*Only for `tcp` outputs.*") != std::string::npos);
  for (const OptionSpec& s : newshound::config_options()) {
    const auto section =
        md.find(s.section == ConfigSection::top
                    ? std::string("### Top level\n")
                    : "### `" + std::string(newshound::section_title(s.section)) + "`\n");
    REQUIRE(section != std::string::npos);
    const auto next = md.find("### ", section + 4);
    const auto row = md.find("| `" + std::string(s.key) + "` |", section);
    INFO(s.key);
    CHECK(row != std::string::npos);
    CHECK(row < next);
  }
}

TEST_CASE("the newshound.toml(5) man page lists every option under its section",
          "[config][options]") {
  const std::string man = newshound::config_reference_man("1.2.3");
  CHECK(man.rfind(".TH NEWSHOUND.TOML 5 \"\" \"newshound 1.2.3\"", 0) == 0);
  CHECK(man.find(".SH NAME\n") != std::string::npos);
  CHECK(man.find("\\fBrequired\\fR") != std::string::npos);
  CHECK(man.find('`') == std::string::npos);  // Markdown code spans became bold
  for (const OptionSpec& s : newshound::config_options()) {
    const auto section =
        man.find(s.section == ConfigSection::top
                     ? std::string(".SS \"Top level\"\n")
                     : ".SS \"" + std::string(newshound::section_title(s.section)) + "\"\n");
    REQUIRE(section != std::string::npos);
    const auto next = man.find(".SS ", section + 4);
    const auto item = man.find(".TP\n.B " + std::string(s.key) + "\n", section);
    INFO("newshound.toml(5) lacks " << s.key);
    CHECK(item != std::string::npos);
    CHECK(item < next);
  }
}

TEST_CASE("docs/configuration.md holds the current generated reference", "[config][options]") {
  const std::string doc = slurp(kDoc);
  const std::string block = generated_block(doc);
  REQUIRE_FALSE(block.empty());
  for (const OptionSpec& s : newshound::config_options()) {
    INFO("option missing from the doc: " << s.key);
    CHECK(block.find("| `" + std::string(s.key) + "` |") != std::string::npos);
  }
  INFO("docs/configuration.md is out of date: run unit_config \"[regen]\"");
  CHECK(block == newshound::config_reference_markdown());
}

TEST_CASE("the shipped config shows every option", "[config][options]") {
  const std::string text = slurp(kShipped);
  REQUIRE_FALSE(text.empty());
  for (const OptionSpec& s : newshound::config_options()) {
    const std::string key(s.key);
    INFO("config/newshound.toml does not mention " << key);
    CHECK((text.find("\n" + key + " = ") != std::string::npos ||
           text.find("\n# " + key + " = ") != std::string::npos));
  }
}

TEST_CASE("the annotated example in docs/configuration.md loads", "[config][options]") {
  const std::string doc = slurp(kDoc);
  const auto b = doc.find("```toml\n");
  REQUIRE(b != std::string::npos);
  const auto e = doc.find("```\n", b + 8);
  REQUIRE(e != std::string::npos);
  const fs::path file = fs::temp_directory_path() / "newshound-doc-example.toml";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << doc.substr(b + 8, e - b - 8);
  newshound::Diagnostics diags;
  const auto cfg = newshound::load_config(file, diags);
  fs::remove(file);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  REQUIRE(cfg.has_value());
  CHECK(cfg->inputs.size() == 2);
  CHECK(cfg->inputs[0].fields.ninjs);
  CHECK_FALSE(cfg->inputs[1].fields.ninjs);
  CHECK(cfg->outputs.size() == 3);
  CHECK(cfg->watchlists.size() == 3);
}

TEST_CASE("regenerate the reference in docs/configuration.md", "[.][regen]") {
  std::string doc = slurp(kDoc);
  const auto b = doc.find(kBegin);
  const auto e = doc.find(kEnd);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  doc.replace(b + kBegin.size(), e - b - kBegin.size(), newshound::config_reference_markdown());
  std::ofstream(kDoc, std::ios::binary | std::ios::trunc) << doc;
  CHECK(generated_block(slurp(kDoc)) == newshound::config_reference_markdown());
}

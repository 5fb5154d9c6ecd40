// Tests (pipeline): every text field of every ninjs fixture (tests/fixtures/ninjs/,
// articles written for the project in the shapes of the ninjs 1.x, 2.x and 3.x
// schemas) is searched. For each text value, found here from the JSON itself (not
// from the decoder), a copy of the article with a probe word appended to that value
// alone must alert on the probe with the value's field, its JSON Pointer as `path`
// and offsets into that value.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/pipeline_util.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

constexpr std::string_view kProbe = "Zorblax";

/// One text value of a fixture article: its field name in alerts and its pointer.
struct TextSite {
  std::string field;
  std::string pointer;
};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

/// Every text value the ninjs schemas define at the top level of `o`.
std::vector<TextSite> text_sites(const json::object& o) {
  std::vector<TextSite> out;
  for (const auto& [key_sv, v] : o) {
    const std::string key(key_sv);
    if (v.is_string()) {
      if (key == "headline" || starts_with(key, "headline_"))
        out.push_back({"headline", "/" + key});
      if (starts_with(key, "body_")) out.push_back({"body", "/" + key});
      if (starts_with(key, "description_")) out.push_back({"description", "/" + key});
    } else if (v.is_array() && (key == "headlines" || key == "bodies" || key == "descriptions")) {
      const std::string field = key == "headlines" ? "headline"
                                : key == "bodies"  ? "body"
                                                   : "description";
      for (std::size_t i = 0; i < v.as_array().size(); ++i)
        out.push_back({field, "/" + key + "/" + std::to_string(i) + "/value"});
    }
  }
  return out;
}

std::vector<std::string> fixture_lines(const std::string& file) {
  std::ifstream in(std::filesystem::path(NEWSHOUND_FIXTURES_DIR) / "ninjs" / file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("ninjs fixtures: every text field of every version is searched, with its path") {
  PipelineWorker w({FieldMap{}},
                   pipeline_test::rules_from({{"probe", std::string(kProbe) + "\n"}}));
  std::size_t sites = 0, descriptions = 0;
  for (const char* file : {"ninjs1.ndjson", "ninjs2.ndjson", "ninjs3.ndjson"}) {
    const auto lines = fixture_lines(file);
    REQUIRE(lines.size() >= 3);
    for (const std::string& line : lines) {
      INFO(file << ": " << line.substr(0, 60));
      // Every fixture is an article (a picture with only a caption included) and
      // none names the probe yet.
      CHECK(w.process(line, Clock::now()).kind == Outcome::Kind::no_match);
      const json::object original = json::parse(line).as_object();
      for (const TextSite& site : text_sites(original)) {
        INFO(site.pointer);
        ++sites;
        descriptions += site.field == "description" ? 1 : 0;
        json::value copy = original;
        json::string& value = copy.at_pointer(site.pointer).as_string();
        const std::size_t at = value.size() + 1;
        value.append(" ");
        value.append(kProbe);
        const std::string probed = json::serialize(copy);
        const Outcome out = w.process(probed, Clock::now());
        REQUIRE(out.kind == Outcome::Kind::alert);
        const json::object alert = json::parse(out.alert->json).as_object();
        const json::array& matches = alert.at("matches").as_array();
        REQUIRE(matches.size() == 1);
        const json::object& m = matches[0].as_object();
        CHECK(m.at("text").as_string() == kProbe);
        CHECK(m.at("field").as_string() == site.field);
        CHECK(m.at("path").as_string() == site.pointer);
        CHECK(m.at("start").as_int64() == static_cast<std::int64_t>(at));
        CHECK(m.at("end").as_int64() == static_cast<std::int64_t>(at + kProbe.size()));
        const json::object& span = m.at("spans").as_array().at(0).as_object();
        CHECK(span.at("path").as_string() == site.pointer);
        CHECK(span.at("field").as_string() == site.field);
      }
    }
  }
  // The fixtures cover many values of each kind (a guard against emptied fixtures).
  CHECK(sites >= 40);
  CHECK(descriptions >= 12);
}

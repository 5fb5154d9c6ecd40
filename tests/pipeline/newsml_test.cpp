// Tests (pipeline): NewsML-G2 records (tests/fixtures/newsml/) through the real
// in-process pipeline: decoded, normalized, matched and encoded like ninjs, each
// match with its field, its XPath-like `path` and offsets into the value the path
// names (as the decoder reads it), and refusals counted by their reason.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "newshound/decode/newsml.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
namespace json = boost::json;

namespace {

std::string newsml_file(const std::string& name) {
  std::ifstream in(std::filesystem::path(NEWSHOUND_FIXTURES_DIR) / "newsml" / name,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value `path` names in `a` (the article as the decoder read it).
std::string_view value_at(const Article& a, std::string_view path) {
  for (std::size_t i = 0; i < a.text_count(); ++i) {
    std::string p;
    a.append_pointer(*a.text(i).path, p);
    if (p == path) return a.text(i).text;
  }
  return {};
}

}  // namespace

TEST_CASE("newsml: an item is matched in headline, body and description, with paths") {
  PipelineWorker w({FieldMap{}},
                   pipeline_test::rules_from({{"places", "east quay\nIlse Varga\n"}}));
  const std::string record = newsml_file("full_item.xml");
  const Outcome out = w.process(record, Clock::now());
  REQUIRE(out.kind == Outcome::Kind::alert);
  const json::object alert = json::parse(out.alert->json).as_object();
  CHECK(alert.at("article").as_string() == "urn:newshound:test:newsml:full");

  Decoder d;
  Article a;
  REQUIRE(d.decode(record, a) == DecodeError::ok);
  std::set<std::string> seen;
  for (const json::value& v : alert.at("matches").as_array()) {
    const json::object& m = v.as_object();
    const std::string path(m.at("path").as_string());
    const std::string field(m.at("field").as_string());
    seen.insert(field + " " + path);
    const std::string_view value = value_at(a, path);
    INFO(path);
    REQUIRE(!value.empty());
    const auto start = static_cast<std::size_t>(m.at("start").as_int64());
    const auto end = static_cast<std::size_t>(m.at("end").as_int64());
    CHECK(value.substr(start, end - start) == m.at("text").as_string());
  }
  CHECK(seen == std::set<std::string>{"headline /newsItem/contentMeta/headline[2]",
                                      "body /newsItem/contentSet/inlineXML[1]",
                                      "description /newsItem/contentMeta/description[2]"});
}

TEST_CASE("newsml: entities in an XHTML body are matched as text") {
  PipelineWorker w({FieldMap{}},
                   pipeline_test::rules_from({{"people", "Ren\u00e9e Dubois\nSmith & Sons\n"}}));
  const Outcome out = w.process(newsml_file("entities_cdata.xml"), Clock::now());
  REQUIRE(out.kind == Outcome::Kind::alert);
  CHECK(pipeline_test::entities(w) == std::set<std::string>{"Ren\u00e9e Dubois", "Smith & Sons"});
}

TEST_CASE("newsml: a message's items, split for the pipeline, each alert") {
  PipelineWorker w({FieldMap{}},
                   pipeline_test::rules_from({{"words", "pear harvest\nrail grinding\n"}}));
  const std::string message = newsml_file("message.xml");
  // Whole, it is refused (one record, one article); split, each item is a record.
  const Outcome whole = w.process(message, Clock::now());
  CHECK(whole.kind == Outcome::Kind::bad_line);
  CHECK(whole.error == DecodeError::several_items);
  std::vector<std::string> items;
  REQUIRE(split_newsml(message, items) == DecodeError::ok);
  REQUIRE(items.size() == 3);
  CHECK(w.process(items[0], Clock::now()).kind == Outcome::Kind::alert);
  CHECK(w.process(items[1], Clock::now()).kind == Outcome::Kind::alert);
  CHECK(w.process(items[2], Clock::now()).kind == Outcome::Kind::no_match);
}

TEST_CASE("newsml: refused records are bad lines with their reason") {
  PipelineWorker w({FieldMap{}}, pipeline_test::rules_from({{"x", "east quay\n"}}));
  const std::pair<const char*, DecodeError> cases[] = {
      {"malformed.xml", DecodeError::not_xml},
      {"not_newsml.xml", DecodeError::not_newsml},
      {"billion_laughs.xml", DecodeError::xml_dtd},
      {"deep.xml", DecodeError::too_deep},
  };
  for (const auto& [file, reason] : cases) {
    INFO(file);
    const Outcome out = w.process(newsml_file(file), Clock::now());
    CHECK(out.kind == Outcome::Kind::bad_line);
    CHECK(out.error == reason);
  }
  CHECK(w.process(newsml_file("full_item.xml"), Clock::now()).kind == Outcome::Kind::alert);
}

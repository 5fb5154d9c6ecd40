// Tests (end-to-end): the query-power operators through the real daemon. A
// filter-only topic (`source:reuters AND lang:en`) routes every English Reuters
// article to its own output, with no term in it; a same-sentence topic
// (`Lavrov NEAR/s Wang`) routes another output, telling one sentence from the next
// across a hard wrap. `check` reports a bad filter with the line and a caret.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "e2e/harness.hpp"

namespace json = boost::json;

namespace {

/// A ninjs article with provider and language (written for this test).
std::string power_article(const std::string& id, const std::string& provider,
                          const std::string& language, const std::string& headline,
                          const std::string& body) {
  json::object o;
  o["uri"] = id;
  o["provider"] = json::object{{"name", provider}};
  o["language"] = language;
  o["headline"] = headline;
  o["body_text"] = body;
  return json::serialize(o) + "\n";
}

std::string power_output(std::uint16_t port, const std::string& list) {
  return "[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" + std::to_string(port) +
         "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\nlists = [\"" + list + "\"]\n\n";
}

std::multiset<std::string> power_ids(const std::vector<std::string>& lines) {
  std::multiset<std::string> out;
  for (const auto& l : lines) out.insert(std::string(json::parse(l).at("article").as_string()));
  return out;
}

}  // namespace

TEST_CASE("daemon: a filter-only topic routes a whole source, NEAR/s one sentence") {
  e2e::TempDir dir;
  e2e::LineCollector wires;
  e2e::LineCollector desk;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "wires.topics", "reuters-en: source:reuters AND lang:en\n");
  e2e::write_file(dir / "desk.topics", "lavrov-wang: Lavrov NEAR/s Wang\n");
  e2e::write_file(dir / "n.toml",
                  "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n" + e2e::admin_off + power_output(wires.port(), "wires") +
                      power_output(desk.port(), "desk") +
                      "[[watchlist]]\npath = \"wires.topics\"\n"
                      "[[watchlist]]\npath = \"desk.topics\"\n");
  e2e::Process daemon({e2e::bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  const std::string articles =
      // Reuters, English, no term at all: the wires only.
      power_article("calm", "Reuters", "en-GB", "Markets calm", "Trading was quiet on Monday.") +
      // Reuters in French: nothing.
      power_article("fr", "Reuters", "fr", "Marchés", "Les marchés sont calmes.") +
      // Another agency, one sentence across a hard wrap: the desk only.
      power_article("met", "AFP", "en", "Talks", "Sergey Lavrov met\nWang Yi in Geneva. Talks.") +
      // Two sentences (a line break, then a capital): nothing.
      power_article("apart", "AFP", "en", "Talks", "Lavrov spoke on Monday.\nWang answered.") +
      // Both routes: the last article.
      power_article("both", "Thomson Reuters", "en", "Lavrov and Wang", "Lavrov met Wang.");
  e2e::asio::write(feed, e2e::asio::buffer(articles));

  const auto w = wires.wait_for(2);
  const auto d = desk.wait_for(2);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(w.size() == 2);
  REQUIRE(d.size() == 2);
  CHECK(power_ids(w) == std::multiset<std::string>{"calm", "both"});
  CHECK(power_ids(d) == std::multiset<std::string>{"met", "both"});
  for (const auto& line : w) {
    const json::value alert = json::parse(line);
    if (alert.at("article") != "calm") continue;
    // A topic held by filters alone points at the whole headline.
    const json::object& m = alert.at("matches").as_array().at(0).as_object();
    CHECK(m.at("kind") == "topic");
    CHECK(m.at("entity") == "reuters-en");
    CHECK(m.at("field") == "headline");
    CHECK(m.at("text") == "Markets calm");
  }
  for (const auto& line : d) {
    const json::value alert = json::parse(line);
    if (alert.at("article") != "met") continue;
    const json::object& m = alert.at("matches").as_array().at(0).as_object();
    CHECK(m.at("entity") == "lavrov-wang");
    REQUIRE(m.at("spans").as_array().size() == 2);
    CHECK(m.at("spans").as_array().at(0).at("text") == "Lavrov");
    CHECK(m.at("spans").as_array().at(1).at("text") == "Wang");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(wires.lines().size() == 2);
  CHECK(desk.lines().size() == 2);

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("check shows a filter that can never match with the line and a caret") {
  e2e::TempDir dir;
  e2e::write_file(dir / "t.topics", "ok: lang:en Lavrov\nbad: Lavrov AND urgency:<=0\n");
  e2e::write_file(dir / "n.toml", e2e::admin_off + "[[watchlist]]\npath = \"t.topics\"\n");
  const auto r = e2e::run({e2e::bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("t.topics:2:25: urgency:<=0 can never match: urgency runs from 1 (most "
                   "urgent) to 9\n"
                   "bad: Lavrov AND urgency:<=0\n"
                   "                        ^\n") != std::string::npos);
}

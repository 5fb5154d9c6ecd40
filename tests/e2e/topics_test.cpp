// Tests (end-to-end): topics through the real binary. The daemon with a `.topics`
// watch-list emits topic alerts with their spans; `check` shows a broken topics
// file with the line and a caret (exit 78); `scan` reports topic hits; `explain`
// answers clause by clause, as text and as JSON, with its exit codes.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "e2e/harness.hpp"

using e2e::run;
namespace json = boost::json;

namespace {
using e2e::bin;
const std::string fixtures = NEWSHOUND_FIXTURES_DIR;
const std::string desk_people = fixtures + "/watchlists/people.names";
const std::string desk = fixtures + "/topics/desk.topics";

/// An article with a headline (e2e::article takes the body first).
std::string headlined(const std::string& id, const std::string& headline, const std::string& body) {
  return e2e::article(id, body, headline);
}

// Matches "lavrov-wang" (and the entities), nothing else of desk.topics.
const std::string kLavrovWang =
    headlined("lw", "Talks in Beijing", "Sergey Lavrov met Wang Yi on Monday.");
// Matches "security-guarantees" only: no entity of people.names in it.
const std::string kGuarantees =
    headlined("sg", "NATO allies meet", "Kyiv wants security guarantees, officials said.");
// Would match "security-guarantees" but for `NOT sport*`.
const std::string kSports =
    headlined("sp", "NATO allies meet", "Security guarantees and the sports ministers.");

/// The topic matches of an alert line: topic id -> spans as "field:start-end text".
std::map<std::string, std::vector<std::string>> topic_matches(const std::string& line) {
  std::map<std::string, std::vector<std::string>> out;
  const json::value alert = json::parse(line);
  for (const auto& m : alert.at("matches").as_array()) {
    if (m.at("kind") != "topic") continue;
    auto& spans = out[std::string(m.at("entity").as_string())];
    for (const auto& s : m.at("spans").as_array())
      spans.push_back(std::string(s.at("field").as_string()) + ":" +
                      std::to_string(s.at("start").as_int64()) + "-" +
                      std::to_string(s.at("end").as_int64()) + " " +
                      std::string(s.at("text").as_string()));
  }
  return out;
}
}  // namespace

TEST_CASE("daemon: a .topics watch-list emits topic alerts with their spans") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) + "\"\n" +
          e2e::admin_off +
          "[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" + std::to_string(downstream.port()) +
          "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n\n"
          "[[watchlist]]\npath = \"" +
          desk_people + "\"\n[[watchlist]]\npath = \"" + desk +
          "\"\nname = \"desk\"\ntags = [\"desk:security\"]\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(feed, e2e::asio::buffer(kLavrovWang + kSports + kGuarantees));

  const auto lines = downstream.wait_for(2);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == 2);  // kSports matches nothing
  CHECK(json::parse(lines[0]).at("article") == "lw");
  CHECK(topic_matches(lines[0]) ==
        std::map<std::string, std::vector<std::string>>{
            {"lavrov-wang", {"body:0-13 Sergey Lavrov", "body:18-25 Wang Yi"}}});
  const json::value sg = json::parse(lines[1]);
  CHECK(sg.at("article") == "sg");
  CHECK(sg.at("lists") == json::array{"desk"});
  CHECK(sg.at("tags") == json::array{"desk:security"});
  const json::object& m = sg.at("matches").as_array().at(0).as_object();
  CHECK(m.at("list") == "desk");
  CHECK(m.at("entity") == "security-guarantees");
  CHECK(m.at("text") == "NATO");  // the first span stands for the hit
  CHECK(topic_matches(lines[1]) ==
        std::map<std::string, std::vector<std::string>>{
            {"security-guarantees", {"headline:0-4 NATO", "body:11-30 security guarantees"}}});

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("check shows a broken topics file with the line and a caret, exit 78") {
  e2e::TempDir dir;
  e2e::write_file(dir / "t.topics",
                  "ok: Lavrov AND talks\n"
                  "bad: (Lavrov OR Wang\n"
                  "ref: @people/Nobody Here AND talks\n");
  e2e::write_file(dir / "n.toml", e2e::admin_off + "[[watchlist]]\npath = \"" + desk_people +
                                      "\"\n[[watchlist]]\npath = \"t.topics\"\n");
  auto r = run({bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("t.topics:2:6: unclosed '(': add a matching ')'\n"
                   "bad: (Lavrov OR Wang\n"
                   "     ^\n") != std::string::npos);

  // A good topics file: the summary counts topics and terms.
  e2e::write_file(dir / "t.topics", "ok: Lavrov AND talks\nlw: @people/Wang Yi NEAR/5 talk*\n");
  auto ok = run({bin, "check", "--config", (dir / "n.toml").string()});
  INFO(ok.err);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("2 topics") != std::string::npos);
  CHECK(ok.out.find("3 terms") != std::string::npos);
  CHECK(ok.out.find("KiB compiled in") != std::string::npos);

  // An @reference to an entity that does not exist points at the reference.
  e2e::write_file(dir / "t.topics", "ref: talks AND @people/Nobody Here\n");
  auto ref = run({bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(ref.code == 78);
  CHECK(ref.err.find("t.topics:1:16:") != std::string::npos);
  CHECK(ref.err.find("\n               ^\n") != std::string::npos);
}

TEST_CASE("scan reports topic hits beside entity matches") {
  auto r = run({bin, "scan", "--watchlist", desk_people, "--watchlist", desk},
               kLavrovWang + kSports + kGuarantees);
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 2);
  CHECK(topic_matches(lines[0]).count("lavrov-wang") == 1);
  std::set<std::string> kinds;
  const json::value first = json::parse(lines[0]);
  for (const auto& m : first.at("matches").as_array())
    kinds.insert(std::string(m.at("kind").as_string()));
  CHECK(kinds == std::set<std::string>{"entity", "topic"});
  CHECK(topic_matches(lines[1]).count("security-guarantees") == 1);
}

TEST_CASE("explain answers clause by clause, as text and JSON, with its exit codes") {
  auto r = run({bin, "explain", "-w", desk, "-w", desk_people}, kSports);
  INFO(r.err);
  CHECK(r.code == 1);  // nothing matched
  CHECK(r.out.find("topic desk/security-guarantees (" + desk + ":3): not matched\n") !=
        std::string::npos);
  CHECK(r.out.find("    OR: true (1 of 2 true)\n"
                   "      NATO: true, found 'NATO' headline:0-4\n") != std::string::npos);
  CHECK(r.out.find("    NOT sport*: false, found 'sports' body:28-34\n") != std::string::npos);

  // A pretty-printed article, with a near miss: "Lavrovian" is not a whole word.
  const std::string pretty =
      "{\n  \"uri\": \"p1\",\n  \"headline\": \"Talks\",\n"
      "  \"body_text\": \"Sergey Lavrov met Wang Yi; Lavrovian prose.\"\n}\n";
  auto p = run({bin, "explain", "-w", desk, "-w", desk_people}, pretty);
  INFO(p.err);
  CHECK(p.code == 0);
  CHECK(p.out.find("topic desk/lavrov-wang (" + desk + ":4): MATCHED\n") != std::string::npos);
  CHECK(p.out.find("near miss 'Lavrov' body:27-33 (alias \"lavrov\"): not a whole word") !=
        std::string::npos);

  // --json: one object per article, NDJSON in, NDJSON out.
  auto j = run({bin, "explain", "--json", "-w", desk, "-w", desk_people}, kLavrovWang + kSports);
  INFO(j.err);
  CHECK(j.code == 0);
  std::vector<json::value> docs;
  std::istringstream in(j.out);
  for (std::string line; std::getline(in, line);) docs.push_back(json::parse(line));
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].at("article") == "lw");
  CHECK(docs[0].at("matched") == true);
  CHECK(docs[1].at("matched") == false);
  const json::array& topics = docs[1].at("topics").as_array();
  REQUIRE(topics.size() == 3);
  CHECK(topics[0].at("topic") == "security-guarantees");
  bool not_clause = false;
  for (const auto& c : topics[0].at("clauses").as_array()) {
    if (c.at("op") != "not") continue;
    not_clause = true;
    CHECK(c.at("value") == false);
    CHECK(c.at("found").at(0).at("text") == "sports");
  }
  CHECK(not_clause);

  // A broken topics file: 78 with the caret; no article: 2.
  e2e::TempDir dir;
  e2e::write_file(dir / "b.topics", "x: a AND\n");
  auto bad = run({bin, "explain", "-w", (dir / "b.topics").string()}, kSports);
  CHECK(bad.code == 78);
  CHECK(bad.err.find("b.topics:1:") != std::string::npos);
  CHECK(bad.err.find("^") != std::string::npos);
  CHECK(run({bin, "explain", "-w", desk, "-w", desk_people}, "not json\n").code == 2);
}

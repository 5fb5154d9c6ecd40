// Tests (end-to-end): word forms (`talk~`) through the real daemon. An English
// article finds `talk~` in "talked" and "talks"; a Russian article (language "ru")
// finds `Лавров~` in "Лаврова" and "Лаврову"; a Russian article without a language
// is stemmed in the list's `[[watchlist]] language`. `check` reports `~` on a
// wildcard with the line and a caret, and an unknown `[[watchlist]] language`.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.hpp"

namespace json = boost::json;

namespace {

/// A ninjs article (written for this test); no "language" key when `language` is "".
std::string forms_article(const std::string& id, const std::string& language,
                          const std::string& headline, const std::string& body) {
  json::object o;
  o["uri"] = id;
  if (!language.empty()) o["language"] = language;
  o["headline"] = headline;
  o["body_text"] = body;
  return json::serialize(o) + "\n";
}

std::string forms_output(std::uint16_t port, const std::string& list) {
  return "[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" + std::to_string(port) +
         "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\nlists = [\"" + list + "\"]\n\n";
}

/// article id -> the span texts of its first match.
std::map<std::string, std::vector<std::string>> forms_spans(const std::vector<std::string>& lines) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& l : lines) {
    const json::value alert = json::parse(l);
    auto& texts = out[std::string(alert.at("article").as_string())];
    const json::object& m = alert.at("matches").as_array().at(0).as_object();
    for (const auto& s : m.at("spans").as_array()) texts.emplace_back(s.at("text").as_string());
  }
  return out;
}

}  // namespace

TEST_CASE("daemon: talk~ and Лавров~ match word forms in the article's language") {
  e2e::TempDir dir;
  e2e::LineCollector desk;
  e2e::LineCollector ru;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "desk.topics", "talks: talk~ AND peace\n");
  e2e::write_file(dir / "ru.topics", "lavrov: Лавров~\n");
  e2e::write_file(dir / "n.toml",
                  "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n" + e2e::admin_off + forms_output(desk.port(), "desk") +
                      forms_output(ru.port(), "ru") +
                      "[[watchlist]]\npath = \"desk.topics\"\n"
                      "[[watchlist]]\npath = \"ru.topics\"\nlanguage = \"ru\"\n");
  e2e::Process daemon({e2e::bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  const std::string articles =
      // English: two forms of talk.
      forms_article("en-talks", "en", "Envoys talked late",
                    "The envoys said the peace talks would go on.") +
      // English, no form of talk (talkative stems to talkat): nothing.
      forms_article("en-none", "en", "A talkative envoy", "He spoke of peace.") +
      // Russian, tagged: three case forms of the name.
      forms_article("ru-tagged", "ru", "Визит Лаврова",
                    "Лаврову показали план. Встреча с Лавровым прошла спокойно.") +
      // Russian without a language: the list's language (ru) applies.
      forms_article("ru-untagged", "", "Слова Лаврова", "Переговоры продолжатся.");
  e2e::asio::write(feed, e2e::asio::buffer(articles));

  const auto d = desk.wait_for(1);
  const auto r = ru.wait_for(2);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(d.size() == 1);
  REQUIRE(r.size() == 2);
  const auto desk_spans = forms_spans(d);
  CHECK(desk_spans.at("en-talks") == std::vector<std::string>{"talked", "peace", "talks"});
  const auto ru_spans = forms_spans(r);
  CHECK(ru_spans.at("ru-tagged") == std::vector<std::string>{"Лаврова", "Лаврову", "Лавровым"});
  CHECK(ru_spans.at("ru-untagged") == std::vector<std::string>{"Лаврова"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(desk.lines().size() == 1);
  CHECK(ru.lines().size() == 2);

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("check shows a `~` on a wildcard with a caret, and an unknown list language") {
  e2e::TempDir dir;
  e2e::write_file(dir / "t.topics", "ok: talk~\nbad: peace AND talk*~\n");
  e2e::write_file(dir / "n.toml", e2e::admin_off + "[[watchlist]]\npath = \"t.topics\"\n");
  const auto r = e2e::run({e2e::bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("t.topics:2:16: '~' cannot be combined with a wildcard: write talk~ or talk*\n"
                   "bad: peace AND talk*~\n"
                   "               ^\n") != std::string::npos);

  e2e::write_file(dir / "t.topics", "ok: talk~\n");
  e2e::write_file(dir / "n.toml",
                  e2e::admin_off + "[[watchlist]]\npath = \"t.topics\"\nlanguage = \"xx\"\n");
  const auto bad = e2e::run({e2e::bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(bad.code == 78);
  INFO(bad.err);
  CHECK(bad.err.find("language") != std::string::npos);
  CHECK(bad.err.find("\"xx\"") != std::string::npos);
  CHECK(bad.err.find("\"ru\"") != std::string::npos);  // the accepted codes are listed
}

TEST_CASE("check rejects a language on a names file") {
  // A stemming language on a .names list would do nothing: said, not ignored.
  e2e::TempDir dir;
  e2e::write_file(dir / "p.names", "Sergey Lavrov\n");
  e2e::write_file(dir / "n.toml",
                  e2e::admin_off + "[[watchlist]]\npath = \"p.names\"\nlanguage = \"ru\"\n");
  const auto r = e2e::run({e2e::bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("p.names") != std::string::npos);
  CHECK(r.err.find("language = \"ru\" applies to .topics lists only") != std::string::npos);
}

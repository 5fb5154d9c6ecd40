// Tests (end-to-end): `[[watchlist]] transliterate = true` through the real daemon.
// Articles written for this test in English, Russian, Greek and Arabic: the
// transliterating list's Latin aliases match all four, with the alert's `text`
// the original bytes; the same aliases in a list without the option match the
// English article only. `check` rejects the option on a `.topics` file.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "e2e/harness.hpp"

namespace json = boost::json;

namespace {

std::string translit_article(const std::string& id, const std::string& language,
                             const std::string& headline, const std::string& body) {
  json::object o;
  o["uri"] = id;
  o["language"] = language;
  o["headline"] = headline;
  o["body_text"] = body;
  return json::serialize(o) + "\n";
}

/// article id -> the set of "list:text" of its entity matches.
std::map<std::string, std::set<std::string>> translit_matches(
    const std::vector<std::string>& lines) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& l : lines) {
    const json::value alert = json::parse(l);
    auto& set = out[std::string(alert.at("article").as_string())];
    for (const auto& m : alert.at("matches").as_array())
      set.insert(std::string(m.at("list").as_string()) + ":" +
                 std::string(m.at("text").as_string()));
  }
  return out;
}

}  // namespace

TEST_CASE("daemon: a transliterating list matches Russian, Greek and Arabic text") {
  e2e::TempDir dir;
  e2e::LineCollector alerts;
  const auto in_port = e2e::free_port();
  const std::string names = "Sergey Lavrov|Lavrov\nNikos Papadakis|Papadakis\nMhmwd Krym\n";
  e2e::write_file(dir / "world.names", names);
  e2e::write_file(dir / "latin.names", names);
  e2e::write_file(
      dir / "n.toml",
      "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) + "\"\n" +
          e2e::admin_off +
          "[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" + std::to_string(alerts.port()) +
          "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n\n"
          "[[watchlist]]\npath = \"world.names\"\ntransliterate = true\n"
          "[[watchlist]]\npath = \"latin.names\"\n");
  e2e::Process daemon({e2e::bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  const std::string articles =
      translit_article("en", "en", "Ministers meet in Vienna",
                       "Sergey Lavrov and Nikos Papadakis met for two hours on Tuesday.") +
      translit_article("ru", "ru", "Министры встретились в Вене",
                       "СЕРГЕЙ ЛАВРОВ и Никос Пападакис беседовали два часа во вторник.") +
      translit_article("el", "el", "Συνάντηση υπουργών στη Βιέννη",
                       "Ο Νίκος Παπαδάκης συναντήθηκε με τον Σεργκέι Λαβρόφ.") +
      translit_article("ar", "ar", "لقاء في فيينا", "قال محمود كريم إن اللقاء كان مفيدا.") +
      translit_article("none", "ru", "Погода в Вене", "Во вторник в Вене было солнечно.");
  e2e::asio::write(feed, e2e::asio::buffer(articles));

  const auto got = alerts.wait_for(4);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(got.size() == 4);
  const auto m = translit_matches(got);
  CHECK(m.at("en") == std::set<std::string>{"world:Sergey Lavrov", "world:Nikos Papadakis",
                                            "latin:Sergey Lavrov", "latin:Nikos Papadakis"});
  CHECK(m.at("ru") == std::set<std::string>{"world:СЕРГЕЙ ЛАВРОВ", "world:Никос Пападакис"});
  // Greek: Σεργκέι Λαβρόφ is spelled "sernkei lavrof": no match (list that spelling).
  CHECK(m.at("el") == std::set<std::string>{"world:Νίκος Παπαδάκης"});
  CHECK(m.at("ar") == std::set<std::string>{"world:محمود كريم"});
  CHECK(m.count("none") == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(alerts.lines().size() == 4);

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("check rejects transliterate on a topics file") {
  e2e::TempDir dir;
  e2e::write_file(dir / "t.topics", "t: Lavrov\n");
  e2e::write_file(dir / "n.toml",
                  e2e::admin_off + "[[watchlist]]\npath = \"t.topics\"\ntransliterate = true\n");
  const auto r = e2e::run({e2e::bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("transliterate = true applies to .names lists only") != std::string::npos);
}

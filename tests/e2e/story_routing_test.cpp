// Tests (end-to-end): where lifecycle events go. A retraction goes only to the
// outputs that took the alerts it retracts (two outputs routed to different
// watch-lists), also after a restart (the outputs are in the store); it is never
// folded into a digest (a kill reaches a digest output at once); a released
// embargo is folded like any alert by a digest output; a pending digest of an
// input without acknowledgements survives a SIGKILL and is sent once after the
// restart.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.hpp"
#include "e2e/ndjson_file.hpp"

namespace {
using e2e::bin;
namespace json = boost::json;

// Long enough for a stable signature; names a person (Lavrov) and no place.
std::string routing_person_text(int n) {
  std::string t = "Sergei Lavrov statement number " + std::to_string(n) + ":";
  for (int w = 0; w < 40; ++w) t += " w" + std::to_string(n * 1000 + w * 17);
  return t + ".";
}
// Names a place (Geneva) and no person.
std::string routing_place_text(int n) {
  std::string t = "Talks in Geneva, round " + std::to_string(n) + ":";
  for (int w = 0; w < 40; ++w) t += " g" + std::to_string(n * 1000 + w * 19);
  return t + ".";
}

std::string routing_line(const std::string& id, int version, const std::string& body,
                         json::object extra = {}) {
  json::object o = std::move(extra);
  o["uri"] = id;
  o["version"] = std::to_string(version);
  o["versioncreated"] = "2026-12-07T08:0" + std::to_string(version) + ":00Z";
  o["headline"] = "Routing " + id;
  o["body_text"] = body;
  return json::serialize(o) + "\n";
}

std::string routing_kill(const std::string& id, int version) {
  json::object kill;
  kill["pubstatus"] = "canceled";
  return routing_line(id, version, "This story has been withdrawn.", kill);
}

// `outputs`: the [[output]] tables; people and places watch-lists.
std::string routing_config(const e2e::TempDir& dir, std::uint16_t port,
                           const std::string& outputs) {
  return "state_dir = \"" + (dir / "state").string() + "\"\n" + e2e::admin_off +
         "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n" +
         outputs + "[[watchlist]]\npath = \"" + e2e::people + "\"\n[[watchlist]]\npath = \"" +
         e2e::places + "\"\n";
}

std::string routing_output(const e2e::TempDir& dir, const std::string& name,
                           const std::string& extra) {
  return "[[output]]\ntype = \"file\"\nname = \"" + name + "\"\npath = \"" +
         (dir / (name + ".ndjson")).string() + "\"\n" + extra;
}

std::string routing_str(const json::object& o, const char* key) {
  const json::value& v = o.at(key);
  if (v.is_null()) return "null";
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

struct RoutingDaemon {
  e2e::Process process;
  e2e::asio::io_context io;
  e2e::tcp::socket feed{io};
  RoutingDaemon(const e2e::TempDir& dir, const std::string& log, std::uint16_t port)
      : process({bin, "run", "--config", (dir / "n.toml").string()}, dir / ("out-" + log),
                dir / ("err-" + log)) {
    REQUIRE(e2e::connect(feed, port));
  }
  void send(const std::string& lines) { e2e::asio::write(feed, e2e::asio::buffer(lines)); }
  int stop() {
    process.signal(SIGTERM);
    return process.wait();
  }
};

// RFC 3339 UTC of `t`, to the second.
std::string routing_time(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

TEST_CASE("story routing: a retraction goes only to the outputs that took the alert") {
  e2e::TempDir dir;
  e2e::fs::create_directories(dir / "state");
  const auto port = e2e::free_port();
  e2e::write_file(dir / "n.toml",
                  routing_config(dir, port,
                                 routing_output(dir, "persons", "lists = [\"people\"]\n") +
                                     routing_output(dir, "geo", "lists = [\"places\"]\n") +
                                     routing_output(dir, "every", "")));
  {
    RoutingDaemon d(dir, "1", port);
    d.send(routing_line("p", 1, routing_person_text(1)) +
           routing_line("g", 1, routing_place_text(2)) + routing_kill("p", 2));
    const auto every = e2e::wait_ndjson(dir / "every.ndjson", 3);
    INFO(e2e::read_file(dir / "err-1"));
    REQUIRE(every.size() == 3);
    CHECK(routing_str(every[2], "event") == "retraction");
    const auto persons = e2e::wait_ndjson(dir / "persons.ndjson", 2);
    REQUIRE(persons.size() == 2);
    CHECK(routing_str(persons[0], "article") == "p");
    CHECK(routing_str(persons[1], "event") == "retraction");
    CHECK(routing_str(persons[1], "article") == "p");
    CHECK(d.stop() == 0);
    // The geo output never took p's alert: not its retraction either.
    const auto geo = e2e::ndjson_objects(dir / "geo.ndjson");
    REQUIRE(geo.size() == 1);
    CHECK(routing_str(geo[0], "article") == "g");
  }
  // After a restart the store knows where g's alert went.
  RoutingDaemon d(dir, "2", port);
  d.send(routing_kill("g", 2));
  const auto geo = e2e::wait_ndjson(dir / "geo.ndjson", 2);
  INFO(e2e::read_file(dir / "err-2"));
  REQUIRE(geo.size() == 2);
  CHECK(routing_str(geo[1], "event") == "retraction");
  CHECK(routing_str(geo[1], "article") == "g");
  REQUIRE(e2e::wait_ndjson(dir / "every.ndjson", 4).size() == 4);
  CHECK(d.stop() == 0);
  CHECK(e2e::ndjson_objects(dir / "persons.ndjson").size() == 2);
}

TEST_CASE("story routing: a retraction reaches a digest output at once") {
  e2e::TempDir dir;
  e2e::fs::create_directories(dir / "state");
  const auto port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      routing_config(
          dir, port,
          routing_output(dir, "digest", "stories = \"digest\"\ndigest_interval_ms = 60000\n") +
              routing_output(dir, "every", "")));
  RoutingDaemon d(dir, "1", port);
  d.send(routing_line("p", 1, routing_person_text(1)) + routing_kill("p", 2));
  REQUIRE(e2e::wait_ndjson(dir / "every.ndjson", 2).size() == 2);
  // The alert waits for its digest (a minute); the kill does not.
  const auto digest = e2e::wait_ndjson(dir / "digest.ndjson", 1);
  INFO(e2e::read_file(dir / "err-1"));
  REQUIRE(digest.size() == 1);
  CHECK(routing_str(digest[0], "event") == "retraction");
  CHECK(routing_str(digest[0], "article") == "p");
  CHECK(d.stop() == 0);
}

TEST_CASE("story routing: a released embargo is folded into a digest like any alert") {
  e2e::TempDir dir;
  e2e::fs::create_directories(dir / "state");
  const auto port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      routing_config(
          dir, port,
          routing_output(dir, "digest", "stories = \"digest\"\ndigest_interval_ms = 1500\n") +
              routing_output(dir, "every", "")));
  const auto embargo = std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()) +
                       std::chrono::seconds(2);
  json::object extra;
  extra["embargoed"] = routing_time(embargo);
  RoutingDaemon d(dir, "1", port);
  d.send(routing_line("e", 1, routing_person_text(3), extra));
  const auto every = e2e::wait_ndjson(dir / "every.ndjson", 1);
  INFO(e2e::read_file(dir / "err-1"));
  REQUIRE(every.size() == 1);
  CHECK(std::chrono::system_clock::now() >= embargo);
  const auto digest = e2e::wait_ndjson(dir / "digest.ndjson", 1);
  REQUIRE(digest.size() == 1);
  CHECK(routing_str(digest[0], "type") == "digest");
  CHECK(routing_str(digest[0], "reason") == "story");
  REQUIRE(digest[0].at("items").as_array().size() == 1);
  CHECK(digest[0].at("items").as_array()[0].at("article") == "e");
  CHECK(d.stop() == 0);
  CHECK(e2e::ndjson_objects(dir / "digest.ndjson").size() == 1);
}

TEST_CASE("story routing: a pending digest survives a SIGKILL and is sent once after it") {
  e2e::TempDir dir;
  e2e::fs::create_directories(dir / "state");
  const auto port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      routing_config(
          dir, port,
          routing_output(dir, "digest", "stories = \"digest\"\ndigest_interval_ms = 4000\n") +
              routing_output(dir, "every", "stories = \"all\"\n")));
  {
    RoutingDaemon d(dir, "1", port);
    // Two copies of one story, on an input without acknowledgements.
    d.send(routing_line("a1", 1, routing_person_text(5)) +
           routing_line("a2", 1, routing_person_text(5)));
    REQUIRE(e2e::wait_ndjson(dir / "every.ndjson", 2).size() == 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    d.process.signal(SIGKILL);
    d.process.wait();
  }
  CHECK(e2e::read_file(dir / "digest.ndjson").empty());
  RoutingDaemon d(dir, "2", port);
  const auto digest = e2e::wait_ndjson(dir / "digest.ndjson", 1);
  INFO(e2e::read_file(dir / "err-2"));
  REQUIRE(digest.size() == 1);
  CHECK(routing_str(digest[0], "type") == "digest");
  CHECK(digest[0].at("copies") == 2);
  const auto& items = digest[0].at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(items[0].at("article") == "a1");
  CHECK(items[1].at("article") == "a2");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(d.stop() == 0);
  CHECK(e2e::ndjson_objects(dir / "digest.ndjson").size() == 1);  // once
  // Sent, so gone from the store: a third run sends nothing.
  RoutingDaemon again(dir, "3", port);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(again.stop() == 0);
  CHECK(e2e::ndjson_objects(dir / "digest.ndjson").size() == 1);
}

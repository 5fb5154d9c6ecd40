// Tests (end-to-end): the real daemon on loopback ports: articles pushed into its
// TCP input come out as alerts on its TCP output; garbage costs only itself; the
// connect mode dials a feed; SIGTERM drains and exits 0.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "e2e/harness.hpp"

namespace {
using e2e::bin;
using e2e::src;

std::string world_article(const std::string& id, const std::string& body) {
  return e2e::article(id, body, "WORLD NEWS");
}

std::string config(const std::string& input_line, std::uint16_t out_port,
                   const std::string& admin = e2e::admin_off) {
  return input_line + "\n" + admin +
         "[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
         std::to_string(out_port) +
         "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n\n"
         "[[watchlist]]\npath = \"" +
         src +
         "/config/watchlists/people.names\"\n"
         "[[watchlist]]\npath = \"" +
         src + "/config/watchlists/organisations.names\"\n";
}

std::string article_of(const std::string& alert_line) {
  return std::string(boost::json::parse(alert_line).at("article").as_string());
}
}  // namespace

TEST_CASE("daemon (listen): alerts out for matching articles, garbage costs only its line") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "n.toml",
                  config("[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" +
                             std::to_string(in_port) + "\"\nmax_line_bytes = 4096\n",
                         downstream.port()));
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");

  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  std::string payload =
      world_article("one", "Talks between Sergei Lavrov and\nAntony Blinken ended.") +
      world_article("huge", std::string(100000, 'x') + " Lavrov") +  // over the limit
      "{\"uri\": \"broken\", \"headline\": \n" +                     // truncated JSON
      "\x01\x02 random bytes \xff\xfe\n" +                           // not JSON, not UTF-8
      world_article("two", "Nothing to see here.") +                 // no match
      world_article("three", "The Organization of the Petroleum Exporting Countries met.");
  e2e::asio::write(feed, e2e::asio::buffer(payload));

  auto lines = downstream.wait_for(2);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == 2);
  CHECK(article_of(lines[0]) == "one");
  CHECK(article_of(lines[1]) == "three");
  auto first = boost::json::parse(lines[0]).as_object();
  CHECK(first.at("matches").as_array().size() == 2);
  CHECK(first.at("rules_version").as_string().size() == 12);

  // The same connection keeps working after the garbage.
  e2e::asio::write(feed, e2e::asio::buffer(world_article("four", "Lavrov again.")));
  lines = downstream.wait_for(3);
  REQUIRE(lines.size() == 3);
  CHECK(article_of(lines[2]) == "four");

  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
  auto err = e2e::read_file(dir / "err");
  CHECK(err.find("not_json") != std::string::npos);
  CHECK(err.find("over max_line_bytes") != std::string::npos);
}

TEST_CASE("daemon (connect): dials the feed and reconnects when it goes away") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  e2e::asio::io_context io;
  e2e::tcp::acceptor feed_server(io, e2e::tcp::endpoint(e2e::asio::ip::address_v4::loopback(), 0));
  const auto feed_port = feed_server.local_endpoint().port();
  e2e::write_file(
      dir / "n.toml",
      config("[[input]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:" + std::to_string(feed_port) +
                 "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n",
             downstream.port()));
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");

  {
    e2e::tcp::socket s(io);
    feed_server.accept(s);
    e2e::asio::write(s, e2e::asio::buffer(world_article("c1", "Jens Stoltenberg spoke.")));
    REQUIRE(downstream.wait_for(1).size() == 1);
  }  // the feed hangs up; the daemon must dial again
  {
    e2e::tcp::socket s(io);
    feed_server.accept(s);
    e2e::asio::write(s, e2e::asio::buffer(world_article("c2", "NATO ministers met.")));
    auto lines = downstream.wait_for(2);
    INFO(e2e::read_file(dir / "err"));
    REQUIRE(lines.size() == 2);
    CHECK(article_of(lines[1]) == "c2");
  }
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("daemon: alerts queued while the downstream is down are delivered when it comes up") {
  e2e::TempDir dir;
  const auto out_port = e2e::free_port();
  const auto in_port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      config("[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) + "\"\n",
             out_port));
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  std::string payload;
  for (int i = 0; i < 50; ++i) payload += world_article("q" + std::to_string(i), "Blinken said.");
  e2e::asio::write(feed, e2e::asio::buffer(payload));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let them queue
  e2e::LineCollector downstream(out_port);
  auto lines = downstream.wait_for(50);
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(lines.size() == 50);
  for (int i = 0; i < 50; ++i) CHECK(article_of(lines[i]) == "q" + std::to_string(i));
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("daemon: SIGTERM drains every alert in flight to the sinks, then exits 0") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port();
  e2e::write_file(
      dir / "n.toml",
      config("[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) + "\"\n",
             downstream.port()));
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  std::string payload;
  for (int i = 0; i < 20000; ++i) payload += world_article("d" + std::to_string(i), "Lavrov said.");
  e2e::asio::write(feed, e2e::asio::buffer(payload));
  downstream.wait_for(100);
  daemon.signal(SIGTERM);  // while most of the stream is still being matched
  REQUIRE(daemon.wait() == 0);
  // The daemon's closing stats line says how many alerts it made: all arrived.
  auto err = e2e::read_file(dir / "err");
  auto pos = err.rfind(" alerts, ");
  REQUIRE(pos != std::string::npos);
  auto start = err.rfind(", ", pos - 1) + 2;
  const auto made = std::stoul(err.substr(start, pos - start));
  INFO(err);
  CHECK(made >= 100);
  CHECK(downstream.wait_for(made).size() == made);
}

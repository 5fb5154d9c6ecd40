// Tests (end-to-end): digests. An output with stories = "digest" gets nothing at
// once and one digest per story per digest_interval_ms listing its copies; an
// acknowledged input's articles folded into a digest are acknowledged only once
// the digest was written; a throttled list (max_alerts_per_minute) sends its
// first alerts and folds the excess into a digest of that list; SIGTERM sends the
// pending digests before the daemon exits; `explain` says which story each
// article joins and at what signature distance.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.hpp"
#include "e2e/ndjson_file.hpp"

namespace {
using e2e::bin;
namespace json = boost::json;

// A story of its own per `n`, long enough for a stable signature, naming Lavrov.
std::string digest_text(int n) {
  std::string t = "Sergei Lavrov statement number " + std::to_string(n) + ":";
  for (int w = 0; w < 40; ++w) t += " v" + std::to_string(n * 1000 + w * 13);
  return t + ".";
}

std::string digest_config(const e2e::TempDir& dir, std::uint16_t in_port, const std::string& output,
                          const std::string& admin = e2e::admin_off, bool ack = false) {
  return admin + "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
         "\"\n" + (ack ? "ack = true\n" : "") +
         "[[output]]\ntype = \"file\"\nname = \"all\"\npath = \"" + (dir / "all.ndjson").string() +
         "\"\nstories = \"all\"\n[[output]]\ntype = \"file\"\npath = \"" +
         (dir / "out.ndjson").string() + "\"\n" + output + "[[watchlist]]\npath = \"" +
         e2e::people + "\"\n";
}

std::vector<std::string> digest_articles(const json::object& digest) {
  std::vector<std::string> ids;
  for (const auto& item : digest.at("items").as_array())
    ids.emplace_back(item.at("article").as_string());
  return ids;
}

struct DigestDaemon {
  e2e::Process process;
  e2e::asio::io_context io;
  e2e::tcp::socket feed{io};
  DigestDaemon(const e2e::TempDir& dir, std::uint16_t port)
      : process({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out", dir / "err") {
    REQUIRE(e2e::connect(feed, port));
  }
  void send(const std::string& lines) { e2e::asio::write(feed, e2e::asio::buffer(lines)); }
  int stop() {
    process.signal(SIGTERM);
    return process.wait();
  }
};

}  // namespace

TEST_CASE("story digest: a digest output gets one digest per story listing its copies") {
  e2e::TempDir dir;
  const auto port = e2e::free_port();
  const auto admin = e2e::free_port();
  e2e::write_file(dir / "n.toml",
                  digest_config(dir, port,
                                "name = \"digest\"\nstories = \"digest\"\n"
                                "digest_interval_ms = 2000\n",
                                "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin) + "\"\n"));
  DigestDaemon d(dir, port);
  const auto start = std::chrono::steady_clock::now();
  d.send(e2e::article("a1", digest_text(1)) + e2e::article("b1", digest_text(2)) +
         e2e::article("a2", digest_text(1)) + e2e::article("a3", digest_text(1)));
  const auto all = e2e::wait_ndjson(dir / "all.ndjson", 4);
  REQUIRE(all.size() == 4);
  CHECK(e2e::read_file(dir / "out.ndjson").empty());  // nothing at once
  const auto digests = e2e::wait_ndjson(dir / "out.ndjson", 2);
  INFO(e2e::read_file(dir / "err"));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(1900));
  REQUIRE(digests.size() == 2);
  const json::object& a = digests[0].at("copies") == 3 ? digests[0] : digests[1];
  const json::object& b = digests[0].at("copies") == 3 ? digests[1] : digests[0];
  CHECK(a.at("type") == "digest");
  CHECK(a.at("reason") == "story");
  CHECK(a.at("story_id") == all[0].at("story_id"));
  CHECK(a.at("list").is_null());
  CHECK(a.at("left_out") == 0);
  CHECK(digest_articles(a) == std::vector<std::string>{"a1", "a2", "a3"});
  const auto& item = a.at("items").as_array()[1].as_object();
  CHECK(item.at("alert_id") == all[2].at("id"));
  CHECK(item.at("duplicate_of") == "a1");
  CHECK(item.at("received_at") == all[2].at("received_at"));
  CHECK(item.at("lists") == json::array{"people"});
  CHECK(item.at("entities") == json::array{"Sergei Lavrov"});
  CHECK(b.at("copies") == 1);
  CHECK(digest_articles(b) == std::vector<std::string>{"b1"});

  const auto metrics = e2e::http(admin, "GET", "/metrics").body;
  CHECK(metrics.find(
            "\nnewshound_output_alerts_folded_total{sink=\"digest\",reason=\"story\"} 4\n") !=
        std::string::npos);
  CHECK(metrics.find("\nnewshound_output_digests_sent_total{sink=\"digest\",when=\"due\"} 2\n") !=
        std::string::npos);
  CHECK(metrics.find("\nnewshound_output_digests_pending{sink=\"digest\"} 0\n") !=
        std::string::npos);
  CHECK(d.stop() == 0);
  CHECK(e2e::ndjson_objects(dir / "out.ndjson").size() == 2);  // nothing more at shutdown
}

TEST_CASE("story digest: articles folded into a digest are acknowledged once it was written") {
  e2e::TempDir dir;
  const auto port = e2e::free_port();
  e2e::write_file(dir / "n.toml", digest_config(dir, port,
                                                "name = \"digest\"\nstories = \"digest\"\n"
                                                "digest_interval_ms = 1000\n",
                                                e2e::admin_off, true));
  DigestDaemon d(dir, port);
  const auto start = std::chrono::steady_clock::now();
  d.send(e2e::article("a1", digest_text(1)) + e2e::article("n1", "Nothing here.") +
         e2e::article("a2", digest_text(1)));
  boost::system::error_code ec;
  d.feed.shutdown(e2e::tcp::socket::shutdown_send, ec);  // the daemon still answers
  std::vector<std::string> acks;
  e2e::asio::streambuf buf;
  for (;;) {
    const std::size_t n = e2e::asio::read_until(d.feed, buf, '\n', ec);
    if (ec) break;
    if (acks.empty()) {
      // The first reply comes after the digest, which is written within the interval.
      CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
      CHECK(e2e::ndjson_objects(dir / "out.ndjson").size() == 1);
    }
    acks.emplace_back(e2e::asio::buffers_begin(buf.data()),
                      e2e::asio::buffers_begin(buf.data()) + n - 1);
    buf.consume(n);
  }
  INFO(e2e::read_file(dir / "err"));
  CHECK(acks ==
        std::vector<std::string>{"{\"ack\":\"a1\"}", "{\"ack\":\"n1\"}", "{\"ack\":\"a2\"}"});
  CHECK(d.stop() == 0);
}

TEST_CASE("story digest: a throttled list folds its excess, and SIGTERM sends the digest") {
  e2e::TempDir dir;
  const auto port = e2e::free_port();
  const auto admin = e2e::free_port();
  e2e::write_file(dir / "n.toml",
                  digest_config(dir, port,
                                "name = \"throttled\"\nmax_alerts_per_minute = 2\n"
                                "digest_interval_ms = 600000\n",
                                "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin) + "\"\n"));
  DigestDaemon d(dir, port);
  std::string lines;
  for (int i = 0; i < 5; ++i) lines += e2e::article("t" + std::to_string(i), digest_text(10 + i));
  d.send(lines);
  REQUIRE(e2e::wait_ndjson(dir / "all.ndjson", 5).size() == 5);
  const auto sent = e2e::wait_ndjson(dir / "out.ndjson", 2);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].at("article") == "t0");
  CHECK(sent[1].at("article") == "t1");
  const auto metrics = e2e::http(admin, "GET", "/metrics").body;
  CHECK(metrics.find(
            "\nnewshound_output_alerts_throttled_total{sink=\"throttled\",list=\"people\"} 3\n") !=
        std::string::npos);
  CHECK(metrics.find("\nnewshound_output_digests_pending{sink=\"throttled\"} 1\n") !=
        std::string::npos);
  CHECK(e2e::ndjson_objects(dir / "out.ndjson").size() == 2);  // the interval is ten minutes
  CHECK(d.stop() == 0);
  INFO(e2e::read_file(dir / "err"));
  const auto out = e2e::ndjson_objects(dir / "out.ndjson");
  REQUIRE(out.size() == 3);
  CHECK(out[2].at("type") == "digest");
  CHECK(out[2].at("reason") == "throttle");
  CHECK(out[2].at("list") == "people");
  CHECK(out[2].at("copies") == 3);
  CHECK(digest_articles(out[2]) == std::vector<std::string>{"t2", "t3", "t4"});
}

TEST_CASE("story digest: SIGTERM sends a story's pending digest before the daemon exits") {
  e2e::TempDir dir;
  const auto port = e2e::free_port();
  e2e::write_file(dir / "n.toml", digest_config(dir, port,
                                                "name = \"digest\"\nstories = \"digest\"\n"
                                                "digest_interval_ms = 600000\n"));
  DigestDaemon d(dir, port);
  d.send(e2e::article("a1", digest_text(1)) + e2e::article("a2", digest_text(1)));
  REQUIRE(e2e::wait_ndjson(dir / "all.ndjson", 2).size() == 2);
  CHECK(d.stop() == 0);
  INFO(e2e::read_file(dir / "err"));
  const auto out = e2e::ndjson_objects(dir / "out.ndjson");
  REQUIRE(out.size() == 1);
  CHECK(out[0].at("copies") == 2);
  CHECK(digest_articles(out[0]) == std::vector<std::string>{"a1", "a2"});
}

TEST_CASE("story digest: explain says which story each article joins and why") {
  const std::string input =
      e2e::article("a1", digest_text(1)) + e2e::article("a2", digest_text(1)) +
      e2e::article("b1", digest_text(2)) + e2e::article("a1", digest_text(1)) +
      e2e::article("n1", "Nothing here.");
  auto r = e2e::run({bin, "explain", "-w", e2e::people}, input);
  INFO(r.err);
  CHECK(r.code == 0);
  std::vector<std::string> stories;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("story", 0) == 0) stories.push_back(line);
  REQUIRE(stories.size() == 5);
  CHECK(stories[0].find(": starts a new story (no earlier story within 10 of 64 bits)") !=
        std::string::npos);
  const std::string story = stories[0].substr(6, 16);
  CHECK(stories[1] == "story " + story +
                          ": joins the story of a1 as copy 2 (signature distance 0 of 64 bits, "
                          "threshold 10)");
  CHECK(stories[2].find(": starts a new story") != std::string::npos);
  CHECK(stories[2].find(story) == std::string::npos);
  CHECK(stories[3].find("story " + story + ": the story's first copy again") == 0);
  CHECK(stories[4] ==
        "story: not filed (nothing matched: only articles that raise an alert are filed)");

  auto j = e2e::run({bin, "explain", "--json", "-w", e2e::people}, input);
  INFO(j.err);
  std::vector<json::value> docs;
  std::istringstream jin(j.out);
  for (std::string line; std::getline(jin, line);) docs.push_back(json::parse(line));
  REQUIRE(docs.size() == 5);
  CHECK(docs[0].at("story").at("joined") == "new");
  CHECK(docs[1].at("story").at("joined") == "copy");
  CHECK(docs[1].at("story").at("duplicate_of") == "a1");
  CHECK(docs[1].at("story").at("distance") == 0);
  CHECK(docs[1].at("story").at("copies") == 2);
  CHECK(docs[1].at("story").at("story_id") == docs[0].at("story").at("story_id"));
  CHECK(docs[3].at("story").at("joined") == "first_copy_again");
  CHECK(docs[4].at("story").at("filed") == false);
}

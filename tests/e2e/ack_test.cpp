// Tests (end-to-end): acknowledged input (`ack = true`). The daemon writes
// {"ack":"<id>"} back, in order, once an article's alerts were delivered; the
// replayer (`newshound-replay --ack`) resends what a killed daemon never
// acknowledged, and everything arrives.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "e2e/harness.hpp"
#include "e2e/hostile_util.hpp"

namespace {
using e2e::bin;
using e2e::src;
namespace h = e2e::hostile;

using e2e::article;

std::string config(std::uint16_t in_port, std::uint16_t out_port, std::uint16_t admin_port) {
  return "[[input]]\ntype = \"tcp\"\nname = \"feed\"\nlisten = \"127.0.0.1:" +
         std::to_string(in_port) +
         "\"\nack = true\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) +
         "\"\n[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
         std::to_string(out_port) +
         "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 100\n"
         "[[watchlist]]\npath = \"" +
         src + "/config/watchlists/people.names\"\n";
}

std::string ack_of(const std::string& line) {
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec || !v.is_object() || !v.as_object().contains("ack")) return "?" + line;
  return std::string(v.at("ack").as_string());
}
}  // namespace

TEST_CASE("ack: each article is acknowledged in order once its alert was delivered") {
  e2e::TempDir dir;
  e2e::LineCollector downstream;
  const auto in_port = e2e::free_port(), admin_port = e2e::free_port();
  e2e::write_file(dir / "a.toml", config(in_port, downstream.port(), admin_port));
  e2e::Process daemon({bin, "run", "--config", (dir / "a.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(
      feed, e2e::asio::buffer(article("n1", "Nothing here.") +
                              article("a1", "Sergei Lavrov spoke.") + "{not json\n" +
                              article("a2", "Lavrov again.") + "\n" + article("n2", "Quiet day.")));
  boost::system::error_code ec;
  feed.shutdown(e2e::tcp::socket::shutdown_send, ec);  // the daemon still answers
  std::vector<std::string> acks;
  e2e::asio::streambuf buf;
  for (;;) {
    std::size_t n = e2e::asio::read_until(feed, buf, '\n', ec);
    if (ec) break;
    acks.push_back(ack_of(std::string(e2e::asio::buffers_begin(buf.data()),
                                      e2e::asio::buffers_begin(buf.data()) + n - 1)));
    buf.consume(n);
  }
  INFO(e2e::read_file(dir / "err"));
  CHECK(ec == e2e::asio::error::eof);  // closed by the daemon once everything was settled
  CHECK(acks == std::vector<std::string>{"n1", "a1", "a2", "n2"});
  // An acknowledged alert has been written to the output's socket already; the
  // collector's thread may still be reading it, so wait (bounded) for it to land.
  auto lines = downstream.wait_for(2);
  REQUIRE(lines.size() == 2);
  CHECK(h::article_of(lines[0]) == "a1");
  CHECK(h::article_of(lines[1]) == "a2");
  auto m = h::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
  CHECK(m["newshound_input_acks_total{input=\"feed\"}"] == 4);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("ack: the replayer resends what a killed daemon did not acknowledge") {
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), out_port = e2e::free_port(), admin_port = e2e::free_port();
  e2e::write_file(dir / "a.toml", config(in_port, out_port, admin_port));
  constexpr int kArticles = 200;
  std::string feed;
  std::set<std::string> matching;
  for (int i = 0; i < kArticles; ++i) {
    const std::string id = "r" + std::to_string(i);
    // Acks go in order: the first half (no alerts) can be acknowledged at once.
    const bool alert = i >= kArticles / 2;
    if (alert) matching.insert(id);
    feed += article(id, alert ? "Sergei Lavrov, item " + id : "Nothing, item " + id);
  }
  e2e::write_file(dir / "feed.ndjson", feed);

  // First daemon: its output has nobody to deliver to, so only the articles
  // without alerts are acknowledged.
  auto daemon = std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "a.toml").string()}, dir / "out1",
      dir / "err1");
  const std::string replay = (e2e::fs::path(bin).parent_path() / "newshound-replay").string();
  REQUIRE(e2e::fs::exists(replay));
  e2e::Process replayer({replay, "--ack", "--port", std::to_string(in_port), "--wait", "60",
                         "--timeout", "120", (dir / "feed.ndjson").string()},
                        dir / "rout", dir / "rerr");
  auto metric = [&](const std::string& key) {
    auto m = h::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
    return m.count(key) ? m[key] : -1.0;
  };
  const std::string acks_key = "newshound_input_acks_total{input=\"feed\"}";
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (metric(acks_key) < kArticles / 2 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  INFO(e2e::read_file(dir / "err1"));
  REQUIRE(metric(acks_key) == kArticles / 2);
  daemon->signal(SIGKILL);
  daemon->wait();
  daemon.reset();

  // The downstream comes up, and a new daemon on the same ports.
  e2e::LineCollector downstream(out_port);
  daemon = std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "a.toml").string()}, dir / "out2",
      dir / "err2");
  INFO(e2e::read_file(dir / "err2"));
  INFO(e2e::read_file(dir / "rerr"));
  CHECK(replayer.wait(std::chrono::seconds(120)) == 0);
  const std::string log = e2e::read_file(dir / "rerr");
  CHECK(log.find("reconnecting to send them again") != std::string::npos);
  std::set<std::string> got;
  for (const auto& l : downstream.wait_for(matching.size())) got.insert(h::article_of(l));
  CHECK(got == matching);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE("ack: the replayer's --timeout bounds the wait when nothing is acknowledged") {
  // The daemon keeps the connection open while an alert waits for its output
  // (nobody listens there), so no ack and no close ever come.
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), out_port = e2e::free_port(), admin_port = e2e::free_port();
  e2e::write_file(dir / "a.toml", config(in_port, out_port, admin_port));
  e2e::write_file(dir / "feed.ndjson",
                  article("t1", "Sergei Lavrov, held.") + article("t2", "Lavrov, held too."));
  e2e::Process daemon({bin, "run", "--config", (dir / "a.toml").string()}, dir / "out",
                      dir / "err");
  const std::string replay = (e2e::fs::path(bin).parent_path() / "newshound-replay").string();
  const auto started = std::chrono::steady_clock::now();
  e2e::Process replayer({replay, "--ack", "--port", std::to_string(in_port), "--wait", "60",
                         "--timeout", "2", (dir / "feed.ndjson").string()},
                        dir / "rout", dir / "rerr");
  const int code = replayer.wait(std::chrono::seconds(60));
  INFO(e2e::read_file(dir / "rerr"));
  INFO(e2e::read_file(dir / "err"));
  CHECK(code == 1);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  CHECK(e2e::read_file(dir / "rerr").find("2 line(s) not acknowledged within --timeout 2 s") !=
        std::string::npos);
  daemon.signal(SIGTERM);
  daemon.wait();
}

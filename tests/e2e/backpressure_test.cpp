// Tests (end-to-end): outputs that only take some lists or tags; a stalled output
// pauses the input (TCP flow control reaches the feed, memory stays bounded) and
// everything arrives once it reads again; idle feed connections are closed.
#include <sys/socket.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "e2e/harness.hpp"
#include "e2e/hostile_util.hpp"
#include "e2e/stalled_receiver.hpp"

namespace {
using e2e::bin;
using e2e::src;
using e2e::StalledReceiver;
namespace h = e2e::hostile;

using e2e::article;

std::string watchlists() {
  return "[[watchlist]]\npath = \"" + src +
         "/config/watchlists/people.names\"\n"
         "[[watchlist]]\npath = \"" +
         src + "/config/watchlists/organisations.names\"\ntags = [\"desk:orgs\"]\n";
}

std::string tcp_output(std::uint16_t port, const std::string& extra) {
  return "[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
         std::to_string(port) + "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n" + extra +
         "\n";
}

}  // namespace

TEST_CASE("routing: each output gets the alerts of its lists and tags") {
  e2e::TempDir dir;
  e2e::LineCollector people, orgs;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "n.toml",
                  "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
                      "\"\n" + e2e::admin_off + tcp_output(people.port(), "lists = [\"people\"]") +
                      tcp_output(orgs.port(), "tags = [\"desk:orgs\"]") + watchlists());
  e2e::Process daemon({bin, "run", "--config", (dir / "n.toml").string()}, dir / "out",
                      dir / "err");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(
      feed,
      e2e::asio::buffer(article("p", "Sergei Lavrov spoke.") + article("o", "NATO met.") +
                        article("po", "Sergei Lavrov at NATO.") + article("x", "Nothing here.")));
  auto p = people.wait_for(2);
  auto o = orgs.wait_for(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // nothing more comes
  p = people.lines();
  o = orgs.lines();
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(p.size() == 2);
  REQUIRE(o.size() == 2);
  CHECK(h::article_of(p[0]) == "p");
  CHECK(h::article_of(p[1]) == "po");
  CHECK(h::article_of(o[0]) == "o");
  CHECK(h::article_of(o[1]) == "po");
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("routing: a list name that is not a watch-list is a config error with its line") {
  e2e::TempDir dir;
  e2e::write_file(dir / "n.toml", "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:7301\"\n" +
                                      e2e::admin_off + tcp_output(7302, "lists = [\"peeple\"]") +
                                      watchlists());
  auto r = e2e::run({bin, "check", "--config", (dir / "n.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("n.toml:12:") != std::string::npos);  // the `lists` line
  CHECK(r.err.find("\"peeple\"") != std::string::npos);
  CHECK(r.err.find("\"people\"") != std::string::npos);  // what to use instead
}

TEST_CASE("backpressure: a stalled output pauses the feed, memory stays bounded, none is lost") {
  StalledReceiver receiver;
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), admin_port = e2e::free_port();
  const std::string config = (dir / "bp.toml").string();
  e2e::write_file(config, "[[input]]\ntype = \"tcp\"\nname = \"feed\"\nlisten = \"127.0.0.1:" +
                              std::to_string(in_port) +
                              "\"\nmax_inflight_bytes = 65536\n"
                              "[admin]\nlisten = \"127.0.0.1:" +
                              std::to_string(admin_port) + "\"\n" +
                              tcp_output(receiver.port(), "queue_bytes = 65536") + watchlists());
  e2e::Process daemon({bin, "run", "--config", config}, dir / "out", dir / "err");
  pid_t pid = 0;
  for (int i = 0; i < 500 && pid == 0; ++i) {
    pid = h::child_pid_with(config);
    if (pid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(pid != 0);
  auto metric = [&](const std::string& key) {
    auto m = h::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
    auto it = m.find(key);
    return it == m.end() ? -1.0 : it->second;
  };
  const std::string paused_key = "newshound_input_paused_connections{input=\"feed\"}";
  for (int i = 0; i < 500 && metric(paused_key) < 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto baseline = h::memory_of(pid).rss_kib;

  // The feed pushes as fast as the daemon lets it, on its own thread.
  // 40 MB of articles, far more than the socket buffers on the way can hold.
  constexpr int kArticles = 40000;
  std::string filler;
  for (int i = 0; i < 200; ++i) filler += " word";
  std::string payload;
  for (int i = 0; i < kArticles; ++i)
    payload += article("a" + std::to_string(i), "Sergei Lavrov met the NATO envoy, item " +
                                                    std::to_string(i) + "." + filler);
  std::atomic<std::size_t> written{0};
  std::atomic<bool> feed_ok{false};
  std::thread feeder([&] {
    e2e::asio::io_context io;
    e2e::tcp::socket feed(io);
    boost::system::error_code ec;
    feed.open(e2e::tcp::v4(), ec);
    feed.set_option(e2e::asio::socket_base::send_buffer_size(8192), ec);
    feed.connect(e2e::tcp::endpoint(e2e::asio::ip::address_v4::loopback(), in_port), ec);
    if (ec) return;
    for (std::size_t at = 0; at < payload.size() && !ec;) {
      const std::size_t n = std::min<std::size_t>(16384, payload.size() - at);
      e2e::asio::write(feed, e2e::asio::buffer(payload.data() + at, n), ec);
      at += n;
      written = at;
    }
    feed.shutdown(e2e::tcp::socket::shutdown_send, ec);
    feed_ok = !ec;
    // Wait for the daemon to close its side (after the drain in the test).
    char c;
    feed.read_some(e2e::asio::buffer(&c, 1), ec);
  });

  // On failure, stop the daemon first so the feeder's blocked write returns.
  struct JoinFeeder {
    e2e::Process& daemon;
    std::thread& feeder;
    ~JoinFeeder() {
      if (!feeder.joinable()) return;
      daemon.signal(SIGKILL);
      feeder.join();
    }
  } join_feeder{daemon, feeder};

  // The output stalls: once the socket buffers on the way are full, the input
  // stays paused and the feed is held back.
  CHECK(metric(paused_key) >= 0);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t last_written = 0;
  int still = 0;  // consecutive samples with the feed blocked and the input paused
  while (still < 5 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::size_t w = written.load();
    still = w == last_written && metric(paused_key) == 1 ? still + 1 : 0;
    last_written = w;
  }
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(still == 5);
  CHECK(metric(paused_key) == 1);
  CHECK(metric("newshound_held_alerts") > 0);
  CHECK(written.load() < payload.size());  // TCP flow control reached the feed
  const auto rss = h::memory_of(pid).rss_kib;
  // Without backpressure the daemon would hold every alert (tens of MiB); with
  // it, what is in flight is a few batches and one output queue.
  const std::uint64_t growth_bound_kib = h::kAsan ? 384 * 1024 : 32 * 1024;
  INFO("RSS at start " << baseline << " KiB, while stalled " << rss << " KiB");
  CHECK(rss < baseline + growth_bound_kib);
  CHECK(metric("newshound_input_paused_seconds_total{input=\"feed\"}") > 0.8);

  // The receiver reads again: reading resumes by itself and every alert arrives.
  receiver.start_reading();
  const auto until2 = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (receiver.distinct() < std::size_t(kArticles) && std::chrono::steady_clock::now() < until2)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(receiver.distinct() == std::size_t(kArticles));
  CHECK(written.load() == payload.size());
  CHECK(metric(paused_key) == 0);
  CHECK(metric("newshound_alerts_rejected_total") == 0);
  CHECK(metric("newshound_held_alerts") == 0);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
  feeder.join();
  CHECK(feed_ok);
}

TEST_CASE("idle timeout: a silent feed connection is closed and counted, a busy one is not") {
  h::Daemon d("idle_timeout_ms = 300\n");
  e2e::asio::io_context io;
  e2e::tcp::socket idle(io), busy(io);
  REQUIRE(e2e::connect(idle, d.in_port()));
  REQUIRE(e2e::connect(busy, d.in_port()));
  // The busy client sends a byte of white space every 100 ms for a second.
  for (int i = 0; i < 10; ++i) {
    boost::system::error_code ec;
    e2e::asio::write(busy, e2e::asio::buffer(std::string(" ")), ec);
    REQUIRE_FALSE(ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // By now the idle one was closed by the daemon: reading gives end of file.
  boost::system::error_code ec;
  char c;
  idle.read_some(e2e::asio::buffer(&c, 1), ec);
  CHECK(ec == e2e::asio::error::eof);
  CHECK(d.wait_metric("newshound_input_idle_timeouts_total{input=\"feed\"}", 1) == 1);
  // The busy one still works.
  e2e::asio::write(busy, e2e::asio::buffer(h::good_article("busy")), ec);
  REQUIRE_FALSE(ec);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < until) {
    for (const auto& l : d.downstream().lines()) seen = seen || h::article_of(l) == "busy";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(seen);
  CHECK(d.stop() == 0);
}

TEST_CASE("memory budget: a config whose worst case exceeds it is refused at its line") {
  e2e::TempDir dir;
  const std::string body =
      "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:7301\"\n"
      "max_connections = 4\nmax_inflight_bytes = 1048576\n" +
      e2e::admin_off + tcp_output(7302, "queue_bytes = 1048576") + watchlists();
  // 4 x (2 x 1 MiB + 1 MiB + 64 KiB + 4 batches x 1 MiB max_alert_bytes) + 1 MiB
  // = about 29.3 MiB.
  e2e::write_file(dir / "small.toml", "memory_budget_bytes = 8388608\n" + body);
  auto r = e2e::run({bin, "check", "--config", (dir / "small.toml").string()});
  CHECK(r.code == 78);
  INFO(r.err);
  CHECK(r.err.find("small.toml:1:") != std::string::npos);
  CHECK(r.err.find("up to 30 MiB") != std::string::npos);
  e2e::write_file(dir / "big.toml", "memory_budget_bytes = 33554432\n" + body);
  CHECK(e2e::run({bin, "check", "--config", (dir / "big.toml").string()}).code == 0);
}

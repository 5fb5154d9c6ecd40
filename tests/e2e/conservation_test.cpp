// Tests (end-to-end): conservation of alerts under acknowledged delivery. The
// daemon (acked TCP input; TCP output with ack = true and a spool) is fed by
// `newshound-replay --ack` into `newshound-receive --ack`, while the test SIGKILLs
// and restarts the receiver several times and the daemon once. Every article the
// replayer got acknowledged must have its alert in the receiver's output at least
// once; duplicates are counted and reported. NEWSHOUND_CONSERVATION_ARTICLES sets
// the article count (default 100,000).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <set>

#include "e2e/harness.hpp"
#include "e2e/hostile_util.hpp"

namespace {
using e2e::bin;
using e2e::src;
namespace h = e2e::hostile;

std::size_t article_count() {
  const char* env = std::getenv("NEWSHOUND_CONSERVATION_ARTICLES");
  if (env == nullptr || *env == '\0') return 100000;
  return std::max<std::size_t>(1000, std::strtoull(env, nullptr, 10));
}

// Every fifth article names nobody (acknowledged without an alert); the others
// name one of four people of people.names, so each raises exactly one alert.
const char* const kPeople[] = {"Sergei Lavrov", "Antony Blinken", "Jens Stoltenberg",
                               "Emmanuel Macron"};
bool raises_alert(std::size_t i) {
  return i % 5 != 4;
}

std::string article(std::size_t i) {
  boost::json::object o;
  o["uri"] = "c" + std::to_string(i);
  o["headline"] = "Item " + std::to_string(i);
  o["body_text"] = raises_alert(i)
                       ? std::string(kPeople[i % 4]) + " spoke, item " + std::to_string(i) + "."
                       : "Nothing of note, item " + std::to_string(i) + ".";
  return boost::json::serialize(o) + "\n";
}

std::string config(std::uint16_t in_port, std::uint16_t out_port, std::uint16_t admin_port,
                   const e2e::fs::path& dir) {
  return "state_dir = \"" + (dir / "state").string() +
         "\"\n[[input]]\ntype = \"tcp\"\nname = \"feed\"\nlisten = \"127.0.0.1:" +
         std::to_string(in_port) +
         "\"\nack = true\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) + "\"\n" +
         "[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
         std::to_string(out_port) + "\"\nack = true\nspool = true\nspool_dir = \"" +
         (dir / "spool").string() +
         "\"\nfsync = \"interval\"\nfsync_interval_ms = 100\n"
         "reconnect_initial_ms = 20\nreconnect_max_ms = 200\n"
         "[[watchlist]]\npath = \"" +
         src + "/config/watchlists/people.names\"\n";
}

std::uint64_t spool_bytes(const e2e::fs::path& dir) {
  std::uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : e2e::fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".seg") n += e2e::fs::file_size(e.path(), ec);
  return n;
}

/// What the receiver's output holds so far, read incrementally. count() only
/// counts new lines (cheap enough to time the kills even in an -O0 ASan build);
/// poll() also parses them.
struct Received {
  e2e::FileTail tail;
  std::size_t lines = 0, torn = 0;
  std::vector<std::string> pending;  // counted, not parsed yet
  std::map<std::string, std::set<std::string>> ids_by_article;
  std::map<std::string, std::size_t> copies;  // alert id -> lines

  explicit Received(const e2e::fs::path& p) : tail(p) {}
  void count() {
    for (auto& l : tail.poll()) {
      ++lines;
      pending.push_back(std::move(l));
    }
  }
  void poll() {
    count();
    for (const auto& l : pending) {
      boost::system::error_code ec;
      auto v = boost::json::parse(l, ec);
      const boost::json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
      const auto* id = o ? o->if_contains("id") : nullptr;
      const auto* art = o ? o->if_contains("article") : nullptr;
      if (!id || !art || !id->is_string() || !art->is_string()) {
        ++torn;  // a receiver killed mid-write leaves a partial line
        continue;
      }
      ids_by_article[std::string(art->as_string())].insert(std::string(id->as_string()));
      ++copies[std::string(id->as_string())];
    }
    pending.clear();
  }
};

}  // namespace

TEST_CASE(
    "conservation: acknowledged articles keep their alerts through receiver and daemon "
    "kills") {
  const std::size_t n = article_count();
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), out_port = e2e::free_port(), admin_port = e2e::free_port();
  e2e::write_file(dir / "c.toml", config(in_port, out_port, admin_port, dir.path));
  std::set<std::string> expected;
  {
    std::string feed;
    for (std::size_t i = 0; i < n; ++i) {
      feed += article(i);
      if (raises_alert(i)) expected.insert("c" + std::to_string(i));
    }
    e2e::write_file(dir / "feed.ndjson", feed);
  }
  const auto tools = e2e::fs::path(bin).parent_path();
  const std::string receive = (tools / "newshound-receive").string();
  const std::string replay = (tools / "newshound-replay").string();
  REQUIRE(e2e::fs::exists(receive));
  REQUIRE(e2e::fs::exists(replay));

  int receivers = 0;
  auto start_receiver = [&] {
    const auto err = dir / ("recv-err" + std::to_string(++receivers));
    auto p = std::make_unique<e2e::Process>(
        std::vector<std::string>{receive, "--ack", "--stats", "--port", std::to_string(out_port),
                                 "--out", (dir / "received.ndjson").string()},
        dir / "recv-out", err);
    const bool up = e2e::wait_for_text(err, "listening on");
    INFO(e2e::read_file(err));
    REQUIRE(up);
    return p;
  };
  int daemons = 0;
  auto start_daemon = [&] {
    ++daemons;
    return std::make_unique<e2e::Process>(
        std::vector<std::string>{bin, "run", "--config", (dir / "c.toml").string()},
        dir / ("daemon-out" + std::to_string(daemons)),
        dir / ("daemon-err" + std::to_string(daemons)));
  };

  auto receiver = start_receiver();
  auto daemon = start_daemon();
  e2e::Process replayer({replay, "--ack", "--port", std::to_string(in_port), "--wait", "120",
                         (dir / "feed.ndjson").string()},
                        dir / "replay-out", dir / "replay-err");

  Received got(dir / "received.ndjson");
  auto logs = [&] {
    std::string s = "replayer: " + e2e::read_file(dir / "replay-err");
    for (int d = 1; d <= daemons; ++d)
      s += "\ndaemon " + std::to_string(d) + ": " +
           e2e::read_file(dir / ("daemon-err" + std::to_string(d))).substr(0, 4000);
    return s;
  };
  // Generous bound for each step: the run's speed varies (sanitizers, a busy machine).
  constexpr auto kStep = std::chrono::seconds(240);
  auto wait_until = [&](auto pred) {
    const auto until = std::chrono::steady_clock::now() + kStep;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  };

  // The daemon first, while the feed is surely mid-way: once a quarter of the
  // articles are acknowledged to the replayer, which must then resend the rest.
  const std::string acks_key = "newshound_input_acks_total{input=\"feed\"}";
  double feed_acks = 0;
  bool ok = wait_until([&] {
    auto m = h::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
    feed_acks = m.count(acks_key) ? m[acks_key] : 0;
    return feed_acks >= double(n) / 4;
  });
  {
    INFO(logs());
    REQUIRE(ok);
  }
  daemon->signal(SIGKILL);
  CHECK(daemon->wait() == 128 + SIGKILL);
  daemon = start_daemon();

  // Then the receiver, four times, by progress (alert lines it wrote, copies
  // included: counting is cheap, so the kills land mid-stream in slow builds too).
  std::string kills;  // alert lines received at each receiver kill, for the report
  for (const double at : {0.10, 0.25, 0.40, 0.55}) {
    const auto want = static_cast<std::size_t>(at * double(expected.size()));
    ok = wait_until([&] {
      got.count();
      return got.lines >= want;
    });
    INFO(logs());
    REQUIRE(ok);
    receiver->signal(SIGKILL);
    CHECK(receiver->wait() == 128 + SIGKILL);
    kills += " " + std::to_string(got.lines);
    // Down for a while: until the daemon spools alerts, or a second passes.
    const auto before = spool_bytes(dir / "spool");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (spool_bytes(dir / "spool") == before && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    receiver = start_receiver();
  }

  const int replayed = replayer.wait(kStep);
  {
    INFO(logs());
    REQUIRE(replayed == 0);  // every article acknowledged
  }
  // Acknowledged may mean spooled: wait (bounded) until the spool has drained too.
  std::vector<std::string> missing;
  const auto until = std::chrono::steady_clock::now() + kStep;
  for (;;) {
    got.poll();
    missing.clear();
    for (const auto& a : expected)
      if (!got.ids_by_article.count(a)) missing.push_back(a);
    if (missing.empty() || std::chrono::steady_clock::now() > until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  receiver->signal(SIGTERM);
  CHECK(receiver->wait() == 0);
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
  got.poll();

  std::size_t duplicates = 0, unexpected = 0, ids_per_article = 0;
  for (const auto& [id, c] : got.copies) duplicates += c - 1;
  for (const auto& [a, ids] : got.ids_by_article) {
    if (!expected.count(a)) ++unexpected;
    if (ids.size() != 1) ++ids_per_article;
  }
  const std::string report =
      std::to_string(n) + " articles, " + std::to_string(expected.size()) + " alerts expected; " +
      std::to_string(got.lines) + " lines received, " + std::to_string(got.copies.size()) +
      " distinct alerts, " + std::to_string(duplicates) + " duplicates, " +
      std::to_string(got.torn) + " torn lines; receiver killed at" + kills +
      " alert lines, daemon after " + std::to_string(std::uint64_t(feed_acks)) +
      " feed acks; last receiver: " +
      e2e::read_file(dir / ("recv-err" + std::to_string(receivers)));
  WARN("conservation: " << report);
  INFO(logs());
  INFO("daemon kill after " << feed_acks << " feed acks");
  INFO("first missing: " << (missing.empty() ? std::string("none") : missing.front()));
  CHECK(missing.empty());
  CHECK(unexpected == 0);
  CHECK(ids_per_article == 0);  // duplicates carry the same alert id
  CHECK(got.copies.size() == expected.size());
  CHECK(e2e::read_file(dir / "replay-err").find("reconnecting to send them again") !=
        std::string::npos);
}

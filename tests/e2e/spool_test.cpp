// Tests (end-to-end): the disk spool of a TCP output. Alerts raised while the
// receiver is down go to the spool; the daemon is killed with SIGKILL; restarted
// with the receiver up, it delivers every one of them. A spool damaged while the
// daemon was down (flipped bit, torn tail) costs only the damaged records. Config
// errors about spools name the file and line.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "e2e/harness.hpp"

namespace {
using e2e::bin;
using e2e::src;

std::string article(const std::string& id) {
  boost::json::object o;
  o["uri"] = id;
  o["headline"] = "TALKS";
  o["body_text"] = "Sergei Lavrov met reporters (" + id + ").";
  return boost::json::serialize(o) + "\n";
}

std::string config(std::uint16_t in_port, std::uint16_t out_port, const e2e::fs::path& spool,
                   const std::string& admin = e2e::admin_off) {
  return "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) + "\"\n" +
         admin + "[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
         std::to_string(out_port) +
         "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n"
         "spool = true\nspool_dir = \"" +
         spool.string() +
         "\"\nfsync = \"always\"\n\n"
         "[[watchlist]]\npath = \"" +
         src + "/config/watchlists/people.names\"\n";
}

std::vector<e2e::fs::path> segments(const e2e::fs::path& dir) {
  std::vector<e2e::fs::path> out;
  std::error_code ec;
  for (const auto& e : e2e::fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".seg") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Records in the spool's segment files (walking the length prefixes).
std::size_t spooled_records(const e2e::fs::path& dir) {
  std::size_t n = 0;
  for (const auto& seg : segments(dir)) {
    const std::string b = e2e::read_file(seg);
    std::size_t off = 16;
    while (off + 8 <= b.size()) {
      std::uint32_t len = 0;
      for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(b[off + i]);
      if (off + 8 + len > b.size()) break;
      off += 8 + len;
      ++n;
    }
  }
  return n;
}

std::set<std::string> articles_of(const std::vector<std::string>& lines) {
  std::set<std::string> out;
  for (const auto& l : lines)
    out.insert(std::string(boost::json::parse(l).at("article").as_string()));
  return out;
}

struct Killed {
  e2e::TempDir dir;
  std::uint16_t in_port = e2e::free_port(), out_port = e2e::free_port();
  e2e::fs::path spool = dir / "spool";
};

// Runs the daemon with its receiver down, feeds `n` matching articles, waits until
// all are in the spool, then SIGKILLs it.
void spool_then_kill(Killed& k, int n) {
  e2e::write_file(k.dir / "n.toml", config(k.in_port, k.out_port, k.spool));
  e2e::Process daemon({bin, "run", "--config", (k.dir / "n.toml").string()}, k.dir / "out1",
                      k.dir / "err1");
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, k.in_port));
  std::string payload;
  for (int i = 0; i < n; ++i) payload += article("a" + std::to_string(i));
  e2e::asio::write(feed, e2e::asio::buffer(payload));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (spooled_records(k.spool) < std::size_t(n) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  INFO(e2e::read_file(k.dir / "err1"));
  REQUIRE(spooled_records(k.spool) == std::size_t(n));
  daemon.signal(SIGKILL);
  CHECK(daemon.wait() == 128 + SIGKILL);
}

}  // namespace

TEST_CASE("spool e2e: alerts spooled while the receiver is down survive SIGKILL") {
  Killed k;
  constexpr int n = 30;
  spool_then_kill(k, n);

  e2e::LineCollector receiver(k.out_port);
  e2e::Process daemon({bin, "run", "--config", (k.dir / "n.toml").string()}, k.dir / "out2",
                      k.dir / "err2");
  auto lines = receiver.wait_for(n);
  INFO(e2e::read_file(k.dir / "err2"));
  REQUIRE(lines.size() >= std::size_t(n));
  const auto got = articles_of(lines);
  CHECK(got.size() == std::size_t(n));
  // In order: the spool is read oldest first.
  CHECK(std::string(boost::json::parse(lines.front()).at("article").as_string()) == "a0");
  CHECK(e2e::read_file(k.dir / "err2").find("left from a previous run") != std::string::npos);

  // New alerts still flow once the backlog is gone.
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, k.in_port));
  e2e::asio::write(feed, e2e::asio::buffer(article("after")));
  lines = receiver.wait_for(n + 1);
  CHECK(articles_of(lines).count("after") == 1);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("spool e2e: a damaged spool costs only its damaged records, start-up goes on") {
  Killed k;
  constexpr int n = 10;
  spool_then_kill(k, n);
  const auto segs = segments(k.spool);
  REQUIRE(segs.size() == 1);
  std::string bytes = e2e::read_file(segs[0]);
  // One byte changed inside the fourth record: its article id, after its length prefix.
  const auto at =
      bytes.find(std::string("\x02\x00\x00\x00"
                             "a3",
                             6));
  REQUIRE(at != std::string::npos);
  bytes[at + 4] = 'b';
  bytes.resize(bytes.size() - 3);  // and the last record torn
  e2e::write_file(segs[0], bytes);

  const auto admin_port = e2e::free_port();
  e2e::write_file(k.dir / "n.toml",
                  config(k.in_port, k.out_port, k.spool,
                         "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) + "\"\n"));
  e2e::LineCollector receiver(k.out_port);
  e2e::Process daemon({bin, "run", "--config", (k.dir / "n.toml").string()}, k.dir / "out2",
                      k.dir / "err2");
  auto lines = receiver.wait_for(n - 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // nothing more should come
  lines = receiver.lines();
  const std::string err = e2e::read_file(k.dir / "err2");
  INFO(err);
  const auto got = articles_of(lines);
  CHECK(got.size() == std::size_t(n - 2));
  CHECK(got.count("a3") == 0);
  CHECK(got.count("a9") == 0);
  CHECK(got.count("a8") == 1);
  CHECK(err.find("bad checksum") != std::string::npos);
  CHECK(err.find("partial record") != std::string::npos);
  // Counted in /metrics, by output.
  const std::string sink = "{sink=\"tcp:127.0.0.1:" + std::to_string(k.out_port) + "\"} ";
  const std::string metrics = e2e::http(admin_port, "GET", "/metrics").body;
  INFO(metrics);
  CHECK(metrics.find("newshound_spool_bad_records_total" + sink + "1\n") != std::string::npos);
  CHECK(metrics.find("newshound_spool_torn_tails_total" + sink + "1\n") != std::string::npos);
  CHECK(metrics.find("newshound_spool_open" + sink + "1\n") != std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("spool e2e: spool settings are checked with file and line") {
  e2e::TempDir dir;
  const std::string wl = "[[watchlist]]\npath = \"" + src + "/config/watchlists/people.names\"\n";
  e2e::write_file(dir / "shared.toml",
                  "[[output]]\ntype = \"tcp\"\nconnect = \"127.0.0.1:9\"\nspool = true\n"
                  "spool_dir = \"s\"\n\n[[output]]\ntype = \"file\"\npath = \"a.ndjson\"\n"
                  "spool = true\nspool_dir = \"s\"\n\n" +
                      wl);
  auto r = e2e::run({bin, "check", "--config", (dir / "shared.toml").string()});
  CHECK(r.code == 78);
  CHECK(r.err.find("shared.toml:11:") != std::string::npos);
  CHECK(r.err.find("spool folder") != std::string::npos);

  e2e::write_file(dir / "stdout.toml", "[[output]]\ntype = \"stdout\"\nspool = true\n\n" + wl);
  r = e2e::run({bin, "check", "--config", (dir / "stdout.toml").string()});
  CHECK(r.code == 78);
  CHECK(r.err.find("stdout.toml:3:") != std::string::npos);
  CHECK(r.err.find("'spool' does not apply to a stdout output") != std::string::npos);

  // The default folder: <state_dir>/spool/<output name, sanitized>.
  e2e::write_file(dir / "ok.toml",
                  "state_dir = \"state\"\n[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = "
                  "\"127.0.0.1:9\"\nspool = true\n\n" +
                      wl);
  r = e2e::run({bin, "check", "--config", (dir / "ok.toml").string()});
  INFO(r.err);
  CHECK(r.code == 0);
}

TEST_CASE("spool e2e: an alert larger than the in-memory queue is delivered, nothing stuck") {
  // Issue 19, item 1: with spool = true the in-memory queue is 1 MiB, and the tcp
  // sink refused an alert larger than that even into an empty queue: a 30 KB
  // article naming one entity 5,000 times (a 1.35 MB alert) left it and the 200
  // alerts behind it in the spool, 0 sent. An empty queue now takes any one alert.
  // The alert bounds are raised so that this alert stays whole (> 1 MiB).
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), out_port = e2e::free_port();
  const auto admin_port = e2e::free_port();
  const std::string admin = "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) + "\"\n";
  e2e::write_file(dir / "big.toml", "max_matches_per_alert = 10000\nmax_alert_bytes = 4194304\n" +
                                        config(in_port, out_port, dir / "spool", admin));
  const auto tools = e2e::fs::path(bin).parent_path();
  const auto received = dir / "received.ndjson";
  e2e::Process receiver({(tools / "newshound-receive").string(), "--port", std::to_string(out_port),
                         "--out", received.string()},
                        dir / "recv-out", dir / "recv-err");
  REQUIRE(e2e::wait_for_text(dir / "recv-err", "listening on"));
  e2e::Process daemon({bin, "run", "--config", (dir / "big.toml").string()}, dir / "out",
                      dir / "err");

  std::string body;
  for (int i = 0; i < 5000; ++i) body += "Lavrov ";
  boost::json::object big;
  big["uri"] = "big";
  big["headline"] = "NAMES";
  big["body_text"] = body;
  std::string payload = boost::json::serialize(big) + "\n";
  constexpr int kAfter = 200;
  for (int i = 0; i < kAfter; ++i) payload += article("after" + std::to_string(i));
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, in_port));
  e2e::asio::write(feed, e2e::asio::buffer(payload));

  auto lines_of = [&] { return e2e::complete_lines(received); };
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (lines_of().size() < kAfter + 1 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  INFO(e2e::read_file(dir / "err").substr(0, 4000));
  const auto lines = lines_of();
  REQUIRE(lines.size() == kAfter + 1);
  const auto got = articles_of(lines);
  CHECK(got.size() == std::size_t(kAfter + 1));
  CHECK(got.count("big") == 1);
  CHECK(got.count("after199") == 1);
  // The big alert arrived whole, first (the spool keeps order), and is larger than the queue.
  CHECK(std::string(boost::json::parse(lines.front()).at("article").as_string()) == "big");
  CHECK(lines.front().size() > (std::size_t{1} << 20));
  const auto root = boost::json::parse(lines.front()).as_object();
  CHECK(root.at("matches").as_array().size() == 5000);
  CHECK_FALSE(root.contains("truncated"));
  // Nothing left in the spool.
  const auto spool_until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string metrics;
  auto records = [&] {
    metrics = e2e::http(admin_port, "GET", "/metrics").body;
    const auto at = metrics.find("newshound_spool_records{");
    if (at == std::string::npos) return std::string("missing");
    const auto eol = metrics.find('\n', at);
    return metrics.substr(metrics.rfind(' ', eol) + 1, eol - metrics.rfind(' ', eol) - 1);
  };
  while (records() != "0" && std::chrono::steady_clock::now() < spool_until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  INFO(metrics);
  CHECK(records() == "0");
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
  receiver.signal(SIGTERM);
  receiver.wait();
}

// Tests (end-to-end): `[[output]] type = "jetstream"` (issue 16) against a real
// `nats-server -js` on a free loopback port: every alert is one message with
// Nats-Msg-Id = alert id, so the same alert published twice is stored once;
// `{list}` in the subject; alerts raised while the server is down are published
// once it is back (nothing lost); a server that stops answering (SIGSTOP) makes
// the publishes time out (ack_wait_ms), the alerts are kept and published again
// once it answers, each stored once; a SIGTERM with publishes outstanding exits
// cleanly within the grace and leaves their articles unacknowledged (the feed
// sends them again); a hung server that lets the socket fill does not stall the
// event loop (the publishes wait on the output's worker thread until the write
// deadline fails the connection; the admin endpoint answers throughout, and
// promptly), every alert is stored once after it resumes, and a SIGTERM
// meanwhile exits; a reload replacing an output whose connect to a hung server
// is under way does not wait for it; wrong credentials are refused with the
// server's words in the log.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "e2e/hostile_util.hpp"
#include "e2e/nats_server.hpp"

namespace {
using e2e::bin;

/// Polls `f` every 20 ms for up to 20 s.
bool js_out_eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 1000; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

/// A daemon config: tcp listen input on `in_port`, one jetstream output; the admin
/// endpoint on `admin_port`, or off.
std::string js_out_config(std::uint16_t in_port, const std::string& url,
                          const std::string& extra = "", std::uint16_t admin_port = 0) {
  const std::string admin =
      admin_port == 0 ? e2e::admin_off
                      : "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_port) + "\"\n";
  return "shutdown_grace_ms = 2000\n" + admin +
         "[[input]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:" + std::to_string(in_port) +
         "\"\n[[output]]\nstories = \"all\"\ntype = \"jetstream\"\nurl = \"" + url +
         "\"\nsubject = \"alerts.{list}\"\nreconnect_initial_ms = 50\nreconnect_max_ms = 300\n" +
         extra + "[[watchlist]]\npath = \"" + e2e::people + "\"\n";
}

void js_out_feed(std::uint16_t port, const std::string& payload) {
  e2e::asio::io_context io;
  e2e::tcp::socket feed(io);
  REQUIRE(e2e::connect(feed, port));
  e2e::asio::write(feed, e2e::asio::buffer(payload));
}

std::string js_out_article(const std::string& id) {
  return e2e::article(id, "Sergei Lavrov met reporters (" + id + ").");
}

/// The messages in stream ALERTS and how many distinct Nats-Msg-Id they carry.
std::pair<std::size_t, std::size_t> js_out_stored(e2e::natstest::Client& client) {
  const auto msgs = client.read_all("ALERTS", "alerts.>");
  std::set<std::string> ids;
  for (const auto& m : msgs) ids.insert(m.msg_id);
  return {msgs.size(), ids.size()};
}

/// One sample of the daemon's /metrics on `admin_port` (-1 when missing).
double js_out_metric(std::uint16_t admin_port, const std::string& key) {
  auto m = e2e::hostile::parse_metrics(e2e::http(admin_port, "GET", "/metrics").body);
  return m.count(key) ? m[key] : -1.0;
}

/// The status and body of GET `path` on 127.0.0.1:`port`, status 0 when no
/// answer came within `bound`: a liveness bound far beyond any answer's time (an
/// event loop blocked in a write to a hung server never answers).
e2e::HttpReply js_out_get_within(std::uint16_t port, const std::string& path,
                                 std::chrono::seconds bound = std::chrono::seconds(20)) {
  e2e::asio::io_context io;
  e2e::tcp::socket s(io);
  if (!e2e::connect(s, port)) return {};
  const std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  std::string resp;
  bool done = false;
  e2e::asio::async_write(s, e2e::asio::buffer(req), [](auto, auto) {});
  e2e::asio::async_read(s, e2e::asio::dynamic_buffer(resp), [&](auto, auto) { done = true; });
  io.run_for(bound);
  e2e::HttpReply r;
  const auto body = resp.find("\r\n\r\n");
  if (!done || resp.size() < 12 || body == std::string::npos) return r;
  r.status = std::atoi(resp.c_str() + 9);
  r.body = resp.substr(body + 4);
  return r;
}

/// `n` articles whose alerts are about 2 KB each (a dozen matches).
std::string js_out_big_articles(const std::string& prefix, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string id = prefix + std::to_string(i);
    std::string body;
    for (int k = 0; k < 12; ++k)
      body += "Sergei Lavrov met reporters (" + id + ", " + std::to_string(k) + "). ";
    out += e2e::article(id, body);
  }
  return out;
}

/// A nats-server with stream ALERTS, and a daemon whose output `js` has a window
/// far beyond what the socket buffers hold (max_pending) and no ack timeout within
/// a test (ack_wait_ms): against a hung server, only the write deadline ends its
/// writes. The admin endpoint is on `admin_port`.
struct HungOutput {
  e2e::natstest::Server server;
  e2e::natstest::Client client{server.url()};
  e2e::TempDir dir;
  std::uint16_t in_port = e2e::free_port(), admin_port = e2e::free_port();
  std::unique_ptr<e2e::Process> daemon;

  /// Starts the daemon once the stream exists; true when its output connected.
  bool start() {
    if (!client.ok() || !client.add_stream("ALERTS", "alerts.>")) return false;
    e2e::write_file(
        dir / "c.toml",
        js_out_config(in_port, server.url(),
                      "name = \"js\"\nmax_pending = 100000\nack_wait_ms = 600000\n", admin_port));
    daemon = std::make_unique<e2e::Process>(
        std::vector<std::string>{bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
        dir / "err");
    return e2e::wait_for_text(dir / "err", "sink js: connected to " + server.url());
  }
};
}  // namespace

TEST_CASE(
    "jetstream output: one message per alert with Nats-Msg-Id, a republished alert stored once") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ALERTS", "alerts.>"));
  e2e::TempDir dir;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "c.toml", js_out_config(in_port, server.url()));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  // a0 twice: the same article id, so the same alert id; the second is a duplicate.
  js_out_feed(in_port, js_out_article("a0") + js_out_article("a1") + js_out_article("a0") +
                           js_out_article("a2"));
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(js_out_eventually([&] { return client.count("ALERTS") >= 3; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a fourth would show by now
  const auto msgs = client.read_all("ALERTS", "alerts.>");
  REQUIRE(msgs.size() == 3);
  std::set<std::string> articles;
  for (const auto& m : msgs) {
    const auto alert = boost::json::parse(m.data).as_object();
    CHECK(m.msg_id == std::string(alert.at("id").as_string()));
    CHECK(m.subject == "alerts.people");
    articles.insert(std::string(alert.at("article").as_string()));
  }
  CHECK(articles == std::set<std::string>{"a0", "a1", "a2"});
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream output: alerts raised while the server is down are published once it is back") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  {
    e2e::natstest::Client client(server.url());
    REQUIRE(client.ok());
    REQUIRE(client.add_stream("ALERTS", "alerts.>"));
  }
  e2e::TempDir dir;
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "c.toml", js_out_config(in_port, server.url(),
                                                "spool = true\nspool_dir = \"" +
                                                    (dir / "spool").string() + "\"\n"));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  std::string first, second;
  for (int i = 0; i < 20; ++i) first += js_out_article("b" + std::to_string(i));
  for (int i = 20; i < 40; ++i) second += js_out_article("b" + std::to_string(i));
  js_out_feed(in_port, first);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.stop();
  js_out_feed(in_port, second);  // raised while the server is down
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  REQUIRE(server.start());
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(js_out_eventually([&] { return client.count("ALERTS") >= 40; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(client.count("ALERTS") == 40);
  std::set<std::string> ids;
  for (const auto& m : client.read_all("ALERTS", "alerts.>")) ids.insert(m.msg_id);
  CHECK(ids.size() == 40);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream output: acks that never come time out, the alerts are kept and each stored once") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ALERTS", "alerts.>"));
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), admin_port = e2e::free_port();
  e2e::write_file(dir / "c.toml", js_out_config(in_port, server.url(),
                                                "name = \"js\"\nack_wait_ms = 500\n", admin_port));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  INFO(e2e::read_file(dir / "err"));
  std::string first, second;
  for (int i = 0; i < 10; ++i) first += js_out_article("t" + std::to_string(i));
  for (int i = 10; i < 40; ++i) second += js_out_article("t" + std::to_string(i));
  js_out_feed(in_port, first);
  REQUIRE(js_out_eventually([&] { return client.count("ALERTS") >= 10; }));
  const std::string sent = "newshound_sink_sent_total{sink=\"js\"}";
  const std::string failures = "newshound_sink_failures_total{sink=\"js\"}";
  const std::string queued = "newshound_sink_queued_alerts{sink=\"js\"}";
  const std::string unacked = "newshound_sink_unacked_alerts{sink=\"js\"}";
  REQUIRE(js_out_eventually([&] { return js_out_metric(admin_port, sent) == 10; }));
  const double failed_before = js_out_metric(admin_port, failures);

  // The server hangs: the publishes are written, their acks never come.
  server.pause();
  js_out_feed(in_port, second);
  REQUIRE(e2e::wait_for_text(dir / "err", "no publish ack from " + server.url()));
  CHECK(e2e::read_file(dir / "err").find("within 500 ms (ack_wait_ms)") != std::string::npos);
  // Timed out: given back to the queue (none awaits an ack), counted a failure.
  CHECK(js_out_eventually([&] {
    return js_out_metric(admin_port, queued) == 30 && js_out_metric(admin_port, unacked) == 0;
  }));
  CHECK(js_out_metric(admin_port, failures) > failed_before);
  CHECK(js_out_metric(admin_port, sent) == 10);
  CHECK(daemon.running());

  // Answering again: every alert is in the stream once, counted sent once.
  server.resume();
  REQUIRE(js_out_eventually([&] { return js_out_metric(admin_port, sent) >= 40; }));
  CHECK(js_out_eventually([&] { return client.count("ALERTS") >= 40; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a duplicate would show by now
  CHECK(js_out_stored(client) == std::pair<std::size_t, std::size_t>{40, 40});
  CHECK(js_out_metric(admin_port, sent) == 40);
  CHECK(js_out_metric(admin_port, queued) == 0);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream output: SIGTERM with publishes outstanding on a hung server exits cleanly, their "
    "articles unacknowledged and sent again") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ALERTS", "alerts.>"));
  e2e::TempDir dir;
  const auto in_port = e2e::free_port(), admin_port = e2e::free_port();
  // ack_wait_ms far beyond the grace: the publishes are still outstanding at the stop.
  std::string cfg =
      js_out_config(in_port, server.url(), "name = \"js\"\nack_wait_ms = 600000\n", admin_port);
  cfg.replace(cfg.find("type = \"tcp\"\n"), 0, "name = \"feed\"\nack = true\n");
  e2e::write_file(dir / "c.toml", cfg);
  std::string feed;
  for (int i = 0; i < 20; ++i) feed += js_out_article("s" + std::to_string(i));
  e2e::write_file(dir / "feed.ndjson", feed);
  auto daemon = std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "c.toml").string()}, dir / "out1",
      dir / "err1");
  INFO(e2e::read_file(dir / "err1"));
  REQUIRE(e2e::wait_for_text(dir / "err1", "sink js: connected to " + server.url()));
  server.pause();
  const std::string replay = (e2e::fs::path(bin).parent_path() / "newshound-replay").string();
  REQUIRE(e2e::fs::exists(replay));
  e2e::Process replayer({replay, "--ack", "--port", std::to_string(in_port), "--wait", "60",
                         "--timeout", "120", (dir / "feed.ndjson").string()},
                        dir / "rout", dir / "rerr");
  const std::string unacked = "newshound_sink_unacked_alerts{sink=\"js\"}";
  REQUIRE(js_out_eventually([&] { return js_out_metric(admin_port, unacked) == 20; }));
  CHECK(js_out_metric(admin_port, "newshound_input_acks_total{input=\"feed\"}") == 0);
  const auto t0 = std::chrono::steady_clock::now();
  daemon->signal(SIGTERM);
  CHECK(daemon->wait(std::chrono::seconds(15)) == 0);
  // shutdown_grace_ms = 2000, and a generous margin: nats.c's close (which
  // waits up to 0.5 s for a server's PONG) runs on the output's helper thread,
  // not on the event loop past the grace.
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < std::chrono::milliseconds(2000 + 1500));
  const std::string log = e2e::read_file(dir / "err1");
  CHECK(log.find("sink js: closing with 20 alerts unsent (20 of them sent, unconfirmed)") !=
        std::string::npos);
  CHECK(log.find(" info stopped") != std::string::npos);
  daemon.reset();

  // The server answers again; a new daemon gets the articles the replayer resends.
  server.resume();
  daemon = std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "c.toml").string()}, dir / "out2",
      dir / "err2");
  INFO(e2e::read_file(dir / "err2"));
  INFO(e2e::read_file(dir / "rerr"));
  CHECK(replayer.wait(std::chrono::seconds(120)) == 0);
  CHECK(js_out_eventually([&] { return client.count("ALERTS") >= 20; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a duplicate would show by now
  CHECK(js_out_stored(client) == std::pair<std::size_t, std::size_t>{20, 20});
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE("jetstream output: wrong credentials are refused with the server's words in the log") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server({"--user", "hound", "--pass", "right-secret"});
  e2e::TempDir dir;
  e2e::write_file(dir / "pw", "wrong-secret\n");
  const auto in_port = e2e::free_port();
  e2e::write_file(dir / "c.toml", js_out_config(in_port, server.url(),
                                                "user = \"hound\"\npassword_file = \"" +
                                                    (dir / "pw").string() + "\"\n"));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  CHECK(e2e::wait_for_text(dir / "err", "Authorization Violation"));
  CHECK(e2e::read_file(dir / "err").find("cannot connect to " + server.url()) != std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream output: a hung server that stops reading does not stall the event loop, and once it "
    "reads again every alert is stored once") {
  if (!e2e::natstest::have_server()) return;
  HungOutput h;
  const bool started = h.start();
  INFO(e2e::read_file(h.dir / "err"));
  REQUIRE(started);
  auto& [server, client, dir, in_port, admin_port, process] = h;
  e2e::Process& daemon = *process;
  const std::string sent = "newshound_sink_sent_total{sink=\"js\"}";
  const std::string failures = "newshound_sink_failures_total{sink=\"js\"}";
  const double failed_before = js_out_metric(admin_port, failures);

  // The server stops reading; 6,000 alerts of about 2 KB (12 MB) outgrow the
  // loopback socket buffers, so nats.c's writes cannot finish.
  server.pause();
  constexpr int kAlerts = 6000;
  js_out_feed(in_port, js_out_big_articles("h", kAlerts));
  // The event loop answers the admin endpoint throughout, until the write
  // deadline has failed the connection (counted a sink failure), and promptly:
  // the publishes wait in the write on the output's worker thread, not on the
  // loop (a daemon that publishes on the loop answers a request made during
  // that write only when the 2 s write deadline has run out).
  bool failed = false;
  auto slowest = std::chrono::steady_clock::duration::zero();
  for (int i = 0; i < 300 && !failed; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = js_out_get_within(admin_port, "/metrics");
    slowest = std::max(slowest, std::chrono::steady_clock::now() - t0);
    REQUIRE(r.status == 200);  // 0: the loop is stuck in a write to the hung server
    auto m = e2e::hostile::parse_metrics(r.body);
    failed = m.count(failures) && m[failures] > failed_before;
    if (!failed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(failed);
  // Generous: an answer takes milliseconds; the write deadline is 2000 ms.
  CHECK(slowest < std::chrono::milliseconds(1500));
  CHECK(js_out_get_within(admin_port, "/healthz").status == 200);
  CHECK(daemon.running());

  // Reading again: every alert is in the stream once (what the failed
  // connection had written is dropped by Msg-Id when published again).
  server.resume();
  bool all = false;
  for (int i = 0; i < 6 && !all; ++i)
    all = js_out_eventually([&] { return js_out_metric(admin_port, sent) >= kAlerts; });
  REQUIRE(all);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a duplicate would show by now
  CHECK(js_out_stored(client) ==
        std::pair<std::size_t, std::size_t>{std::size_t(kAlerts), std::size_t(kAlerts)});
  CHECK(js_out_metric(admin_port, sent) == kAlerts);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream output: SIGTERM while a hung server leaves the output's writes unfinished exits "
    "within shutdown_grace_ms") {
  if (!e2e::natstest::have_server()) return;
  HungOutput h;
  const bool started = h.start();
  INFO(e2e::read_file(h.dir / "err"));
  REQUIRE(started);
  auto& [server, client, dir, in_port, admin_port, process] = h;
  e2e::Process& daemon = *process;
  server.pause();
  js_out_feed(in_port, js_out_big_articles("g", 6000));
  // Publishes have gone to the hung server: some await their acks, or a write
  // already ran into the deadline and failed the connection (a loaded machine
  // can answer /metrics only after that, when nothing awaits an ack any more).
  const std::string unacked = "newshound_sink_unacked_alerts{sink=\"js\"}";
  const std::string failures = "newshound_sink_failures_total{sink=\"js\"}";
  bool held = false;
  for (int i = 0; i < 1000 && !held; ++i) {
    const auto r = js_out_get_within(admin_port, "/metrics");
    REQUIRE(r.status == 200);  // 0: the loop is stuck in a write to the hung server
    auto m = e2e::hostile::parse_metrics(r.body);
    held = m[unacked] > 0 || m[failures] > 0;
    if (!held) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(held);
  const auto t0 = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  // Without a write deadline the event loop never got out of the write to act
  // on the signal. The bound: shutdown_grace_ms (2000), plus one connect attempt
  // to the hung server that the output may have begun after the write deadline
  // failed its connection (nats.c's connect cannot be interrupted: the exit
  // waits for the output's worker thread, up to that 3 s timeout, so that no
  // nats.c connection outlives the daemon), plus a generous margin.
  CHECK(daemon.wait(std::chrono::seconds(30)) == 0);
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < std::chrono::milliseconds(2000 + 3000 + 1500));
  CHECK(e2e::read_file(dir / "err").find(" info stopped") != std::string::npos);
}

TEST_CASE(
    "jetstream output: a reload that replaces an output connecting to a hung server does not wait "
    "for that connect, and a SIGTERM then exits cleanly") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client{server.url()};
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ALERTS", "alerts.>"));
  e2e::TempDir dir;
  const std::uint16_t in_port = e2e::free_port(), admin_port = e2e::free_port();
  const auto config = [&](const std::string& subject) {
    std::string c = js_out_config(in_port, server.url(), "name = \"js\"\n", admin_port);
    const std::string from = "subject = \"alerts.{list}\"";
    return c.replace(c.find(from), from.size(), "subject = \"" + subject + "\"");
  };
  e2e::write_file(dir / "c.toml", config("alerts.{list}"));
  // Hung from the start: every connect of the output waits for nats.c's 3 s
  // connect timeout (the kernel accepts; the server never says INFO).
  server.pause();
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(
      js_out_eventually([&] { return js_out_get_within(admin_port, "/healthz").status == 200; }));
  // Replaced while its connect is under way (the first one runs for 3 s).
  e2e::write_file(dir / "c.toml", config("alerts.two.{list}"));
  daemon.signal(SIGHUP);
  // The loop answers throughout: the old output's connect is left to its worker
  // thread (a daemon that joined it in the reload answered only after it ended).
  auto slowest = std::chrono::steady_clock::duration::zero();
  bool reloaded = false;
  for (int i = 0; i < 40; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = js_out_get_within(admin_port, "/metrics");
    slowest = std::max(slowest, std::chrono::steady_clock::now() - t0);
    REQUIRE(r.status == 200);
    reloaded = reloaded || e2e::read_file(dir / "err").find("output js removed or changed") !=
                               std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(reloaded);
  CHECK(slowest < std::chrono::milliseconds(1500));  // generous: answers take milliseconds
  // Stopped with both outputs' connects to the hung server perhaps still under
  // way: exit 0, every NATS thread ended first (nats::close_library says so
  // otherwise on stderr).
  daemon.signal(SIGTERM);
  CHECK(daemon.wait(std::chrono::seconds(30)) == 0);
  const std::string err = e2e::read_file(dir / "err");
  CHECK(err.find(" info stopped") != std::string::npos);
  CHECK(err.find("did not end") == std::string::npos);
  CHECK(err.find("did not release") == std::string::npos);
  server.resume();
}

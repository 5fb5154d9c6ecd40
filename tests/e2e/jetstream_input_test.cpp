// Tests (end-to-end): `[[input]] type = "jetstream"` (issue 16) against a real
// `nats-server -js`: a durable pull consumer is created and its articles alert
// and are acknowledged; a message that does not decode is terminated and
// published to the dead-letter subject; several daemons on one durable share the
// work, and with a jetstream output every alert lands exactly once in the alert
// stream across a SIGKILL of one daemon and a restart of nats-server; /readyz
// says when the server is gone; without a subject the whole stream is read, a
// message over max_line_bytes is terminated and dead-lettered; an input stopped
// and replaced (reload) while its fetches are in flight loses nothing; messages
// that arrive unasked (another pull request answered to the input's inbox) are
// taken a batch at a time; acknowledgements that cannot be sent (the server
// gone while messages are held) are counted and logged; a reload replacing an
// input whose connect to a hung server is under way does not wait for it.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>
#include <unordered_set>

#include "e2e/hostile_util.hpp"
#include "e2e/nats_server.hpp"
#include "e2e/ndjson_file.hpp"
#include "e2e/stalled_receiver.hpp"

namespace {

// Distinct articles with an alert in `file`, complete lines only (the daemon may
// be writing the last one).
std::size_t alerted_articles(const e2e::fs::path& file) {
  std::set<std::string> ids;
  for (const auto& a : e2e::ndjson_objects(file))
    ids.insert(std::string(a.at("article").as_string()));
  return ids.size();
}
using e2e::bin;

/// Articles of the three-daemon test: the 20,000, or
/// NEWSHOUND_JETSTREAM_ARTICLES (at least 1,000; the TSan phase sets fewer, as it
/// does for the conservation test).
int js_in_article_count() {
  const char* env = std::getenv("NEWSHOUND_JETSTREAM_ARTICLES");
  if (env == nullptr || *env == '\0') return 20000;
  return std::max(1000, std::atoi(env));
}

/// Polls `f` every 50 ms for up to `seconds`.
bool js_in_eventually(const std::function<bool()>& f, int seconds = 30) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// A daemon reading ARTICLES through durable "nh", alerts to `output` (a TOML
/// [[output]] table), admin on `admin`.
std::string js_in_config(const std::string& url, std::uint16_t admin, const std::string& output,
                         const std::string& extra = "") {
  return "shutdown_grace_ms = 2000\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin) +
         "\"\n[[input]]\ntype = \"jetstream\"\nname = \"js\"\nurl = \"" + url +
         "\"\nstream = \"ARTICLES\"\nsubject = \"articles.>\"\ndurable = \"nh\"\nbatch = 16\n"
         "ack_wait_ms = 5000\nmax_deliver = 3\nreconnect_initial_ms = 50\nreconnect_max_ms = "
         "300\n" +
         extra + output + "[[watchlist]]\npath = \"" + e2e::people + "\"\n";
}

std::string js_in_article(const std::string& id, bool match = true) {
  return e2e::article(id, match ? "Sergei Lavrov met reporters (" + id + ")."
                                : "Nothing to see here (" + id + ").");
}

double js_in_metric(std::uint16_t admin, const std::string& key) {
  const auto m = e2e::hostile::parse_metrics(e2e::http(admin, "GET", "/metrics").body);
  const auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE(
    "jetstream input: articles alert and are acked, an undecodable one is dead-lettered, a blank "
    "one given up after max_deliver") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  REQUIRE(client.add_stream("DEAD", "dead.>"));
  for (int i = 0; i < 10; ++i)
    REQUIRE(client.publish("articles.wire", js_in_article("c" + std::to_string(i), i % 2 == 0)));
  REQUIRE(client.publish("articles.wire", "this is not an article\n"));
  REQUIRE(client.publish("articles.wire", ""));  // blank: naked until max_deliver (3)
  e2e::TempDir dir;
  const auto admin = e2e::free_port();
  e2e::write_file(dir / "c.toml",
                  js_in_config(server.url(), admin,
                               "[[output]]\nstories = \"all\"\ntype = \"file\"\npath = \"" +
                                   (dir / "alerts").string() + "\"\n",
                               "dead_letter_subject = \"dead.articles\"\n"));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  INFO(e2e::read_file(dir / "err"));
  auto alerts = [&] {
    const std::string text = e2e::read_file(dir / "alerts");
    return std::size_t(std::count(text.begin(), text.end(), '\n'));
  };
  REQUIRE(js_in_eventually([&] { return alerts() == 5; }));
  // Everything settled: nothing pending, nothing awaiting an ack.
  REQUIRE(js_in_eventually([&] {
    return client.consumer_backlog("ARTICLES", "nh") == std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  CHECK(js_in_metric(admin, "newshound_input_acks_total{input=\"js\"}") == 10);
  CHECK(js_in_metric(admin, "newshound_jetstream_messages_total{input=\"js\",result=\"acked\"}") ==
        10);
  CHECK(js_in_metric(
            admin, "newshound_jetstream_messages_total{input=\"js\",result=\"terminated\"}") == 1);
  CHECK(js_in_metric(admin, "newshound_jetstream_messages_total{input=\"js\",result=\"naked\"}") ==
        3);
  REQUIRE(js_in_eventually([&] { return client.count("DEAD") == 1; }));
  const auto dead = client.read_all("DEAD", "dead.>");
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].data == "this is not an article\n");
  CHECK(e2e::read_file(dir / "err").find("is terminated and published to dead.articles") !=
        std::string::npos);
  CHECK(e2e::http(admin, "GET", "/readyz").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(alerts() == 5);  // nothing redelivered
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream: three daemons on one durable share the work, every alert once in the alert "
    "stream across a SIGKILL and a server restart") {
  if (!e2e::natstest::have_server()) return;
  const int n = js_in_article_count();
  e2e::natstest::Server server;
  {
    e2e::natstest::Client client(server.url());
    REQUIRE(client.ok());
    REQUIRE(client.add_stream("ARTICLES", "articles.>"));
    REQUIRE(client.add_stream("ALERTS", "alerts.>", std::chrono::seconds(600)));
    std::vector<std::string> articles;
    for (int i = 0; i < n; ++i) articles.push_back(js_in_article("d" + std::to_string(i)));
    REQUIRE(client.publish_all("articles.wire", articles));
  }
  e2e::TempDir dir;
  const std::vector<std::string> who = {"a", "b", "c"};
  std::vector<std::uint16_t> admin;
  for (const auto& w : who) {
    admin.push_back(e2e::free_port());
    e2e::write_file(dir / (w + ".toml"),
                    js_in_config(server.url(), admin.back(),
                                 "[[output]]\nstories = \"all\"\ntype = \"jetstream\"\nurl = \"" +
                                     server.url() +
                                     "\"\nsubject = \"alerts.{list}\"\nreconnect_initial_ms = 50\n"
                                     "reconnect_max_ms = 300\nspool = true\nspool_dir = \"" +
                                     (dir / ("spool-" + w)).string() + "\"\n",
                                 "max_ack_pending = 256\n"));
  }
  auto start = [&](const std::string& w, const std::string& run) {
    return std::make_unique<e2e::Process>(
        std::vector<std::string>{bin, "run", "--config", (dir / (w + ".toml")).string()},
        dir / ("out-" + w + run), dir / ("err-" + w + run));
  };
  std::vector<std::unique_ptr<e2e::Process>> daemons;
  for (const auto& w : who) daemons.push_back(start(w, "1"));
  auto logs = [&] {
    std::string text;
    for (const auto& e : e2e::fs::directory_iterator(dir.path))
      if (e.path().filename().string().starts_with("err-"))
        text += e.path().filename().string() + ":\n" + e2e::read_file(e.path());
    return text;
  };
  auto client = std::make_unique<e2e::natstest::Client>(server.url());
  // A share of the work done, then daemon a dies without a word.
  const bool started =
      js_in_eventually([&] { return client->count("ALERTS") >= std::uint64_t(n / 5); }, 120);
  INFO(logs());
  REQUIRE(started);
  daemons[0]->signal(SIGKILL);
  CHECK(daemons[0]->wait() == 128 + SIGKILL);
  // nats-server restarts while b and c work on; their /readyz says they are cut off.
  client.reset();
  server.stop();
  CHECK(js_in_eventually([&] { return e2e::http(admin[1], "GET", "/readyz").status == 503; }));
  CHECK(e2e::http(admin[1], "GET", "/readyz").body.find("input js") != std::string::npos);
  REQUIRE(server.start());
  client = std::make_unique<e2e::natstest::Client>(server.url());
  REQUIRE(client->ok());
  daemons[0] = start("a", "2");
  const bool all =
      js_in_eventually([&] { return client->count("ALERTS") >= std::uint64_t(n); }, 300);
  INFO(logs());
  REQUIRE(all);
  REQUIRE(js_in_eventually([&] {
    return client->consumer_backlog("ARTICLES", "nh") ==
           std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  CHECK(js_in_eventually([&] { return e2e::http(admin[1], "GET", "/readyz").status == 200; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(client->count("ALERTS") == std::uint64_t(n));  // duplicates dropped by Msg-Id
  std::set<std::string> articles;
  for (const auto& m : client->read_all("ALERTS", "alerts.>"))
    articles.insert(std::string(boost::json::parse(m.data).at("article").as_string()));
  CHECK(articles.size() == std::size_t(n));
  // The work was shared: b and c (running throughout) each did a fair part.
  for (std::size_t i : {1u, 2u}) {
    const double acked = js_in_metric(admin[i], "newshound_input_acks_total{input=\"js\"}");
    CHECK(acked >= n / 8.0);
    CHECK(acked <= n * 0.8);
  }
  for (auto& d : daemons) d->signal(SIGTERM);
  for (auto& d : daemons) CHECK(d->wait() == 0);
}

TEST_CASE(
    "jetstream input: without a subject it reads the whole stream, a message over max_line_bytes "
    "is terminated, counted and dead-lettered") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  REQUIRE(client.add_stream("DEAD", "dead.>"));
  for (int i = 0; i < 4; ++i)
    REQUIRE(client.publish(i % 2 == 0 ? "articles.europe" : "articles.asia",
                           js_in_article("w" + std::to_string(i))));
  const std::string big =
      e2e::article("big", "Sergei Lavrov spoke. " + std::string(2000, 'x') + ".");
  REQUIRE(client.publish("articles.europe", big));
  e2e::TempDir dir;
  const auto admin = e2e::free_port();
  e2e::write_file(
      dir / "c.toml",
      "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin) +
          "\"\n[[input]]\ntype = \"jetstream\"\nname = \"js\"\nurl = \"" + server.url() +
          "\"\nstream = \"ARTICLES\"\ndurable = \"whole\"\nmax_line_bytes = 1024\n"
          "dead_letter_subject = \"dead.articles\"\n[[output]]\ntype = \"file\"\npath "
          "= \"" +
          (dir / "alerts").string() + "\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  auto alerted = [&] {
    const std::string text = e2e::read_file(dir / "alerts");
    return std::size_t(std::count(text.begin(), text.end(), '\n'));
  };
  REQUIRE(js_in_eventually([&] { return alerted() == 4; }));
  REQUIRE(js_in_eventually([&] {
    return client.consumer_backlog("ARTICLES", "whole") ==
           std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  INFO(e2e::read_file(dir / "err"));
  CHECK(e2e::read_file(dir / "alerts").find("\"big\"") == std::string::npos);
  CHECK(js_in_metric(admin, "newshound_input_oversize_lines_total{input=\"js\"}") == 1);
  CHECK(js_in_metric(
            admin, "newshound_jetstream_messages_total{input=\"js\",result=\"terminated\"}") == 1);
  CHECK(js_in_metric(admin, "newshound_jetstream_messages_total{input=\"js\",result=\"acked\"}") ==
        4);
  REQUIRE(js_in_eventually([&] { return client.count("DEAD") == 1; }));
  CHECK(client.read_all("DEAD", "dead.>").at(0).data == big);
  CHECK(e2e::read_file(dir / "err").find("over max_line_bytes (1024)") != std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE("jetstream input: stopped and replaced while fetches are in flight, repeatedly") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  constexpr int n = 3000;
  std::vector<std::string> articles;
  for (int i = 0; i < n; ++i) articles.push_back(js_in_article("r" + std::to_string(i)));
  REQUIRE(client.publish_all("articles.wire", articles));
  e2e::TempDir dir;
  const auto admin = e2e::free_port();
  const std::string output = "[[output]]\nstories = \"all\"\ntype = \"file\"\npath = \"" +
                             (dir / "alerts").string() + "\"\n";
  // Each batch size is another input: a reload stops the running one mid-fetch.
  // What a stopped input held comes again after ack_wait, and each time counts
  // as a delivery: nine inputs run here, so up to ten deliveries of a message are
  // its due (with max_deliver 3, three inputs stopped while holding it would
  // make the server give it up, as it must).
  auto write_config = [&](int batch) {
    std::string cfg = js_in_config(server.url(), admin, output, "max_ack_pending = 64\n");
    const auto at = cfg.find("batch = 16");
    REQUIRE(at != std::string::npos);
    cfg.replace(at, 10, "batch = " + std::to_string(batch));
    cfg.replace(cfg.find("ack_wait_ms = 5000"), 18, "ack_wait_ms = 1000");
    cfg.replace(cfg.find("max_deliver = 3"), 15, "max_deliver = 10");
    e2e::write_file(dir / "c.toml", cfg);
  };
  // The server's word when it gives a message up (max_deliver reached): a
  // stopped input's pull request that outlived it took deliveries nobody
  // processed (issue 16: that request is ended with the input now).
  natsSubscription* given_up = nullptr;
  REQUIRE(natsConnection_SubscribeSync(&given_up, client.nc(),
                                       "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ARTICLES.nh") ==
          NATS_OK);
  auto given_up_count = [&] {
    std::uint64_t queued = 0;
    natsSubscription_QueuedMsgs(given_up, &queued);
    return queued;
  };
  write_config(16);
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  REQUIRE(js_in_eventually([&] { return e2e::http(admin, "GET", "/readyz").status == 200; }));
  for (int round = 1; round <= 8; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    write_config(16 + round);
    daemon.signal(SIGHUP);
  }
  INFO(e2e::read_file(dir / "err"));
  // Every article alerted (at least once: a batch dropped by a stopped input is
  // delivered again), nothing left pending.
  auto alerted = [&] { return alerted_articles(dir / "alerts"); };
  CHECK(js_in_eventually([&] { return alerted() == std::size_t(n) || given_up_count() > 0; }, 120));
  CHECK(given_up_count() == 0u);
  CHECK(alerted() == std::size_t(n));
  CHECK(js_in_eventually([&] {
    return client.consumer_backlog("ARTICLES", "nh") == std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  CHECK(given_up_count() == 0u);
  natsSubscription_Destroy(given_up);
  // And stopped for good while fetching: more articles, SIGTERM at once.
  REQUIRE(client.publish_all("articles.wire", articles));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

// nats.c 3.4's natsSubscription_Fetch, started with more than half a batch
// already waiting in its subscription while another pull request still
// delivers, collected past the batch and wrote past its array (issue 16: ASan's
// heap-buffer-overflow, TSan's heap-use-after-free in the daemon). Here a second
// requester answers to the input's own inbox, so messages keep arriving unasked.
TEST_CASE("jetstream input: messages arriving unasked on its inbox are taken a batch at a time") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  // Every pull request the daemon sends, seen on the JetStream API subject.
  const std::string next = "$JS.API.CONSUMER.MSG.NEXT.ARTICLES.nh";
  natsSubscription* spy = nullptr;
  REQUIRE(natsConnection_SubscribeSync(&spy, client.nc(), next.c_str()) == NATS_OK);
  e2e::TempDir dir;
  const auto admin = e2e::free_port();
  e2e::write_file(dir / "c.toml",
                  js_in_config(server.url(), admin,
                               "[[output]]\nstories = \"all\"\ntype = \"file\"\npath = \"" +
                                   (dir / "alerts").string() + "\"\n"));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  // Each request of the daemon gets a second one with its reply subject: 12
  // more messages (over half its batch of 16) land in its subscription unasked.
  // The articles come in waves so that the daemon keeps asking.
  const std::string unasked = "{\"batch\":12,\"expires\":500000000}";
  int injected = 0;
  constexpr int waves = 30, per_wave = 100;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (int w = 0; w < waves && std::chrono::steady_clock::now() < until; ++w) {
    std::vector<std::string> wave;
    for (int i = 0; i < per_wave; ++i)
      wave.push_back(js_in_article("u" + std::to_string(w * per_wave + i)));
    REQUIRE(client.publish_all("articles.wire", wave));
    for (natsMsg* m = nullptr; std::chrono::steady_clock::now() < until &&
                               natsSubscription_NextMsg(&m, spy, 200) == NATS_OK;
         m = nullptr) {
      const char* reply = natsMsg_GetReply(m);
      const std::string body(natsMsg_GetData(m), std::size_t(natsMsg_GetDataLength(m)));
      if (reply != nullptr && body != unasked &&  // not one of ours
          natsConnection_PublishRequestString(client.nc(), next.c_str(), reply, unasked.c_str()) ==
              NATS_OK)
        ++injected;
      natsMsg_Destroy(m);
    }
  }
  natsSubscription_Destroy(spy);
  auto alerted = [&] { return alerted_articles(dir / "alerts"); };
  INFO(e2e::read_file(dir / "err"));
  CHECK(injected >= waves);
  CHECK(js_in_eventually([&] { return alerted() == std::size_t(waves * per_wave); }, 120));
  CHECK(js_in_eventually([&] {
    return client.consumer_backlog("ARTICLES", "nh") == std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream input: acknowledgements that cannot be sent (the server gone while messages are "
    "held) are counted and logged") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  constexpr int kArticles = 20;
  for (int i = 0; i < kArticles; ++i)
    REQUIRE(client.publish("articles.wire", js_in_article("f" + std::to_string(i))));
  // An acknowledged tcp output whose receiver never acknowledges: no alert
  // counts as sent, so every message is held, told `in progress`.
  e2e::StalledReceiver receiver;
  e2e::TempDir dir;
  const auto admin = e2e::free_port();
  e2e::write_file(dir / "c.toml",
                  js_in_config(server.url(), admin,
                               "[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = "
                               "\"127.0.0.1:" +
                                   std::to_string(receiver.port()) + "\"\nack = true\n"));
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  INFO(e2e::read_file(dir / "err"));
  const std::string lines = "newshound_input_lines_total{input=\"js\"}";
  const std::string acked = "newshound_jetstream_messages_total{input=\"js\",result=\"acked\"}";
  const std::string failed = "newshound_jetstream_ack_failures_total{input=\"js\"}";
  REQUIRE(js_in_eventually([&] { return js_in_metric(admin, lines) == kArticles; }));
  CHECK(js_in_metric(admin, acked) == 0);
  CHECK(js_in_metric(admin, failed) == 0);
  // The server goes: the connection closes, and the held messages' next
  // `in progress` (every ack_wait / 3) cannot be sent.
  server.stop();
  REQUIRE(js_in_eventually([&] { return js_in_metric(admin, failed) > 0; }));
  CHECK(e2e::read_file(dir / "err").find("an acknowledgement (+WPI) was not sent") !=
        std::string::npos);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait() == 0);
}

TEST_CASE(
    "jetstream input: a reload that replaces an input connecting to a hung server does not wait "
    "for that connect, and a SIGTERM then exits cleanly") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  e2e::TempDir dir;
  const auto admin = e2e::free_port();
  const auto config = [&](int batch) {
    std::string c = js_in_config(server.url(), admin,
                                 "[[output]]\nstories = \"all\"\ntype = \"file\"\npath = \"" +
                                     (dir / "alerts").string() + "\"\n");
    const std::string from = "batch = 16";
    return c.replace(c.find(from), from.size(), "batch = " + std::to_string(batch));
  };
  e2e::write_file(dir / "c.toml", config(16));
  // Hung from the start: the input's connect waits for nats.c's 3 s timeout.
  server.pause();
  e2e::Process daemon({bin, "run", "--config", (dir / "c.toml").string()}, dir / "out",
                      dir / "err");
  INFO(e2e::read_file(dir / "err"));
  REQUIRE(js_in_eventually([&] { return e2e::http(admin, "GET", "/healthz").status == 200; }));
  e2e::write_file(dir / "c.toml", config(8));
  daemon.signal(SIGHUP);
  // The loop answers throughout: the old input's fetch thread is left to finish
  // its connect (a daemon that joined it in the reload answered only after).
  auto slowest = std::chrono::steady_clock::duration::zero();
  bool reloaded = false;
  for (int i = 0; i < 40; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = e2e::http(admin, "GET", "/metrics");
    slowest = std::max(slowest, std::chrono::steady_clock::now() - t0);
    REQUIRE(r.status == 200);
    reloaded = reloaded ||
               e2e::read_file(dir / "err").find("input js removed or changed") != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(reloaded);
  CHECK(slowest < std::chrono::milliseconds(1500));  // generous: answers take milliseconds
  daemon.signal(SIGTERM);
  CHECK(daemon.wait(std::chrono::seconds(30)) == 0);
  const std::string err = e2e::read_file(dir / "err");
  CHECK(err.find(" info stopped") != std::string::npos);
  CHECK(err.find("did not end") == std::string::npos);
  server.resume();
}

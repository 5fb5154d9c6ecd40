// Tests (end-to-end): `[[input]] type = "jetstream"` (issue 16) against a real
// `nats-server -js`: a durable pull consumer is created and its articles alert
// and are acknowledged; a message that does not decode is terminated and
// published to the dead-letter subject; several daemons on one durable share the
// work, and with a jetstream output every alert lands exactly once in the alert
// stream across a SIGKILL of one daemon and a restart of nats-server; /readyz
// says when the server is gone.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "e2e/hostile_util.hpp"
#include "e2e/nats_server.hpp"

namespace {
using e2e::bin;

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
  e2e::write_file(dir / "c.toml", js_in_config(server.url(), admin,
                                               "[[output]]\ntype = \"file\"\npath = \"" +
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
    "jetstream: two daemons on one durable share the work, every alert once in the alert stream "
    "across a SIGKILL and a server restart") {
  if (!e2e::natstest::have_server()) return;
  // Scaled down from the 20,000 articles and 3 daemons for this 2-core machine.
  constexpr int n = 2000;
  e2e::natstest::Server server;
  {
    e2e::natstest::Client client(server.url());
    REQUIRE(client.ok());
    REQUIRE(client.add_stream("ARTICLES", "articles.>"));
    REQUIRE(client.add_stream("ALERTS", "alerts.>", std::chrono::seconds(600)));
    for (int i = 0; i < n; ++i)
      REQUIRE(client.publish("articles.wire", js_in_article("d" + std::to_string(i))));
  }
  e2e::TempDir dir;
  const std::uint16_t admin_a = e2e::free_port(), admin_b = e2e::free_port();
  auto config = [&](std::uint16_t admin, const std::string& who) {
    return js_in_config(server.url(), admin,
                        "[[output]]\ntype = \"jetstream\"\nurl = \"" + server.url() +
                            "\"\nsubject = \"alerts.{list}\"\nreconnect_initial_ms = 50\n"
                            "reconnect_max_ms = 300\nspool = true\nspool_dir = \"" +
                            (dir / ("spool-" + who)).string() + "\"\n",
                        "max_ack_pending = 64\n");
  };
  e2e::write_file(dir / "a.toml", config(admin_a, "a"));
  e2e::write_file(dir / "b.toml", config(admin_b, "b"));
  auto a = std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "a.toml").string()}, dir / "out-a",
      dir / "err-a");
  e2e::Process b({bin, "run", "--config", (dir / "b.toml").string()}, dir / "out-b", dir / "err-b");
  INFO(e2e::read_file(dir / "err-a") + e2e::read_file(dir / "err-b"));
  auto client = std::make_unique<e2e::natstest::Client>(server.url());
  // A share of the work done, then daemon A dies without a word.
  const bool started = js_in_eventually([&] { return client->count("ALERTS") >= n / 5; }, 60);
  INFO(e2e::read_file(dir / "err-a") + e2e::read_file(dir / "err-b"));
  REQUIRE(started);
  a->signal(SIGKILL);
  CHECK(a->wait() == 128 + SIGKILL);
  // nats-server restarts while B works on; B's /readyz says it is cut off.
  client.reset();
  server.stop();
  CHECK(js_in_eventually([&] { return e2e::http(admin_b, "GET", "/readyz").status == 503; }));
  CHECK(e2e::http(admin_b, "GET", "/readyz").body.find("input js") != std::string::npos);
  REQUIRE(server.start());
  client = std::make_unique<e2e::natstest::Client>(server.url());
  REQUIRE(client->ok());
  a = std::make_unique<e2e::Process>(
      std::vector<std::string>{bin, "run", "--config", (dir / "a.toml").string()}, dir / "out-a2",
      dir / "err-a2");
  REQUIRE(js_in_eventually([&] { return client->count("ALERTS") >= std::uint64_t(n); }, 120));
  REQUIRE(js_in_eventually([&] {
    return client->consumer_backlog("ARTICLES", "nh") ==
           std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  CHECK(js_in_eventually([&] { return e2e::http(admin_b, "GET", "/readyz").status == 200; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(client->count("ALERTS") == std::uint64_t(n));  // duplicates dropped by Msg-Id
  std::set<std::string> articles;
  for (const auto& m : client->read_all("ALERTS", "alerts.>"))
    articles.insert(std::string(boost::json::parse(m.data).at("article").as_string()));
  CHECK(articles.size() == std::size_t(n));
  // Both did a fair part of the work (B's count covers the whole run).
  const double by_b = js_in_metric(admin_b, "newshound_input_acks_total{input=\"js\"}");
  CHECK(by_b >= n / 5.0);
  CHECK(by_b <= n * 0.9);
  a->signal(SIGTERM);
  b.signal(SIGTERM);
  CHECK(a->wait() == 0);
  CHECK(b.wait() == 0);
}

// Tests (end-to-end): `[[output]] type = "jetstream"` (issue 16) against a real
// `nats-server -js` on a free loopback port: every alert is one message with
// Nats-Msg-Id = alert id, so the same alert published twice is stored once;
// `{list}` in the subject; alerts raised while the server is down are published
// once it is back (nothing lost); wrong credentials are refused with the
// server's words in the log.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

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

/// A daemon config: tcp listen input on `in_port`, one jetstream output.
std::string js_out_config(std::uint16_t in_port, const std::string& url,
                          const std::string& extra = "") {
  return "shutdown_grace_ms = 2000\n" + e2e::admin_off +
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

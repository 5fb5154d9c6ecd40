// Tests (end-to-end): a valid creds_file on a jetstream input and output (issue
// 16) against a real `nats-server -js` in operator mode (JWT auth), with the
// operator, accounts, users and .creds files made by the test itself
// (support/nats_jwt.hpp, OpenSSL Ed25519: no `nsc` needed): the right creds
// read the article stream and publish the alerts; the creds of a user of an
// account the server does not know, or with a seed that does not match the
// JWT, are refused and the daemon's log names the file.
#include <nats/nats.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>

#include "e2e/harness.hpp"
#include "e2e/nats_server.hpp"
#include "support/nats_jwt.hpp"

namespace {
using e2e::bin;
using natsjwt::Kind;

/// Polls `f` every 50 ms for up to 30 s.
bool js_creds_eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 600; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// An operator with a system account and a JetStream-enabled account NH known to
/// the server (resolver_preload), a nats-server trusting it, and creds files in
/// `dir`: good.creds (a user of NH), unknown.creds (a user of an account the
/// operator signed but the server was not given), mismatch.creds (NH user's
/// JWT with another user's seed).
struct JsCredsWorld {
  e2e::TempDir dir;
  natsjwt::KeyPair op{Kind::operator_key}, sys{Kind::account}, nh{Kind::account},
      unknown{Kind::account}, user{Kind::user}, stranger{Kind::user};
  std::unique_ptr<e2e::natstest::Server> server;
  e2e::fs::path good = dir / "good.creds", unknown_creds = dir / "unknown.creds",
                mismatch = dir / "mismatch.creds";

  JsCredsWorld() {
    e2e::write_file(dir / "operator.jwt", natsjwt::operator_jwt(op, "OP", sys.public_key()));
    e2e::write_file(
        dir / "nats.conf",
        natsjwt::server_config((dir / "operator.jwt").string(), sys.public_key(),
                               {{sys.public_key(), natsjwt::account_jwt(op, sys, "SYS", false)},
                                {nh.public_key(), natsjwt::account_jwt(op, nh, "NH", true)}}));
    const std::string user_jwt = natsjwt::user_jwt(nh, user, "hound");
    e2e::write_file(good, natsjwt::creds(user_jwt, user.seed()));
    e2e::write_file(unknown_creds,
                    natsjwt::creds(natsjwt::user_jwt(unknown, stranger, "stray"), stranger.seed()));
    e2e::write_file(mismatch, natsjwt::creds(user_jwt, stranger.seed()));
    server = std::make_unique<e2e::natstest::Server>(
        std::vector<std::string>{"-c", (dir / "nats.conf").string()});
  }

  /// A client of the test's own, logged in with `creds`.
  std::unique_ptr<e2e::natstest::Client> client(const e2e::fs::path& creds) const {
    natsOptions* o = nullptr;
    natsOptions_Create(&o);
    natsOptions_SetURL(o, server->url().c_str());
    natsOptions_SetUserCredentialsFromFiles(o, creds.c_str(), nullptr);
    return std::make_unique<e2e::natstest::Client>(o);
  }

  /// Starts a daemon `name`: a jetstream input on ARTICLES with `input_creds`, a
  /// jetstream output to alerts.{list} with `output_creds`.
  std::unique_ptr<e2e::Process> daemon(const std::string& name, const e2e::fs::path& input_creds,
                                       const e2e::fs::path& output_creds) const {
    const auto cfg = dir / (name + ".toml");
    e2e::write_file(
        cfg, "shutdown_grace_ms = 2000\n" + e2e::admin_off +
                 "[[input]]\ntype = \"jetstream\"\nname = \"js\"\nurl = \"" + server->url() +
                 "\"\nstream = \"ARTICLES\"\ndurable = \"" + name +
                 "\"\nreconnect_initial_ms = 50\nreconnect_max_ms = 200\ncreds_file = \"" +
                 input_creds.string() +
                 "\"\n[[output]]\ntype = \"jetstream\"\nstories = \"all\"\nurl = \"" +
                 server->url() +
                 "\"\nsubject = \"alerts.{list}\"\nreconnect_initial_ms = 50\n"
                 "reconnect_max_ms = 200\ncreds_file = \"" +
                 output_creds.string() + "\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
    return std::make_unique<e2e::Process>(
        std::vector<std::string>{bin, "run", "--config", cfg.string()}, dir / (name + ".out"),
        dir / (name + ".err"));
  }
  std::string err(const std::string& name) const { return e2e::read_file(dir / (name + ".err")); }
};

}  // namespace

TEST_CASE("nats_jwt: nats.c signs with a made seed what the key's public half verifies") {
  REQUIRE(nats_Open(-1) == NATS_OK);  // nats_Sign decodes with tables nats_Open sets up
  for (const Kind kind : {Kind::operator_key, Kind::account, Kind::user}) {
    const natsjwt::KeyPair key(kind);
    const std::string pub = key.public_key(), seed = key.seed();
    CHECK(pub.size() == 56);
    CHECK(seed.size() == 58);
    CHECK(pub[0] == (kind == Kind::user ? 'U' : kind == Kind::account ? 'A' : 'O'));
    CHECK(seed.substr(0, 2) == std::string("S") + pub[0]);
    // nats.c signs only as an account, user, server or cluster (a client never is
    // an operator); the server checks the operator's signatures on the account JWTs.
    if (kind == Kind::operator_key) continue;
    unsigned char* sig = nullptr;
    int len = 0;
    INFO(seed);
    REQUIRE(nats_Sign(seed.c_str(), "a server nonce", &sig, &len) == NATS_OK);
    const std::string signature(reinterpret_cast<const char*>(sig), std::size_t(len));
    free(sig);  // NOLINT: nats.c allocates it with malloc
    CHECK(key.verify("a server nonce", signature));
    CHECK_FALSE(key.verify("another nonce", signature));
  }
  // The encodings against fixed vectors: RFC 4648 base32 and CRC-16/XMODEM.
  CHECK(natsjwt::base32("foobar") == "MZXW6YTBOI");
  CHECK(natsjwt::base64url("\xfb\xff") == "-_8");
  CHECK(natsjwt::crc16("123456789") == 0x31C3);
}

TEST_CASE(
    "jetstream credentials: a valid creds_file on the input and the output, articles in and "
    "alerts out") {
  if (!e2e::natstest::have_server()) return;
  JsCredsWorld world;
  auto client = world.client(world.good);
  INFO(e2e::read_file(world.server->log()));
  REQUIRE(client->ok());
  REQUIRE(client->add_stream("ARTICLES", "articles.>"));
  REQUIRE(client->add_stream("ALERTS", "alerts.>"));
  REQUIRE(client->publish("articles.wire", e2e::article("cr-1", "Sergei Lavrov spoke.")));
  REQUIRE(client->publish("articles.wire", e2e::article("cr-2", "Nothing to see here.")));
  REQUIRE(client->publish("articles.wire", e2e::article("cr-3", "Sergei Lavrov again.")));
  auto daemon = world.daemon("hound", world.good, world.good);
  INFO(world.err("hound"));
  // Every article acked means every alert it raised was publish-acked first.
  CHECK(js_creds_eventually([&] {
    return client->consumer_backlog("ARTICLES", "hound") ==
           std::pair<std::int64_t, std::int64_t>{0, 0};
  }));
  const auto alerts = client->read_all("ALERTS", "alerts.>");
  std::set<std::string> articles;
  for (const auto& m : alerts) {
    const auto alert = boost::json::parse(m.data).as_object();
    CHECK(m.subject == "alerts.people");
    CHECK(m.msg_id == std::string(alert.at("id").as_string()));
    articles.insert(std::string(alert.at("article").as_string()));
  }
  CHECK(alerts.size() == 2);
  CHECK(articles == std::set<std::string>{"cr-1", "cr-3"});
  daemon->signal(SIGTERM);
  CHECK(daemon->wait() == 0);
}

TEST_CASE(
    "jetstream credentials: a creds_file of an unknown account or with a seed not matching its "
    "JWT is refused, naming it") {
  if (!e2e::natstest::have_server()) return;
  JsCredsWorld world;
  auto client = world.client(world.good);
  REQUIRE(client->ok());
  REQUIRE(client->add_stream("ARTICLES", "articles.>"));
  REQUIRE(client->add_stream("ALERTS", "alerts.>"));
  REQUIRE(client->publish("articles.wire", e2e::article("cr-1", "Sergei Lavrov spoke.")));
  // The test's own client is refused too: the server, not the daemon, decides.
  CHECK_FALSE(world.client(world.unknown_creds)->ok());
  CHECK_FALSE(world.client(world.mismatch)->ok());
  auto unknown_in = world.daemon("unknown", world.unknown_creds, world.good);
  auto mismatch_in = world.daemon("mismatch", world.mismatch, world.good);
  auto mismatch_out = world.daemon("mismatchout", world.good, world.mismatch);
  const auto refused = [&](const std::string& name, const e2e::fs::path& creds) {
    return js_creds_eventually([&] {
      const std::string err = world.err(name);
      // nats.c's own source position ("(conn.c:1905): ") is left out.
      return err.find("cannot connect to " + world.server->url() +
                      ": Authorization Violation; "
                      "the server refused creds_file " +
                      creds.string() + " (the user's account must be one the server trusts") !=
             std::string::npos;
    });
  };
  CHECK(refused("unknown", world.unknown_creds));
  CHECK(refused("mismatch", world.mismatch));
  CHECK(refused("mismatchout", world.mismatch));
  INFO(world.err("unknown") + world.err("mismatch") + world.err("mismatchout"));
  // Neither refused input took the article; the refused output published nothing.
  CHECK(client->consumer_backlog("ARTICLES", "unknown").first == -1);
  CHECK(client->consumer_backlog("ARTICLES", "mismatch").first == -1);
  CHECK(client->count("ALERTS") == 0);
  for (auto* d : {unknown_in.get(), mismatch_in.get(), mismatch_out.get()}) {
    d->signal(SIGTERM);
    CHECK(d->wait() == 0);
  }
}

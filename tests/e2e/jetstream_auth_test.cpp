// Tests (end-to-end): the credentials and TLS of a jetstream input (issue 16)
// against a real `nats-server -js` configured by the test (a config file with
// `authorization {}` or `tls {}` in a temp folder): each right credential reads
// the stream and alerts; each wrong one is refused, the daemon's log naming the
// option and its file; `check` refuses tls.key_pass on a jetstream input or
// output. A right creds_file (operator mode, JWTs the test makes itself) is
// tested in jetstream_creds_test.cpp.
#include <nats/nats.h>

#include <catch2/catch.hpp>

#include "e2e/harness.hpp"
#include "e2e/nats_server.hpp"
#include "support/test_certs.hpp"

namespace {
using e2e::bin;

/// Polls `f` every 50 ms for up to `seconds`.
bool js_auth_eventually(const std::function<bool()>& f, int seconds = 20) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// nats-server with `conf` (authorization / tls blocks) as its config file.
std::unique_ptr<e2e::natstest::Server> js_auth_server(const e2e::TempDir& dir,
                                                      const std::string& conf) {
  e2e::write_file(dir / "nats.conf", conf);
  return std::make_unique<e2e::natstest::Server>(
      std::vector<std::string>{"-c", (dir / "nats.conf").string()});
}

/// Creates ARTICLES and publishes one matching article, connected with `opts`.
void js_auth_seed(natsOptions* opts) {
  e2e::natstest::Client client(opts);
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("ARTICLES", "articles.>"));
  REQUIRE(client.publish("articles.wire", e2e::article("auth-1", "Sergei Lavrov spoke.")));
}

natsOptions* js_auth_options(const std::string& url) {
  natsOptions* o = nullptr;
  natsOptions_Create(&o);
  natsOptions_SetURL(o, url.c_str());
  return o;
}

/// A daemon reading ARTICLES with `auth` (input keys), alerts to `dir`/name.alerts.
struct JsAuthDaemon {
  std::unique_ptr<e2e::Process> proc;
  e2e::fs::path alerts, err;
  JsAuthDaemon(const e2e::TempDir& dir, const std::string& name, const std::string& url,
               const std::string& auth) {
    alerts = dir / (name + ".alerts");
    err = dir / (name + ".err");
    const auto cfg = dir / (name + ".toml");
    e2e::write_file(cfg,
                    "[admin]\nlisten = \"\"\n[[input]]\ntype = \"jetstream\"\nname = "
                    "\"js\"\nurl = \"" +
                        url + "\"\nstream = \"ARTICLES\"\ndurable = \"" + name +
                        "\"\nreconnect_initial_ms = 50\nreconnect_max_ms = 200\n" + auth +
                        "\n[[output]]\ntype = \"file\"\npath = \"" + alerts.string() +
                        "\"\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
    proc = std::make_unique<e2e::Process>(
        std::vector<std::string>{bin, "run", "--config", cfg.string()}, dir / (name + ".out"), err);
  }
  bool alerted() const { return e2e::read_file(alerts).find("auth-1") != std::string::npos; }
  bool logged(const std::string& what) const {
    return e2e::read_file(err).find(what) != std::string::npos;
  }
  void stop() {
    proc->signal(SIGTERM);
    CHECK(proc->wait() == 0);
  }
};

}  // namespace

TEST_CASE("jetstream credentials: token_file, the right token reads, a wrong one is refused") {
  if (!e2e::natstest::have_server()) return;
  e2e::TempDir dir;
  auto server = js_auth_server(dir, "authorization { token: \"tok-right\" }\n");
  natsOptions* o = js_auth_options(server->url());
  natsOptions_SetToken(o, "tok-right");
  js_auth_seed(o);
  e2e::write_file(dir / "right.token", "tok-right\n");
  e2e::write_file(dir / "wrong.token", "tok-wrong\n");
  JsAuthDaemon right(dir, "right", server->url(),
                     "token_file = \"" + (dir / "right.token").string() + "\"");
  JsAuthDaemon wrong(dir, "wrong", server->url(),
                     "token_file = \"" + (dir / "wrong.token").string() + "\"");
  JsAuthDaemon none(dir, "none", server->url(), "");
  JsAuthDaemon missing(dir, "missing", server->url(),
                       "token_file = \"" + (dir / "absent.token").string() + "\"");
  CHECK(js_auth_eventually([&] { return right.alerted(); }));
  const std::string refused =
      "the server refused the token in token_file " + (dir / "wrong.token").string();
  CHECK(js_auth_eventually([&] { return wrong.logged(refused); }));
  CHECK(js_auth_eventually([&] { return none.logged("the server refused no credentials"); }));
  CHECK(js_auth_eventually(
      [&] { return missing.logged("cannot read token_file " + (dir / "absent.token").string()); }));
  INFO(e2e::read_file(wrong.err) + e2e::read_file(none.err) + e2e::read_file(missing.err));
  CHECK_FALSE(wrong.alerted());
  for (auto* d : {&right, &wrong, &none, &missing}) d->stop();
}

TEST_CASE("jetstream credentials: user and password_file, right and wrong") {
  if (!e2e::natstest::have_server()) return;
  e2e::TempDir dir;
  auto server = js_auth_server(
      dir, "authorization { users = [ { user: \"nh\", password: \"pw-right\" } ] }\n");
  natsOptions* o = js_auth_options(server->url());
  natsOptions_SetUserInfo(o, "nh", "pw-right");
  js_auth_seed(o);
  e2e::write_file(dir / "right.pw", "pw-right\n");
  e2e::write_file(dir / "wrong.pw", "pw-wrong\n");
  JsAuthDaemon right(dir, "right", server->url(),
                     "user = \"nh\"\npassword_file = \"" + (dir / "right.pw").string() + "\"");
  JsAuthDaemon wrong(dir, "wrong", server->url(),
                     "user = \"nh\"\npassword_file = \"" + (dir / "wrong.pw").string() + "\"");
  CHECK(js_auth_eventually([&] { return right.alerted(); }));
  CHECK(js_auth_eventually([&] {
    return wrong.logged("the server refused user 'nh' with the password in password_file " +
                        (dir / "wrong.pw").string());
  }));
  INFO(e2e::read_file(wrong.err));
  CHECK_FALSE(wrong.alerted());
  right.stop();
  wrong.stop();
}

TEST_CASE("jetstream credentials: an unreadable or invalid creds_file is refused, naming it") {
  if (!e2e::natstest::have_server()) return;
  e2e::TempDir dir;
  auto server = js_auth_server(dir, "authorization { token: \"tok\" }\n");
  e2e::write_file(dir / "bad.creds", "this is not a creds file\n");
  JsAuthDaemon missing(dir, "missing", server->url(),
                       "creds_file = \"" + (dir / "absent.creds").string() + "\"");
  JsAuthDaemon bad(dir, "bad", server->url(),
                   "creds_file = \"" + (dir / "bad.creds").string() + "\"");
  CHECK(js_auth_eventually(
      [&] { return missing.logged("cannot read creds_file " + (dir / "absent.creds").string()); }));
  CHECK(
      js_auth_eventually([&] { return bad.logged("creds_file " + (dir / "bad.creds").string()); }));
  INFO(e2e::read_file(missing.err) + e2e::read_file(bad.err));
  missing.stop();
  bad.stop();
}

TEST_CASE(
    "jetstream TLS: a client certificate and the right CA read, a wrong CA or no certificate "
    "is refused") {
  if (!e2e::natstest::have_server()) return;
  e2e::TempDir dir;
  const auto f = [](const char* n) { return testcerts::file(n).string(); };
  auto server = js_auth_server(
      dir, "tls {\n  cert_file: \"" + f("server.pem") + "\"\n  key_file: \"" + f("server.key") +
               "\"\n  ca_file: \"" + f("ca.pem") + "\"\n  verify: true\n}\n");
  natsOptions* o = js_auth_options(server->url());
  natsOptions_SetSecure(o, true);
  natsOptions_LoadCATrustedCertificates(o, f("ca.pem").c_str());
  natsOptions_LoadCertificatesChain(o, f("client.pem").c_str(), f("client.key").c_str());
  natsOptions_SetExpectedHostname(o, "localhost");
  js_auth_seed(o);
  const std::string client_keys =
      "crt_file = \"" + f("client.pem") + "\", key_file = \"" + f("client.key") + "\"";
  JsAuthDaemon right(dir, "right", server->url(),
                     "tls = { ca_file = \"" + f("ca.pem") + "\", server_name = \"localhost\", " +
                         client_keys + " }");
  JsAuthDaemon wrong_ca(dir, "wrongca", server->url(),
                        "tls = { ca_file = \"" + f("other-ca.pem") +
                            "\", server_name = \"localhost\", " + client_keys + " }");
  JsAuthDaemon no_cert(dir, "nocert", server->url(),
                       "tls = { ca_file = \"" + f("ca.pem") + "\", server_name = \"localhost\" }");
  JsAuthDaemon plain(dir, "plain", server->url(), "");
  CHECK(js_auth_eventually([&] { return right.alerted(); }));
  CHECK(js_auth_eventually(
      [&] { return wrong_ca.logged("must chain to ca_file " + f("other-ca.pem")); }));
  CHECK(js_auth_eventually([&] { return no_cert.logged("cannot connect to " + server->url()); }));
  CHECK(js_auth_eventually([&] { return plain.logged("the server wants TLS"); }));
  INFO(e2e::read_file(wrong_ca.err) + e2e::read_file(no_cert.err) + e2e::read_file(plain.err));
  CHECK_FALSE(wrong_ca.alerted());
  CHECK_FALSE(no_cert.alerted());
  for (auto* d : {&right, &wrong_ca, &no_cert, &plain}) d->stop();
}

TEST_CASE("jetstream TLS: check refuses key_pass on a jetstream input and output") {
  e2e::TempDir dir;
  const auto f = [](const char* n) { return testcerts::file(n).string(); };
  const std::string tls = "tls = { crt_file = \"" + f("client.pem") + "\", key_file = \"" +
                          f("client.key") + "\", key_pass = \"secret\" }\n";
  e2e::write_file(dir / "c.toml",
                  "[[input]]\ntype = \"jetstream\"\nurl = \"nats://127.0.0.1:1\"\n"
                  "stream = \"ARTICLES\"\n" +
                      tls +
                      "[[output]]\ntype = \"jetstream\"\nurl = "
                      "\"nats://127.0.0.1:1\"\nsubject = \"alerts\"\n" +
                      tls + "[[watchlist]]\npath = \"" + e2e::people + "\"\n");
  const auto r = e2e::run({bin, "check", "--config", (dir / "c.toml").string()});
  INFO(r.err + r.out);
  CHECK(r.code != 0);
  const std::string where = (dir / "c.toml").string() + ":";
  CHECK(r.err.find(where + "5:") != std::string::npos);
  CHECK(r.err.find(where + "10:") != std::string::npos);
  CHECK(r.err.find("cannot read an encrypted key_file; decrypt it") != std::string::npos);
}

// Config tests: `tls` tables on [[input]] (tcp, http, feed), [[output]] (tcp,
// webhook) and [admin]
// with real certificates (tests/support/make_test_certs.sh): what loads, the
// defaults per end (client or server), https:// turning TLS on, and every
// refusal and warning `check` shows, at the file:line of the key concerned.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "newshound/config/config.hpp"
#include "support/test_certs.hpp"

namespace fs = std::filesystem;
using newshound::Config;
using newshound::Diagnostics;

namespace {

/// A cert file as a TOML string.
std::string pem(const std::string& name) {
  return "\"" + testcerts::file(name).string() + "\"";
}

struct Loaded {
  std::optional<Config> cfg;
  std::string file;
  std::vector<std::string> errors, warnings;  ///< formatted: file:line:col: message
  bool has(const std::vector<std::string>& v, int line, const std::string& text) const {
    const std::string at = file + ":" + std::to_string(line) + ":";
    for (const auto& d : v)
      if (d.starts_with(at) && d.find(text) != std::string::npos) return true;
    return false;
  }
  bool error(int line, const std::string& text) const { return has(errors, line, text); }
  bool warning(int line, const std::string& text) const { return has(warnings, line, text); }
};

Loaded load(const std::string& toml) {
  Loaded l;
  l.file = (fs::temp_directory_path() / ("newshound-tls-" + std::to_string(::getpid()) + ".toml"))
               .string();
  std::ofstream(l.file) << toml;
  Diagnostics diags;
  l.cfg = newshound::load_config(l.file, diags);
  for (const auto& d : diags) l.errors.push_back(d.format());
  if (l.cfg)
    for (const auto& d : l.cfg->warnings) l.warnings.push_back(d.format());
  for (const auto& e : l.errors) UNSCOPED_INFO(e);
  for (const auto& w : l.warnings) UNSCOPED_INFO(w);
  fs::remove(l.file);
  return l;
}

const std::string kList =
    "[[watchlist]]\npath = \"" NEWSHOUND_SOURCE_DIR "/config/watchlists/people.names\"\n";

}  // namespace

TEST_CASE("tls tables load into the TlsOptions of their edge with per-end defaults",
          "[config][tls]") {
  const Loaded l = load(
      "[admin]\n"
      "listen = \"127.0.0.1:7380\"\n"
      "tls = { crt_file = " +
      pem("server.pem") + ", key_file = " + pem("server.key") +
      " }\n"
      "[[input]]\n"
      "type = \"tcp\"\n"
      "listen = \"127.0.0.1:7301\"\n"
      "tls = { crt_file = " +
      pem("server.pem") + ", key_file = " + pem("server.key") + ", ca_file = " + pem("ca.pem") +
      ", verify_certificate = true, allowed_names = [\"feed-1\"] }\n"
      "[[input]]\n"
      "type = \"tcp\"\n"
      "connect = \"feeds.example.net:7301\"\n"
      "tls = { server_name = \"wire.example.net\", min_version = \"1.3\" }\n"
      "[[output]]\n"
      "type = \"tcp\"\n"
      "connect = \"127.0.0.1:7302\"\n"
      "tls = { ca_file = " +
      pem("ca.pem") +
      " }\n"
      "[[output]]\n"
      "type = \"webhook\"\n"
      "url = \"https://hooks.example.net/in\"\n"
      "[[output]]\n"
      "type = \"webhook\"\n"
      "url = \"http://127.0.0.1:8080/in\"\n" +
      kList);
  REQUIRE(l.cfg);
  CHECK(l.warnings.empty());  // [admin] tls is served: nothing to warn about
  const Config& c = *l.cfg;
  CHECK(c.admin_tls.enabled);
  CHECK_FALSE(c.admin_tls.verify_certificate);  // servers: mutual TLS is opted into
  CHECK(c.admin_tls.crt_file == testcerts::file("server.pem"));
  const auto& in = c.inputs[0].tcp.tls;
  CHECK(in.enabled);
  CHECK(in.verify_certificate);
  CHECK(in.allowed_names == std::vector<std::string>{"feed-1"});
  const auto& dial = c.inputs[1].tcp.tls;
  CHECK(dial.enabled);
  CHECK(dial.verify_certificate);  // clients verify by default
  CHECK(dial.verify_hostname);
  CHECK(dial.server_name == "wire.example.net");
  CHECK(dial.min_version == "1.3");
  CHECK(c.outputs[0].tcp.tls.enabled);
  CHECK(c.outputs[0].tcp.tls.ca_file == testcerts::file("ca.pem"));
  CHECK(c.outputs[1].webhook.tls.enabled);  // https:// turns TLS on
  CHECK(c.outputs[1].webhook.tls.verify_certificate);
  CHECK(c.outputs[1].webhook.url.port == 443);
  CHECK_FALSE(c.outputs[2].webhook.tls.enabled);
  CHECK_FALSE(c.outputs[0].webhook.tls.enabled);  // the table is stored once, for its sink
}

TEST_CASE("an http input's tls table is a server's and a feed input's a client's",
          "[config][tls]") {
  const Loaded l = load(
      "[[input]]\n"
      "type = \"http\"\n"
      "listen = \"127.0.0.1:8080\"\n"
      "tls = { crt_file = " +
      pem("server.pem") + ", key_file = " + pem("server.key") + ", ca_file = " + pem("ca.pem") +
      ", verify_certificate = true, allowed_names = [\"client\"] }\n"
      "[[input]]\n"
      "type = \"feed\"\n"
      "url = \"https://news.example.net/rss.xml\"\n"
      "tls = { ca_file = " +
      pem("ca.pem") +
      " }\n"
      "[[input]]\n"
      "type = \"feed\"\n"
      "urls = [\"https://a.example.net/rss\", \"http://b.example.net/atom.xml\"]\n" +
      kList);
  REQUIRE(l.cfg);
  CHECK(l.warnings.empty());
  const Config& c = *l.cfg;
  const auto& push = c.inputs[0].tcp.tls;
  CHECK(push.enabled);
  CHECK(push.verify_certificate);
  CHECK(push.allowed_names == std::vector<std::string>{"client"});
  const auto& feed = c.inputs[1].feed.tls;
  CHECK(feed.ca_file == testcerts::file("ca.pem"));
  CHECK(feed.verify_certificate);  // clients verify by default
  CHECK(feed.verify_hostname);
  CHECK(c.inputs[2].feed.tls.verify_certificate);  // no table: the client defaults

  // A server-only key on a feed input, and https:// with TLS turned off, are refused.
  const Loaded bad = load(
      "[[input]]\n"
      "type = \"feed\"\n"
      "url = \"https://news.example.net/rss.xml\"\n"
      "tls = { allowed_names = [\"x\"] }\n"
      "[[input]]\n"
      "type = \"feed\"\n"
      "url = \"https://news.example.net/atom.xml\"\n"
      "tls = { enabled = false }\n" +
      kList);
  CHECK_FALSE(bad.cfg);
  CHECK(bad.error(4, "allowed_names"));
  CHECK(bad.error(8, "an https:// feed needs TLS"));
}

TEST_CASE("check refuses unreadable files, a foreign key and an expired certificate",
          "[config][tls]") {
  const Loaded l = load(
      "[[output]]\n"                         // 1
      "type = \"tcp\"\n"                     // 2
      "connect = \"127.0.0.1:7302\"\n"       // 3
      "[output.tls]\n"                       // 4
      "ca_file = \"/nonexistent/ca.pem\"\n"  // 5
      "crt_file = " +
      pem("client.pem") + "\n" +                  // 6
      "key_file = " + pem("server.key") + "\n" +  // 7
      "[[output]]\n"                              // 8
      "type = \"tcp\"\n"                          // 9
      "connect = \"127.0.0.1:7303\"\n"            // 10
      "[output.tls]\n"                            // 11
      "crt_file = " +
      pem("expired.pem") + "\n" +                   // 12
      "key_file = " + pem("expired.key") + "\n" +   // 13
      "ca_file = " + pem("ca.key") + "\n" +         // 14
      "[[output]]\n"                                // 15
      "type = \"tcp\"\n"                            // 16
      "connect = \"127.0.0.1:7304\"\n"              // 17
      "[output.tls]\n"                              // 18
      "crt_file = \"/nonexistent/client.pem\"\n"    // 19
      "key_file = \"/nonexistent/client.key\"\n" +  // 20
      kList);
  CHECK_FALSE(l.cfg);
  CHECK(l.error(5, "/nonexistent/ca.pem: cannot read it"));
  CHECK(l.error(7, "this key does not belong to the certificate"));
  CHECK(l.error(12, "expired on"));
  CHECK(l.error(12, "renew it"));
  CHECK(l.error(14, "no PEM certificate in it"));
  CHECK(l.error(19, "/nonexistent/client.pem: cannot read it"));
  CHECK(l.errors.size() == 5);
}

TEST_CASE("check refuses tls tables that cannot work", "[config][tls]") {
  const Loaded l = load(
      "[admin]\n"
      "tls = { ca_file = " +
      pem("ca.pem") + " }\n" +
      "[[input]]\n"
      "type = \"tcp\"\n"
      "listen = \"127.0.0.1:7301\"\n"
      "tls = { crt_file = " +
      pem("server.pem") + ", key_file = " + pem("server.key") + ", verify_certificate = true }\n" +
      "[[input]]\n"
      "type = \"tcp\"\n"
      "connect = \"127.0.0.1:7309\"\n"
      "tls = { allowed_names = [\"x\"], min_version = \"1.1\" }\n"
      "[[output]]\n"
      "type = \"stdout\"\n"
      "tls = { enabled = true }\n"
      "[[output]]\n"
      "type = \"webhook\"\n"
      "url = \"http://127.0.0.1:8080/in\"\n"
      "tls = { ca_file = " +
      pem("ca.pem") + " }\n" +
      "[[output]]\n"
      "type = \"webhook\"\n"
      "url = \"https://127.0.0.1:8443/in\"\n"
      "tls = { enabled = false }\n"
      "[[output]]\n"
      "type = \"tcp\"\n"
      "connect = \"127.0.0.1:7302\"\n"
      "tls = { crt_file = " +
      pem("client.pem") + " }\n" + kList);
  CHECK_FALSE(l.cfg);
  CHECK(l.error(2, "a TLS server needs its certificate"));
  CHECK(l.error(6, "verify_certificate = true on a TLS server needs ca_file"));
  CHECK(l.error(10, "'allowed_names' does not apply to a client TLS end"));
  CHECK(l.error(10, "'min_version' must be one of \"1.2\", \"1.3\""));
  CHECK(l.error(13, "'tls' does not apply to a stdout output"));
  CHECK(l.error(16, "has a tls table but an http:// url; write https://"));
  CHECK(l.error(21, "an https:// url needs TLS"));
  CHECK(l.error(25, "crt_file needs its key"));
}

TEST_CASE("check warns about a certificate close to expiry and verification turned off",
          "[config][tls]") {
  const Loaded l = load(
      "[[input]]\n"
      "type = \"tcp\"\n"
      "listen = \"127.0.0.1:7301\"\n"
      "tls = { crt_file = " +
      pem("soon.pem") + ", key_file = " + pem("soon.key") + " }\n" +  //
      "[[output]]\n"
      "type = \"tcp\"\n"
      "connect = \"127.0.0.1:7302\"\n"
      "tls = { verify_certificate = false }\n"
      "[[output]]\n"
      "type = \"webhook\"\n"
      "url = \"https://127.0.0.1:8443/in\"\n"
      "tls = { verify_hostname = false }\n" +
      kList);
  REQUIRE(l.cfg);
  CHECK(l.warning(4, "warning: certificate"));
  CHECK(l.warning(4, "expires on"));
  CHECK(l.warning(8, "verify_certificate = false: the server's certificate is not checked"));
  CHECK(l.warning(12, "verify_hostname = false"));
  CHECK(l.warnings.size() == 3);
}

// Config tests: parse_webhook_url, the check of a webhook output's `url`: the
// parts it keeps, and a sentence for every URL it refuses.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/config/webhook_url.hpp"

using newshound::parse_webhook_url;

TEST_CASE("parse_webhook_url accepts http URLs and explains the rest", "[config][webhook]") {
  std::string err;
  auto u = parse_webhook_url("http://hooks.example.net/a/b?x=1", err);
  REQUIRE(u);
  CHECK(u->host == "hooks.example.net");
  CHECK(u->port == 80);
  CHECK(u->target == "/a/b?x=1");
  CHECK(u->host_header == "hooks.example.net");
  u = parse_webhook_url("HTTP://[::1]:8080", err);
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->port == 8080);
  CHECK(u->target == "/");
  CHECK(u->host_header == "[::1]:8080");
  CHECK(parse_webhook_url("http://h:9?q", err)->target == "/?q");

  const auto tls = parse_webhook_url("https://hooks.example.net/in", err);  // issue 13
  REQUIRE(tls);
  CHECK(tls->https);
  CHECK(tls->port == 443);
  CHECK(tls->host_header == "hooks.example.net");
  CHECK(parse_webhook_url("https://h:8443/", err)->host_header == "h:8443");
  CHECK_FALSE(parse_webhook_url("http://h/", err)->https);
  for (const char* bad : {"hooks.example.net/x", "ftp://h/", "http://", "http://:80/",
                          "http://h:0/", "http://h:70000/", "http://h:/", "http://u:p@h/",
                          "http://h/a b", "http://h/#frag", "http://[::1/"}) {
    INFO(bad);
    err.clear();
    CHECK_FALSE(parse_webhook_url(bad, err));
    CHECK_FALSE(err.empty());
  }
}

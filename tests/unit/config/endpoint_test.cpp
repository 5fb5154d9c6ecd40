// Config tests: parse_endpoint and Endpoint::to_string, as a table of accepted
// and rejected addresses with the exact error text.
#include <catch2/catch.hpp>

#include <string>

#include "newshound/config/endpoint.hpp"

using newshound::parse_endpoint;

namespace {
const std::string kExpected =
    "; expected host:port or [ipv6]:port, e.g. \"127.0.0.1:7301\" or \"[::1]:7301\"";
}

TEST_CASE("valid endpoints parse and print back", "[config][endpoint]") {
  struct Row {
    const char* text;
    const char* host;
    unsigned port;
    const char* printed;
  };
  const Row rows[] = {
      {"127.0.0.1:7301", "127.0.0.1", 7301, "127.0.0.1:7301"},
      {"0.0.0.0:1", "0.0.0.0", 1, "0.0.0.0:1"},
      {"[::1]:7301", "::1", 7301, "[::1]:7301"},
      {"[::]:65535", "::", 65535, "[::]:65535"},
      {"[2001:db8::7]:443", "2001:db8::7", 443, "[2001:db8::7]:443"},
      {"[fe80::1%eth0]:7301", "fe80::1%eth0", 7301, "[fe80::1%eth0]:7301"},
      {"[::ffff:192.0.2.1]:80", "::ffff:192.0.2.1", 80, "[::ffff:192.0.2.1]:80"},
      {"localhost:7302", "localhost", 7302, "localhost:7302"},
      {"wire.example.net:7401", "wire.example.net", 7401, "wire.example.net:7401"},
      {"feed_01-a.internal:08080", "feed_01-a.internal", 8080, "feed_01-a.internal:8080"},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    std::string error;
    const auto ep = parse_endpoint(r.text, error);
    REQUIRE(ep.has_value());
    CHECK(error.empty());
    CHECK(ep->host == r.host);
    CHECK(ep->port == r.port);
    CHECK(ep->to_string() == r.printed);
  }
}

TEST_CASE("invalid endpoints are rejected with the form expected", "[config][endpoint]") {
  struct Row {
    std::string text;
    std::string error;
  };
  const Row rows[] = {
      {"", "empty address" + kExpected},
      {"localhost", "missing port in \"localhost\"" + kExpected},
      {"10.0.0.1:", "missing port in \"10.0.0.1:\"" + kExpected},
      {"[::1]", "missing port in \"[::1]\"" + kExpected},
      {"[::1]:", "missing port in \"[::1]:\"" + kExpected},
      {":7301",
       "missing host in \":7301\"; write \"0.0.0.0:PORT\" or \"[::]:PORT\" for all interfaces, "
       "\"127.0.0.1:PORT\" for this machine only"},
      {"127.0.0.1:0", "port \"0\" in \"127.0.0.1:0\" is not a number from 1 to 65535"},
      {"127.0.0.1:65536", "port \"65536\" in \"127.0.0.1:65536\" is not a number from 1 to 65535"},
      {"127.0.0.1:123456",
       "port \"123456\" in \"127.0.0.1:123456\" is not a number from 1 to 65535"},
      {"127.0.0.1:-1", "port \"-1\" in \"127.0.0.1:-1\" is not a number from 1 to 65535"},
      {"127.0.0.1:http", "port \"http\" in \"127.0.0.1:http\" is not a number from 1 to 65535"},
      {"127.0.0.1: 80", "port \" 80\" in \"127.0.0.1: 80\" is not a number from 1 to 65535"},
      {"::1:7301", "IPv6 address in \"::1:7301\" must be written in brackets, e.g. \"[::1]:7301\""},
      {"[::1:7301", "\"[::1:7301\" has no closing ']'" + kExpected},
      {"[::1]7301", "expected ':' after ']' in \"[::1]7301\"" + kExpected},
      {"[wire.example.net]:7301",
       "\"wire.example.net\" in \"[wire.example.net]:7301\" is not a valid IPv6 address"},
      {"[fe80::1%]:7301", "\"fe80::1%\" in \"[fe80::1%]:7301\" is not a valid IPv6 address"},
      {"999.1.1.1:80", "\"999.1.1.1\" in \"999.1.1.1:80\" is not a valid IPv4 address"},
      {"wire example:80",
       "host \"wire example\" in \"wire example:80\" may only use letters, "
       "digits, '-', '.' and '_'" +
           kExpected},
      {"wire/feed:80",
       "host \"wire/feed\" in \"wire/feed:80\" may only use letters, digits, "
       "'-', '.' and '_'" +
           kExpected},
      {"tcp://wire:80", "\"tcp://wire:80\" is a URL; write only the address" + kExpected},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    std::string error;
    CHECK_FALSE(parse_endpoint(r.text, error).has_value());
    CHECK(error == r.error);
  }
}

TEST_CASE("a host name longer than DNS allows is rejected", "[config][endpoint]") {
  std::string error;
  const std::string text = std::string(254, 'a') + ":80";
  CHECK_FALSE(parse_endpoint(text, error).has_value());
  CHECK(error.find("longer than 253 characters") != std::string::npos);
}

TEST_CASE("is_loopback_host: localhost, 127.0.0.0/8 and ::1 only", "[config][endpoint]") {
  using newshound::is_loopback_host;
  for (const char* host : {"localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.255.0.9",
                           "::1", "0:0:0:0:0:0:0:1"}) {
    INFO(host);
    CHECK(is_loopback_host(host));
  }
  for (const char* host : {"", "0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1",
                           "127.evil.example", "localhost.example", "my-localhost", "*"}) {
    INFO(host);
    CHECK_FALSE(is_loopback_host(host));
  }
}

// Tests: the feed poller's HTTP client (http_fetch.hpp) against servers on
// 127.0.0.1: conditional headers and 304, gzip, redirects reported, Retry-After,
// a body over max_bytes (also an endless chunked one, and a gzip bomb), a stall;
// and the URL parser (http and https).
#include <zlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "newshound/source/http_fetch.hpp"
#include "unit/sink/http_test_server.hpp"

using namespace newshound;
using sinktest::HttpReply;
using sinktest::HttpTestServer;

namespace {

FetchResult get(FetchRequest req) {
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(io, http_get(io.get_executor(), std::move(req)),
                                   boost::asio::use_future);
  io.run();
  return fut.get();
}

FetchRequest request(std::uint16_t port, const std::string& target) {
  FetchRequest r;
  std::string why;
  r.url = *parse_http_url("http://127.0.0.1:" + std::to_string(port) + target, why);
  r.timeout = std::chrono::milliseconds(2000);
  r.max_bytes = 4096;
  return r;
}

std::string gzip(const std::string& in) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("http_get: conditional headers, 304, ETag and User-Agent", "[source][feed]") {
  HttpTestServer server([](std::size_t, const sinktest::HttpExchange& ex) {
    if (ex.headers.count("if-none-match")) return HttpReply{304};
    return HttpReply{200, "<rss/>", {{"ETag", "\"v1\""}, {"Last-Modified", "Mon, 07 Dec 2026"}}};
  });
  FetchRequest req = request(server.port(), "/a?b=c");
  req.headers = {{"X-Token", "t"}};
  const FetchResult first = get(req);
  CHECK(first.kind == FetchResult::ok);
  CHECK(first.body == "<rss/>");
  CHECK(first.etag == "\"v1\"");
  req.etag = first.etag;
  req.last_modified = first.last_modified;
  CHECK(get(req).kind == FetchResult::not_modified);
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].target == "/a?b=c");
  CHECK(reqs[0].headers.at("user-agent").rfind("newshound/", 0) == 0);
  CHECK(reqs[0].headers.at("x-token") == "t");
  CHECK(reqs[1].headers.at("if-none-match") == "\"v1\"");
  CHECK(reqs[1].headers.at("if-modified-since") == "Mon, 07 Dec 2026");
}

TEST_CASE("http_get: gzip bodies, bombs, redirects, 503 with Retry-After", "[source][feed]") {
  const std::string text(3000, 'a');
  const std::string bomb = gzip(std::string(1 << 20, 'b'));
  HttpTestServer server([&](std::size_t, const sinktest::HttpExchange& ex) {
    if (ex.target == "/gz") return HttpReply{200, gzip(text), {{"Content-Encoding", "gzip"}}};
    if (ex.target == "/bomb") return HttpReply{200, bomb, {{"Content-Encoding", "gzip"}}};
    if (ex.target == "/bad") return HttpReply{200, "not gzip", {{"Content-Encoding", "gzip"}}};
    if (ex.target == "/moved") return HttpReply{301, "", {{"Location", "/gz"}}};
    if (ex.target == "/big") return HttpReply{200, std::string(5000, 'x')};
    return HttpReply{503, "", {{"Retry-After", "120"}}};
  });
  CHECK(get(request(server.port(), "/gz")).body == text);
  CHECK(get(request(server.port(), "/bomb")).kind == FetchResult::too_large);
  CHECK(get(request(server.port(), "/bad")).kind == FetchResult::bad_gzip);
  const FetchResult moved = get(request(server.port(), "/moved"));
  CHECK(moved.kind == FetchResult::redirect);
  CHECK(moved.status == 301);
  CHECK(moved.location == "/gz");
  CHECK(get(request(server.port(), "/big")).kind == FetchResult::too_large);
  const FetchResult busy = get(request(server.port(), "/busy"));
  CHECK(busy.kind == FetchResult::http_error);
  CHECK(busy.status == 503);
  CHECK(busy.retry_after == std::chrono::milliseconds(120000));
}

TEST_CASE("http_get: an endless chunked body is cut, a stall times out", "[source][feed]") {
  namespace asio = boost::asio;
  asio::io_context sio;
  asio::ip::tcp::acceptor acc(sio, {asio::ip::address_v4::loopback(), 0});
  const std::uint16_t port = acc.local_endpoint().port();
  std::thread t([&] {
    for (int i = 0; i < 2; ++i) {
      asio::ip::tcp::socket s(sio);
      boost::system::error_code ec;
      acc.accept(s, ec);
      if (ec) return;
      char buf[4096];
      s.read_some(asio::buffer(buf), ec);
      if (i == 0) {  // endless chunked body
        asio::write(
            s, asio::buffer(std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")),
            ec);
        const std::string chunk = "400\r\n" + std::string(1024, 'z') + "\r\n";
        while (!ec) asio::write(s, asio::buffer(chunk), ec);
      } else {  // stall: read until the client gives up
        while (!ec) s.read_some(asio::buffer(buf), ec);
      }
    }
  });
  FetchRequest req = request(port, "/");
  CHECK(get(req).kind == FetchResult::too_large);
  req.timeout = std::chrono::milliseconds(200);
  const FetchResult stalled = get(req);
  CHECK(stalled.kind == FetchResult::failed);
  CHECK(stalled.why.find("timed out") != std::string::npos);
  t.join();
}

TEST_CASE("http urls: http and https parsed, redirects resolved", "[source][feed]") {
  std::string why;
  auto u = parse_http_url("http://Example.net:8080/a/b.xml?x=1#frag", why);
  REQUIRE(u);
  CHECK(u->host == "Example.net");
  CHECK(u->port == 8080);
  CHECK(u->target == "/a/b.xml?x=1");
  CHECK(u->text() == "http://Example.net:8080/a/b.xml?x=1");
  CHECK(parse_http_url("http://[::1]/", why)->host == "::1");
  const auto tls = parse_http_url("HTTPS://example.net/feed", why);  // issue 13
  REQUIRE(tls);
  CHECK(tls->scheme == "https");
  CHECK(tls->port == 443);
  CHECK(tls->text() == "https://example.net/feed");
  CHECK(parse_http_url("https://example.net:8443/", why)->port == 8443);
  CHECK(resolve_location(*tls, "http://example.net/x", why)->scheme == "http");
  CHECK(resolve_location(*tls, "//cdn.example.net/f", why)->text() == "https://cdn.example.net/f");
  CHECK_FALSE(parse_http_url("ftp://x/", why));
  CHECK(why == "not an http:// or https:// URL");
  CHECK_FALSE(parse_http_url("http://u@x/", why));
  CHECK_FALSE(parse_http_url("http://x:0/", why));
  CHECK_FALSE(parse_http_url("http://x y/", why));
  CHECK(resolve_location(*u, "c.xml", why)->target == "/a/c.xml");
  CHECK(resolve_location(*u, "/r", why)->text() == "http://Example.net:8080/r");
  CHECK(resolve_location(*u, "//other/f", why)->text() == "http://other/f");
  CHECK(resolve_location(*u, "http://third:81/", why)->port == 81);
}

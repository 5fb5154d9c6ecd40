// Daemon tests: AdminServer over real loopback sockets (127.0.0.1, port 0) with a
// Beast client running on the same io_context: every route, 404/405, keep-alive,
// readiness flipping, the reload callback, size limits, bad requests, the
// connection limit (health checks still answered), idle timeout and stop(); Host
// and Origin checks, HEAD, Expect: 100-continue; the bearer token (missing, wrong,
// right, health checks open, replaced, no token off loopback). Each exchange is
// bounded by run_for.
#include <catch2/catch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "newshound/daemon/admin_server.hpp"
#include "newshound/net/tls_edge.hpp"
#include "support/test_certs.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct Server {
  explicit Server(newshound::AdminLimits limits = {})
      : server(io, newshound::Endpoint{"127.0.0.1", 0}, handlers(), limits) {
    const std::string error = server.bind();
    INFO(error);
    REQUIRE(error.empty());
    REQUIRE(server.local_port() != 0);
    server.start();
  }

  newshound::AdminHandlers handlers() {
    newshound::AdminHandlers h;
    h.metrics = [this] {
      return "# HELP newshound_up Test.\n# TYPE newshound_up gauge\nnewshound_up " +
             std::to_string(++scrapes) + "\n";
    };
    h.ready = [this] { return newshound::Readiness{ready, ready ? "" : "draining"}; };
    h.rules_json = [this]() -> std::string {
      if (rules_throw) throw std::runtime_error("rules are being swapped");
      return R"({"version":"v7","lists":[{"name":"people","entities":3}]})";
    };
    h.reload = [this] {
      if (draining) return newshound::ReloadRequest::refused;
      return ++reloads == 1 ? newshound::ReloadRequest::started
                            : newshound::ReloadRequest::coalesced;
    };
    return h;
  }

  asio::io_context io;
  int scrapes = 0;
  int reloads = 0;
  bool ready = false;
  bool draining = false;
  bool rules_throw = false;
  newshound::AdminServer server;
};

Request get(std::string target, http::verb verb = http::verb::get) {
  Request r{verb, target, 11};
  r.set(http::field::host, "127.0.0.1");
  r.prepare_payload();
  return r;
}

// Runs `task` on the server's io_context until it finishes (at most 10 s).
template <class T>
T run(Server& s, asio::awaitable<T> task) {
  std::optional<T> result;
  std::exception_ptr error;
  asio::co_spawn(s.io, std::move(task), [&](std::exception_ptr e, T v) {
    error = e;
    if (!e) result = std::move(v);
    s.io.stop();
  });
  s.io.restart();
  s.io.run_for(10s);
  if (error) std::rethrow_exception(error);
  REQUIRE(result.has_value());  // did not finish in time otherwise
  return std::move(*result);
}

asio::awaitable<beast::tcp_stream> connect(std::uint16_t port) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                asio::use_awaitable);
  co_return stream;
}

asio::awaitable<Response> ask(beast::tcp_stream& stream, beast::flat_buffer& buf, Request req) {
  co_await http::async_write(stream, req, asio::use_awaitable);
  Response res;
  co_await http::async_read(stream, buf, res, asio::use_awaitable);
  co_return res;
}

// Sends `requests` on one connection, one after the other.
asio::awaitable<std::vector<Response>> exchange(std::uint16_t port, std::vector<Request> requests) {
  beast::tcp_stream stream = co_await connect(port);
  beast::flat_buffer buf;
  std::vector<Response> out;
  for (Request& r : requests) {
    Response res = co_await ask(stream, buf, std::move(r));
    out.push_back(std::move(res));
  }
  co_return out;
}

Response fetch(Server& s, Request req) {
  std::vector<Request> one;
  one.push_back(std::move(req));
  return run(s, exchange(s.server.local_port(), std::move(one))).at(0);
}

struct RawResult {
  std::optional<Response> response;  ///< nullopt if none could be read
  bool closed_after = false;         ///< the server closed the connection afterwards
};

// Writes raw bytes, reads one response, then checks whether the server closes.
asio::awaitable<RawResult> raw(std::uint16_t port, std::string bytes) {
  beast::tcp_stream stream = co_await connect(port);
  RawResult out;
  auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(bytes), use_tuple);
  (void)wn;
  beast::flat_buffer buf;
  Response res;
  auto [rec, rn] = co_await http::async_read(stream, buf, res, use_tuple);
  if (!rec) out.response = std::move(res);
  (void)wec;
  stream.expires_after(5s);
  char c;
  auto [eec, en] = co_await stream.async_read_some(asio::buffer(&c, 1), use_tuple);
  out.closed_after = eec == asio::error::eof || eec == asio::error::connection_reset;
  co_return out;
}

}  // namespace

TEST_CASE("GET /healthz answers ok", "[admin]") {
  Server s;
  const Response r = fetch(s, get("/healthz"));
  CHECK(r.result() == http::status::ok);
  CHECK(r.body() == "ok\n");
}

TEST_CASE("GET /metrics serves the Prometheus text from the handler", "[admin]") {
  Server s;
  const Response r = fetch(s, get("/metrics"));
  CHECK(r.result() == http::status::ok);
  CHECK(r[http::field::content_type].starts_with("text/plain; version=0.0.4"));
  CHECK(r.body().find("\nnewshound_up 1\n") != std::string::npos);
  CHECK(s.scrapes == 1);
}

TEST_CASE("GET /v1/rules returns the handler's JSON", "[admin]") {
  Server s;
  const Response r = fetch(s, get("/v1/rules?pretty=1"));
  CHECK(r.result() == http::status::ok);
  CHECK(r[http::field::content_type] == "application/json");
  CHECK(r.body() == R"({"version":"v7","lists":[{"name":"people","entities":3}]})");
}

TEST_CASE("a handler that throws gives 500 and the server keeps serving", "[admin]") {
  Server s;
  s.rules_throw = true;
  std::vector<Request> reqs;
  reqs.push_back(get("/v1/rules"));
  reqs.push_back(get("/healthz"));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::internal_server_error);
  CHECK(rs.at(0).body().find("rules are being swapped") != std::string::npos);
  CHECK(rs.at(1).result() == http::status::ok);
}

TEST_CASE("GET /readyz is 503 with the reason until ready, then 200", "[admin]") {
  Server s;
  Response r = fetch(s, get("/readyz"));
  CHECK(r.result() == http::status::service_unavailable);
  CHECK(r.body() == "not ready: draining\n");
  s.ready = true;
  r = fetch(s, get("/readyz"));
  CHECK(r.result() == http::status::ok);
  s.ready = false;
  r = fetch(s, get("/readyz"));
  CHECK(r.result() == http::status::service_unavailable);
}

TEST_CASE("POST /v1/reload calls the reload handler and answers 202", "[admin]") {
  Server s;
  std::vector<Request> reqs;
  reqs.push_back(get("/v1/reload", http::verb::post));
  reqs.push_back(get("/v1/reload", http::verb::post));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(s.reloads == 2);
  CHECK(rs.at(0).result() == http::status::accepted);
  CHECK(rs.at(0)[http::field::content_type] == "application/json");
  CHECK(rs.at(0).body() == "{\"status\":\"accepted\",\"coalesced\":false}\n");
  CHECK(rs.at(1).body() == "{\"status\":\"accepted\",\"coalesced\":true}\n");
}

TEST_CASE("unknown paths are 404, wrong methods 405 with Allow", "[admin]") {
  Server s;
  std::vector<Request> reqs;
  reqs.push_back(get("/nope"));
  reqs.push_back(get("/v1/reload"));                  // GET on a POST route
  reqs.push_back(get("/metrics", http::verb::post));  // POST on a GET route
  reqs.push_back(get("/v1/rules", http::verb::delete_));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::not_found);
  CHECK(rs.at(1).result() == http::status::method_not_allowed);
  CHECK(rs.at(1)[http::field::allow] == "POST");
  CHECK(rs.at(2).result() == http::status::method_not_allowed);
  CHECK(rs.at(2)[http::field::allow] == "GET, HEAD");
  CHECK(rs.at(3)[http::field::allow] == "GET, HEAD");
  CHECK(s.reloads == 0);
  CHECK(s.scrapes == 0);
}

TEST_CASE("keep-alive serves several requests on one connection", "[admin]") {
  Server s;
  std::vector<Request> reqs;
  reqs.push_back(get("/metrics"));
  reqs.push_back(get("/metrics"));
  reqs.push_back(get("/healthz"));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  REQUIRE(rs.size() == 3);
  CHECK(rs[0].keep_alive());
  CHECK(rs[1].body().find("newshound_up 2") != std::string::npos);
  CHECK(rs[2].body() == "ok\n");
}

TEST_CASE("HTTP/1.0 without keep-alive is answered and closed", "[admin]") {
  Server s;
  const RawResult r = run(s, raw(s.server.local_port(), "GET /healthz HTTP/1.0\r\n\r\n"));
  REQUIRE(r.response.has_value());
  CHECK(r.response->result() == http::status::ok);
  CHECK(r.closed_after);
}

TEST_CASE("malformed requests get 400 and a close", "[admin]") {
  Server s;
  const RawResult r =
      run(s, raw(s.server.local_port(), "GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"));
  REQUIRE(r.response.has_value());
  CHECK(r.response->result() == http::status::bad_request);
  CHECK(r.closed_after);
}

TEST_CASE("oversized requests are rejected before the handler runs", "[admin]") {
  newshound::AdminLimits limits;
  limits.max_request_bytes = 4096;
  Server s(limits);

  SECTION("a header beyond the limit gets 431") {
    const std::string req =
        "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(20000, 'a') + "\r\n\r\n";
    const RawResult r = run(s, raw(s.server.local_port(), req));
    REQUIRE(r.response.has_value());
    CHECK(r.response->result() == http::status::request_header_fields_too_large);
    CHECK(r.closed_after);
    CHECK(s.scrapes == 0);
  }
  SECTION("a body beyond the limit gets 413") {
    const std::string req =
        "POST /v1/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
        std::string(100000, '{');
    const RawResult r = run(s, raw(s.server.local_port(), req));
    REQUIRE(r.response.has_value());
    CHECK(r.response->result() == http::status::payload_too_large);
    CHECK(r.closed_after);
    CHECK(s.reloads == 0);
  }
}

TEST_CASE("beyond max_connections a client gets 503, the open one keeps working", "[admin]") {
  newshound::AdminLimits limits;
  limits.max_connections = 1;
  Server s(limits);
  const std::uint16_t port = s.server.local_port();
  auto task = [](std::uint16_t port) -> asio::awaitable<std::vector<Response>> {
    beast::tcp_stream first = co_await connect(port);
    beast::flat_buffer buf1;
    std::vector<Response> out;
    Response r1 = co_await ask(first, buf1, get("/healthz"));  // now being served
    out.push_back(std::move(r1));
    beast::tcp_stream second = co_await connect(port);
    beast::flat_buffer buf2;
    Response r2 = co_await ask(second, buf2, get("/metrics"));  // /healthz would be answered
    out.push_back(std::move(r2));
    Response r3 = co_await ask(first, buf1, get("/healthz"));
    out.push_back(std::move(r3));
    co_return out;
  };
  const auto rs = run(s, task(port));
  CHECK(rs.at(0).result() == http::status::ok);
  CHECK(rs.at(1).result() == http::status::service_unavailable);
  CHECK_FALSE(rs.at(1).keep_alive());
  CHECK(rs.at(2).result() == http::status::ok);
}

TEST_CASE("an idle connection is closed after the read timeout", "[admin]") {
  newshound::AdminLimits limits;
  limits.read_timeout = 200ms;
  Server s(limits);
  auto task = [](std::uint16_t port) -> asio::awaitable<bool> {
    beast::tcp_stream stream = co_await connect(port);
    char c;
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(&c, 1), use_tuple);
    (void)n;
    co_return ec == asio::error::eof || ec == asio::error::connection_reset;
  };
  CHECK(run(s, task(s.server.local_port())));
}

TEST_CASE("an idle HTTPS connection ends with close_notify at the read timeout", "[admin][tls]") {
  newshound::AdminLimits limits;
  limits.read_timeout = 200ms;
  newshound::net::TlsOptions o = newshound::net::server_tls_defaults();
  o.enabled = true;
  o.crt_file = testcerts::file("server.pem");
  o.key_file = testcerts::file("server.key");
  std::string error;
  limits.tls = newshound::net::TlsEdge::make("admin", o, newshound::net::TlsRole::server, error);
  INFO(error);
  REQUIRE(limits.tls);
  Server s(limits);
  // OpenSSL through Asio's SSL stream tells a close_notify (eof) from a
  // connection closed without one (stream_truncated).
  auto task = [](std::uint16_t port) -> asio::awaitable<boost::system::error_code> {
    asio::ssl::context ctx(asio::ssl::context::tls_client);  // verifies nothing
    asio::ssl::stream<tcp::socket> stream(co_await asio::this_coro::executor, ctx);
    auto [cec] = co_await stream.next_layer().async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_tuple);
    if (cec) co_return cec;
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (hec) co_return hec;
    char c;
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(&c, 1), use_tuple);
    (void)n;
    co_return ec;
  };
  CHECK(run(s, task(s.server.local_port())) == asio::error::eof);
}

TEST_CASE("stop() closes open connections and the listening socket", "[admin]") {
  Server s;
  const std::uint16_t port = s.server.local_port();
  auto task = [](newshound::AdminServer& server,
                 std::uint16_t port) -> asio::awaitable<std::pair<bool, bool>> {
    beast::tcp_stream stream = co_await connect(port);
    beast::flat_buffer buf;
    Response r = co_await ask(stream, buf, get("/healthz"));
    server.stop();
    char c;
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(&c, 1), use_tuple);
    (void)n;
    const bool closed = ec == asio::error::eof || ec == asio::error::connection_reset;
    beast::tcp_stream again(co_await asio::this_coro::executor);
    auto [cec] = co_await again.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_tuple);
    co_return std::make_pair(closed, bool(cec));
  };
  const auto [closed, refused] = run(s, task(s.server, port));
  CHECK(closed);
  CHECK(refused);
}

TEST_CASE("bind reports a port already in use", "[admin]") {
  Server s;
  asio::io_context io;
  newshound::AdminServer other(io, newshound::Endpoint{"127.0.0.1", s.server.local_port()}, {});
  const std::string error = other.bind();
  CHECK(error.find("admin 127.0.0.1:") == 0);
  CHECK(error.find("cannot bind") != std::string::npos);
  // The bind error itself, not the result of closing the socket afterwards.
  CHECK(error.find("Success") == std::string::npos);
  CHECK(error.find("in use") != std::string::npos);
  CHECK(other.local_port() == 0);
}

namespace {

Request with(Request r, http::field f, std::string value) {
  r.set(f, value);
  return r;
}

// Writes raw bytes and returns everything the server sends until it closes the
// connection or `wait` passes.
asio::awaitable<std::string> raw_all(std::uint16_t port, std::string bytes,
                                     std::chrono::milliseconds wait = 3000ms) {
  beast::tcp_stream stream = co_await connect(port);
  auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(bytes), use_tuple);
  (void)wec;
  (void)wn;
  std::string out;
  stream.expires_after(wait);
  char buf[4096];
  for (;;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), use_tuple);
    out.append(buf, n);
    if (ec) break;
  }
  co_return out;
}

}  // namespace

TEST_CASE("POST /v1/reload says coalesced when it was, and 503 while draining", "[admin]") {
  Server s;
  std::vector<Request> reqs;
  reqs.push_back(get("/v1/reload", http::verb::post));
  reqs.push_back(get("/v1/reload", http::verb::post));
  auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).body().find("\"coalesced\":false") != std::string::npos);
  CHECK(rs.at(1).body().find("\"coalesced\":true") != std::string::npos);
  s.draining = true;
  const Response r = fetch(s, get("/v1/reload", http::verb::post));
  CHECK(r.result() == http::status::service_unavailable);
  CHECK(r.body().find("draining") != std::string::npos);
  CHECK(s.reloads == 2);
}

TEST_CASE("a request naming another Host gets 421 and reaches no handler", "[admin]") {
  Server s;
  const std::string port = std::to_string(s.server.local_port());
  std::vector<Request> reqs;
  reqs.push_back(with(get("/v1/rules"), http::field::host, "evil.example:" + port));
  reqs.push_back(
      with(get("/v1/reload", http::verb::post), http::field::host, "attacker.test:" + port));
  reqs.push_back(with(get("/metrics"), http::field::host, "127.0.0.1:" + port));
  reqs.push_back(with(get("/metrics"), http::field::host, "LOCALHOST:" + port));
  reqs.push_back(with(get("/healthz"), http::field::host, "10.1.2.3:" + port));  // not bound there
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::misdirected_request);
  CHECK(rs.at(0).body().find("v7") == std::string::npos);
  CHECK(rs.at(1).result() == http::status::misdirected_request);
  CHECK(rs.at(2).result() == http::status::ok);
  CHECK(rs.at(3).result() == http::status::ok);
  CHECK(rs.at(4).result() == http::status::misdirected_request);
  CHECK(s.reloads == 0);
  CHECK(s.scrapes == 2);
}

TEST_CASE("an HTTP/1.1 request without Host gets 400", "[admin]") {
  Server s;
  const RawResult r =
      run(s, raw(s.server.local_port(), "GET /v1/rules HTTP/1.1\r\nConnection: close\r\n\r\n"));
  REQUIRE(r.response.has_value());
  CHECK(r.response->result() == http::status::bad_request);
}

TEST_CASE("allowed_hosts adds names the endpoint answers to", "[admin]") {
  newshound::AdminLimits limits;
  limits.allowed_hosts = {"newshound.internal"};
  Server s(limits);
  std::vector<Request> reqs;
  reqs.push_back(with(get("/healthz"), http::field::host, "newshound.internal:7380"));
  reqs.push_back(with(get("/healthz"), http::field::host, "newshound.internal.evil.example"));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::ok);
  CHECK(rs.at(1).result() == http::status::misdirected_request);
}

TEST_CASE("a request carrying a foreign Origin gets 403 and reaches no handler", "[admin]") {
  Server s;
  const std::string port = std::to_string(s.server.local_port());
  std::vector<Request> reqs;
  reqs.push_back(
      with(get("/v1/reload", http::verb::post), http::field::origin, "http://evil.example"));
  reqs.push_back(with(get("/v1/rules"), http::field::origin, "null"));
  reqs.push_back(with(get("/v1/rules"), http::field::origin, "http://127.0.0.1.evil.example"));
  reqs.push_back(
      with(get("/v1/reload", http::verb::post), http::field::origin, "http://127.0.0.1:" + port));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::forbidden);
  CHECK(rs.at(1).result() == http::status::forbidden);
  CHECK(rs.at(2).result() == http::status::forbidden);
  CHECK(rs.at(3).result() == http::status::accepted);  // its own origin
  CHECK(s.reloads == 1);
}

TEST_CASE("HEAD answers like GET without a body", "[admin]") {
  Server s;
  const std::string out =
      run(s, raw_all(s.server.local_port(),
                     "HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  INFO(out);
  CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));
  const auto end = out.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  CHECK(end + 4 == out.size());  // no body
  // The Content-Length a GET would have.
  const std::string body = "# HELP newshound_up Test.\n# TYPE newshound_up gauge\nnewshound_up 1\n";
  CHECK(out.find("Content-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
  // Keep-alive: the next response follows the HEAD answer's header directly.
  const std::string two =
      run(s, raw_all(s.server.local_port(),
                     "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  INFO(two);
  const auto first_end = two.find("\r\n\r\n");
  REQUIRE(first_end != std::string::npos);
  CHECK(two.substr(first_end + 4).starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(two.ends_with("\r\n\r\nok\n"));
}

TEST_CASE("Expect: 100-continue is answered before the body is sent", "[admin]") {
  Server s;
  auto task = [](std::uint16_t port) -> asio::awaitable<std::pair<std::string, std::string>> {
    beast::tcp_stream stream = co_await connect(port);
    const std::string head =
        "POST /v1/reload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
        "Expect: 100-continue\r\nConnection: close\r\n\r\n";
    co_await asio::async_write(stream, asio::buffer(head), asio::use_awaitable);
    stream.expires_after(2s);  // far below the 10 s read timeout
    std::string interim;
    char buf[4096];
    while (interim.find("\r\n\r\n") == std::string::npos) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), use_tuple);
      interim.append(buf, n);
      if (ec) co_return std::make_pair(interim, std::string());
    }
    co_await asio::async_write(stream, asio::buffer(std::string("{}")), asio::use_awaitable);
    std::string final;
    stream.expires_after(2s);
    for (;;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), use_tuple);
      final.append(buf, n);
      if (ec) break;
    }
    co_return std::make_pair(interim, final);
  };
  const auto [interim, final] = run(s, task(s.server.local_port()));
  CHECK(interim.starts_with("HTTP/1.1 100 Continue\r\n"));
  CHECK(final.starts_with("HTTP/1.1 202 Accepted\r\n"));
  CHECK(s.reloads == 1);
}

TEST_CASE("idle connections at max_connections do not fail /healthz", "[admin]") {
  newshound::AdminLimits limits;
  limits.max_connections = 4;
  Server s(limits);
  auto task = [](std::uint16_t port) -> asio::awaitable<std::vector<Response>> {
    std::vector<beast::tcp_stream> idle;
    for (int i = 0; i < 4; ++i) idle.push_back(co_await connect(port));
    // Let the server accept them all before the health check arrives.
    asio::steady_timer t(co_await asio::this_coro::executor, 200ms);
    co_await t.async_wait(asio::use_awaitable);
    std::vector<Response> out;
    for (const char* target : {"/healthz", "/metrics"}) {
      beast::tcp_stream extra = co_await connect(port);
      beast::flat_buffer buf;
      Response r = co_await ask(extra, buf, get(target));
      out.push_back(std::move(r));
    }
    co_return out;
  };
  const auto rs = run(s, task(s.server.local_port()));
  CHECK(rs.at(0).result() == http::status::ok);
  CHECK(rs.at(0).body() == "ok\n");
  CHECK_FALSE(rs.at(0).keep_alive());
  CHECK(rs.at(1).result() == http::status::service_unavailable);
  CHECK(s.scrapes == 0);
}

namespace {
constexpr const char* kToken = "s3cret-token-0123456789abcdef";

newshound::AdminLimits with_token(std::string token = kToken) {
  newshound::AdminLimits limits;
  limits.token = std::move(token);
  return limits;
}

Request bearer(Request r, const std::string& credentials) {
  return with(std::move(r), http::field::authorization, credentials);
}
}  // namespace

TEST_CASE("with a token, requests without it get 401 and reach no handler", "[admin][token]") {
  Server s(with_token());
  std::vector<Request> reqs;
  reqs.push_back(get("/metrics"));
  reqs.push_back(get("/v1/reload", http::verb::post));
  reqs.push_back(bearer(get("/v1/rules"), "Basic dXNlcjpwYXNz"));  // not a bearer token
  reqs.push_back(bearer(get("/v1/rules"), "Bearer "));
  reqs.push_back(get("/nope"));  // even 404s are not told apart without the token
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  for (const Response& r : rs) {
    CHECK(r.result() == http::status::unauthorized);
    CHECK(r[http::field::www_authenticate] == "Bearer realm=\"newshound\"");
    CHECK(r[http::field::content_type] == "application/json");
    CHECK(r.body().starts_with(R"({"error":"unauthorized","reason":"missing",)"));
  }
  CHECK(s.scrapes == 0);
  CHECK(s.reloads == 0);
  CHECK(s.server.auth_failures().missing == 5);
  CHECK(s.server.auth_failures().wrong == 0);
}

TEST_CASE("with a token, a wrong one gets 401 invalid_token and is counted", "[admin][token]") {
  Server s(with_token());
  const std::string token = kToken;
  std::vector<Request> reqs;
  reqs.push_back(bearer(get("/metrics"), "Bearer not-the-token-0123456789ab"));
  reqs.push_back(bearer(get("/metrics"), "Bearer " + token.substr(0, token.size() - 1)));
  reqs.push_back(bearer(get("/metrics"), "Bearer " + token + "x"));
  reqs.push_back(bearer(get("/metrics"), "Bearer " + token.substr(0, token.size() - 1) + "F"));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  for (const Response& r : rs) {
    CHECK(r.result() == http::status::unauthorized);
    CHECK(r[http::field::www_authenticate] ==
          "Bearer realm=\"newshound\", error=\"invalid_token\"");
    CHECK(r.body().find(token) == std::string::npos);
  }
  CHECK(s.scrapes == 0);
  CHECK(s.server.auth_failures().wrong == 4);
  CHECK(s.server.auth_failures().missing == 0);
}

TEST_CASE("with a token, the right one is served, the scheme in any case", "[admin][token]") {
  Server s(with_token());
  const std::string token = kToken;
  std::vector<Request> reqs;
  reqs.push_back(bearer(get("/metrics"), "Bearer " + token));
  reqs.push_back(bearer(get("/v1/rules"), "bearer  " + token));
  reqs.push_back(bearer(get("/v1/reload", http::verb::post), "BEARER " + token));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::ok);
  CHECK(rs.at(1).result() == http::status::ok);
  CHECK(rs.at(2).result() == http::status::accepted);
  CHECK(s.scrapes == 1);
  CHECK(s.reloads == 1);
  CHECK(s.server.auth_failures().missing == 0);
  CHECK(s.server.auth_failures().wrong == 0);
}

TEST_CASE("with a token, GET and HEAD of /healthz and /readyz stay open", "[admin][token]") {
  Server s(with_token());
  s.ready = true;
  std::vector<Request> reqs;
  reqs.push_back(get("/healthz"));
  reqs.push_back(get("/readyz?verbose=1"));
  reqs.push_back(get("/healthz", http::verb::post));  // not a health check: 401, not 405
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::ok);
  CHECK(rs.at(1).result() == http::status::ok);
  CHECK(rs.at(2).result() == http::status::unauthorized);
  // HEAD (read raw: a HEAD answer has a Content-Length and no body).
  const std::string heads =
      run(s, raw_all(s.server.local_port(),
                     "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "HEAD /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  INFO(heads);
  CHECK(heads.starts_with("HTTP/1.1 200 OK\r\n"));
  const auto second = heads.find("HTTP/1.1 ", 1);
  REQUIRE(second != std::string::npos);
  CHECK(heads.substr(second).starts_with("HTTP/1.1 200 OK\r\n"));
  const auto third = heads.find("HTTP/1.1 ", second + 1);
  REQUIRE(third != std::string::npos);
  CHECK(heads.substr(third).starts_with("HTTP/1.1 401 Unauthorized\r\n"));
  CHECK(s.server.auth_failures().missing == 2);
  CHECK(s.scrapes == 0);
}

TEST_CASE("with a token, Host and Origin are still checked first", "[admin][token]") {
  Server s(with_token());
  const std::string port = std::to_string(s.server.local_port());
  std::vector<Request> reqs;
  reqs.push_back(bearer(with(get("/v1/rules"), http::field::host, "evil.example:" + port),
                        std::string("Bearer ") + kToken));
  reqs.push_back(
      bearer(with(get("/v1/reload", http::verb::post), http::field::origin, "http://evil.example"),
             std::string("Bearer ") + kToken));
  const auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::misdirected_request);
  CHECK(rs.at(1).result() == http::status::forbidden);
  CHECK(s.reloads == 0);
}

TEST_CASE("set_token replaces the token for the next requests", "[admin][token]") {
  Server s(with_token());
  const std::string fresh = "a-new-token-after-reload-42";
  CHECK(s.server.set_token(fresh).empty());
  std::vector<Request> reqs;
  reqs.push_back(bearer(get("/metrics"), std::string("Bearer ") + kToken));
  reqs.push_back(bearer(get("/metrics"), "Bearer " + fresh));
  auto rs = run(s, exchange(s.server.local_port(), std::move(reqs)));
  CHECK(rs.at(0).result() == http::status::unauthorized);
  CHECK(rs.at(1).result() == http::status::ok);
  // On loopback the token may be removed (token_file taken out of the config).
  CHECK(s.server.set_token("").empty());
  CHECK(fetch(s, get("/metrics")).result() == http::status::ok);
}

TEST_CASE("without a token, bind refuses an address that is not loopback", "[admin][token]") {
  asio::io_context io;
  newshound::AdminServer server(io, newshound::Endpoint{"0.0.0.0", 0}, {});
  const std::string error = server.bind();
  CHECK(error.find("refusing to listen on 0.0.0.0, which is not a loopback address, without a "
                   "token; set [admin] token_file, or listen on 127.0.0.1 or [::1]") !=
        std::string::npos);
  CHECK(server.local_port() == 0);
}

// Daemon tests: AdminServer over real loopback sockets (127.0.0.1, port 0) with a
// Beast client running on the same io_context: every route, 404/405, keep-alive,
// readiness flipping, the reload callback, size limits, bad requests, the
// connection limit, idle timeout and stop(). Each exchange is bounded by run_for.
#include <catch2/catch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "newshound/daemon/admin_server.hpp"

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
    h.reload = [this] { return ++reloads == 1; };
    return h;
  }

  asio::io_context io;
  int scrapes = 0;
  int reloads = 0;
  bool ready = false;
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
  CHECK(rs.at(2)[http::field::allow] == "GET");
  CHECK(rs.at(3)[http::field::allow] == "GET");
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
    Response r2 = co_await ask(second, buf2, get("/healthz"));
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
  CHECK(other.local_port() == 0);
}

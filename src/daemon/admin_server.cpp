// Daemon: AdminServer. One accept loop and one coroutine per connection on the
// event loop; requests are parsed by Beast with size limits and a read timeout,
// routed to AdminHandlers, and answered with keep-alive. No exception leaves.
#include "newshound/daemon/admin_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <list>
#include <string_view>

#include "newshound/util/prometheus.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kJson = "application/json";
/// After an error response, how long and how much of the rest of the request we
/// read and discard, so closing does not reset the connection before the client
/// has read the response.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 1 << 20;

Response make_response(http::status status, unsigned version, std::string_view content_type,
                       std::string body) {
  Response res{status, version};
  res.set(http::field::server, "newshound");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response text(http::status status, unsigned version, std::string body) {
  return make_response(status, version, kText, std::move(body));
}

/// Logs the exception that ended a detached coroutine (only bad_alloc can).
void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("admin: connection ended by an exception: {}", ex.what());
  } catch (...) {
    spdlog::error("admin: connection ended by an unknown exception");
  }
}

}  // namespace

struct AdminServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Endpoint ep, AdminHandlers h, AdminLimits l)
      : io(io), listen(std::move(ep)), handlers(std::move(h)), limits(l), acceptor(io), retry(io) {}

  asio::io_context& io;
  Endpoint listen;
  AdminHandlers handlers;
  AdminLimits limits;
  tcp::acceptor acceptor;
  asio::steady_timer retry;
  bool stopping = false;
  std::size_t active = 0;    ///< sessions being served
  std::size_t refusing = 0;  ///< connections being sent a 503
  std::list<std::weak_ptr<beast::tcp_stream>> streams;
  RateLimiter accept_log;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<beast::tcp_stream> stream);
  asio::awaitable<void> refuse(std::shared_ptr<beast::tcp_stream> stream);
  asio::awaitable<void> linger_close(beast::tcp_stream& stream);
  Response route(const Request& req);
  Response call(unsigned version, const std::function<Response()>& f);

  void track(const std::shared_ptr<beast::tcp_stream>& s) {
    streams.remove_if([](const auto& w) { return w.expired(); });
    streams.push_back(s);
  }
};

AdminServer::AdminServer(asio::io_context& io, Endpoint listen, AdminHandlers handlers,
                         AdminLimits limits)
    : impl_(std::make_shared<Impl>(io, std::move(listen), std::move(handlers), limits)) {}

AdminServer::~AdminServer() {
  stop();
}

std::uint16_t AdminServer::local_port() const {
  boost::system::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::size_t AdminServer::connections() const {
  return impl_->active;
}

std::string AdminServer::bind() {
  Impl& i = *impl_;
  const std::string where = "admin " + i.listen.to_string();
  boost::system::error_code ec;
  tcp::resolver resolver(i.io);
  const auto results =
      resolver.resolve(i.listen.host, std::to_string(i.listen.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return where + ": cannot resolve " + i.listen.host + ": " + ec.message() +
           " (use an IP address or a resolvable host name in [admin] listen)";
  }
  const tcp::endpoint ep = results.begin()->endpoint();
  if (i.acceptor.open(ep.protocol(), ec); ec)
    return where + ": cannot open socket: " + ec.message();
  i.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (i.acceptor.bind(ep, ec); ec) {
    i.acceptor.close(ec);
    return where + ": cannot bind: " + ec.message() +
           " (is another process using this port? change [admin] listen, or set it to \"\" to "
           "disable the admin endpoint)";
  }
  if (i.acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    i.acceptor.close(ec);
    return where + ": cannot listen: " + ec.message();
  }
  return {};
}

void AdminServer::start() {
  if (!impl_->acceptor.is_open() || impl_->stopping) return;
  asio::co_spawn(impl_->io, impl_->accept_loop(), log_exception);
}

void AdminServer::stop() {
  Impl& i = *impl_;
  if (i.stopping) return;
  i.stopping = true;
  boost::system::error_code ec;
  i.acceptor.close(ec);
  i.retry.cancel();
  for (auto& w : i.streams) {
    if (auto s = w.lock()) s->socket().close(ec);
  }
  i.streams.clear();
}

asio::awaitable<void> AdminServer::Impl::accept_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    auto [ec, sock] = co_await acceptor.async_accept(use_tuple);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      std::uint64_t suppressed = 0;
      if (accept_log.allow(&suppressed)) {
        spdlog::warn("admin {}: accept failed: {} ({} similar messages suppressed)",
                     listen.to_string(), ec.message(), suppressed);
      }
      retry.expires_after(std::chrono::milliseconds(100));
      auto [wec] = co_await retry.async_wait(use_tuple);
      (void)wec;
      continue;
    }
    auto stream = std::make_shared<beast::tcp_stream>(std::move(sock));
    if (active >= limits.max_connections) {
      boost::system::error_code cec;
      if (refusing >= limits.max_connections) {
        stream->socket().close(cec);  // a flood: do not even answer
      } else {
        track(stream);
        asio::co_spawn(io, refuse(std::move(stream)), log_exception);
      }
      continue;
    }
    track(stream);
    asio::co_spawn(io, session(std::move(stream)), log_exception);
  }
  co_return;
}

asio::awaitable<void> AdminServer::Impl::linger_close(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!ec) {
    stream.expires_after(kLingerTime);
    char sink[4096];
    std::size_t discarded = 0;
    while (discarded < kLingerBytes) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
      if (rec) break;
      discarded += n;
    }
  }
  stream.socket().close(ec);
  co_return;
}

asio::awaitable<void> AdminServer::Impl::refuse(std::shared_ptr<beast::tcp_stream> stream) {
  auto self = shared_from_this();
  ++refusing;
  Response res =
      text(http::status::service_unavailable, 11, "too many admin connections; try again later\n");
  res.keep_alive(false);
  res.prepare_payload();
  stream->expires_after(limits.read_timeout);
  auto [ec, n] = co_await http::async_write(*stream, res, use_tuple);
  if (!ec) co_await linger_close(*stream);
  --refusing;
  co_return;
}

asio::awaitable<void> AdminServer::Impl::session(std::shared_ptr<beast::tcp_stream> stream) {
  auto self = shared_from_this();
  ++active;
  beast::flat_buffer buffer;
  bool linger = false;
  while (!stopping) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_request_bytes));
    parser.body_limit(limits.max_request_bytes);
    stream->expires_after(limits.read_timeout);
    auto [ec, n] = co_await http::async_read(*stream, buffer, parser, use_tuple);
    if (stopping) break;
    if (ec) {
      // Clean close, timeout, reset: nothing to answer. Bad requests get a status.
      if (ec.category() != http::make_error_code(http::error::bad_method).category() ||
          ec == http::error::end_of_stream || ec == http::error::partial_message) {
        break;
      }
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      Response res =
          ec == http::error::header_limit ? text(http::status::request_header_fields_too_large,
                                                 version, "request header too large\n")
          : ec == http::error::body_limit
              ? text(http::status::payload_too_large, version, "request too large\n")
              : text(http::status::bad_request, version, "bad request: " + ec.message() + "\n");
      res.keep_alive(false);
      res.prepare_payload();
      stream->expires_after(limits.read_timeout);
      auto [wec, wn] = co_await http::async_write(*stream, res, use_tuple);
      linger = !wec;
      break;
    }
    Response res = route(parser.get());
    const bool keep = parser.get().keep_alive() && !stopping;
    res.keep_alive(keep);
    res.prepare_payload();
    stream->expires_after(limits.read_timeout);
    auto [wec, wn] = co_await http::async_write(*stream, res, use_tuple);
    if (wec || !keep) break;
  }
  if (linger && !stopping) {
    co_await linger_close(*stream);
  } else {
    boost::system::error_code ec;
    stream->socket().shutdown(tcp::socket::shutdown_send, ec);
    stream->socket().close(ec);
  }
  --active;
  co_return;
}

Response AdminServer::Impl::call(unsigned version, const std::function<Response()>& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    spdlog::error("admin: handler failed: {}", e.what());
    return text(http::status::internal_server_error, version,
                std::string("internal error: ") + e.what() + "\n");
  } catch (...) {
    spdlog::error("admin: handler failed with an unknown exception");
    return text(http::status::internal_server_error, version, "internal error\n");
  }
}

Response AdminServer::Impl::route(const Request& req) {
  const unsigned v = req.version();
  std::string_view path = req.target();
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);

  http::verb allowed = http::verb::get;
  std::function<Response()> serve;
  auto unavailable = [v] {
    return text(http::status::service_unavailable, v, "not available in this process\n");
  };
  if (path == "/metrics") {
    serve = [&]() -> Response {
      if (!handlers.metrics) return unavailable();
      return make_response(http::status::ok, v, kPrometheusContentType, handlers.metrics());
    };
  } else if (path == "/healthz") {
    serve = [v] { return text(http::status::ok, v, "ok\n"); };
  } else if (path == "/readyz") {
    serve = [&]() -> Response {
      if (!handlers.ready) return unavailable();
      Readiness r = handlers.ready();
      if (r.ready) return text(http::status::ok, v, "ready\n");
      return text(http::status::service_unavailable, v,
                  "not ready: " + (r.reason.empty() ? std::string("starting") : r.reason) + "\n");
    };
  } else if (path == "/v1/rules") {
    serve = [&]() -> Response {
      if (!handlers.rules_json) return unavailable();
      return make_response(http::status::ok, v, kJson, handlers.rules_json());
    };
  } else if (path == "/v1/reload") {
    allowed = http::verb::post;
    serve = [&]() -> Response {
      if (!handlers.reload) return unavailable();
      const bool fresh = handlers.reload();
      return make_response(http::status::accepted, v, kJson,
                           fresh ? "{\"status\":\"accepted\",\"coalesced\":false}\n"
                                 : "{\"status\":\"accepted\",\"coalesced\":true}\n");
    };
  } else {
    return text(http::status::not_found, v,
                "not found; try /metrics, /healthz, /readyz, /v1/rules or POST /v1/reload\n");
  }
  if (req.method() != allowed) {
    Response res = text(http::status::method_not_allowed, v,
                        "method not allowed; use " + std::string(http::to_string(allowed)) + "\n");
    res.set(http::field::allow, http::to_string(allowed));
    return res;
  }
  return call(v, serve);
}

}  // namespace newshound

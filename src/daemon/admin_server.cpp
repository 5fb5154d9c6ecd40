// Daemon: AdminServer. One accept loop and one coroutine per connection on the
// event loop (with [admin] tls, a TLS server handshake first: the edge's current
// context, kept by the connection across a reload); requests are parsed by Beast with size limits
// and a read timeout
// (`Expect: 100-continue` answered), answered by admin_routes.cpp, with
// keep-alive; an HTTPS session we end without an error answer gets a
// close_notify. Clients beyond the connection limit get /healthz answered,
// anything else a 503. No exception leaves.
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "admin_server_impl.hpp"
#include "newshound/net/beast_tls.hpp"
#include "newshound/source/warn_limited.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace {

/// After an error response, how long and how much of the rest of the request we
/// read and discard, so closing does not reset the connection before the client
/// has read the response.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 1 << 20;
/// A client beyond max_connections has this long to send its request (a health
/// check) before it gets the 503.
constexpr std::chrono::seconds kOverLimitReadTime{2};

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

AdminServer::AdminServer(asio::io_context& io, Endpoint listen, AdminHandlers handlers,
                         AdminLimits limits)
    : impl_(std::make_shared<Impl>(io, std::move(listen), std::move(handlers), std::move(limits))) {
}

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

const AdminAuthFailures& AdminServer::auth_failures() const {
  return impl_->auth;
}

std::string AdminServer::set_token(std::string token) {
  Impl& i = *impl_;
  boost::system::error_code ec;
  const auto bound = i.acceptor.local_endpoint(ec);
  if (token.empty() && i.access.has_token() && !ec && !bound.address().is_loopback()) {
    return "admin " + i.listen.to_string() +
           ": the reloaded config has no token_file, but the endpoint listens on a non-loopback "
           "address (a changed listen takes effect at the next restart): keeping the previous "
           "token";
  }
  if (token.empty() && i.access.has_token()) {
    spdlog::warn("admin {}: token_file removed: requests need no bearer token now",
                 i.listen.to_string());
  } else if (!token.empty() && !i.access.has_token()) {
    spdlog::info("admin {}: requests need the bearer token of token_file now",
                 i.listen.to_string());
  } else if (!token.empty() && i.access.check_bearer("Bearer " + token) != AuthFailure::none) {
    spdlog::info("admin {}: bearer token replaced from token_file", i.listen.to_string());
  }
  i.access.set_token(std::move(token));
  return {};
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
  if (!i.access.has_token() && !ep.address().is_loopback()) {
    return where + ": refusing to listen on " + ep.address().to_string() +
           ", which is not a loopback address, without a token; set [admin] token_file, or "
           "listen on 127.0.0.1 or [::1]";
  }
  if (i.acceptor.open(ep.protocol(), ec); ec)
    return where + ": cannot open socket: " + ec.message();
  i.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  // Close with an error code of its own: the bind error is the one to report.
  boost::system::error_code ignored;
  if (i.acceptor.bind(ep, ec); ec) {
    i.acceptor.close(ignored);
    return where + ": cannot bind: " + ec.message() +
           " (is another process using this port? change [admin] listen, or set it to \"\" to "
           "disable the admin endpoint)";
  }
  if (i.acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    i.acceptor.close(ignored);
    return where + ": cannot listen: " + ec.message();
  }
  i.access.set_bound(ep.address());
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

template <class Stream>
asio::awaitable<boost::system::error_code> AdminServer::Impl::read_request(
    Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser) {
  parser.header_limit(static_cast<std::uint32_t>(limits.max_request_bytes));
  parser.body_limit(limits.max_request_bytes);
  auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
  if (ec || parser.is_done()) co_return ec;
  // A client that waits for 100 Continue before sending its body gets it now.
  if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
    http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
    auto [cec, cn] = co_await http::async_write(stream, cont, use_tuple);
    if (cec) co_return cec;
  }
  auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
  co_return bec;
}

asio::awaitable<bool> AdminServer::Impl::handshake(TlsStream& tls, beast::tcp_stream& tcp) {
  const net::TlsHandshakeResult r =
      co_await net::beast_tls_handshake(tls, asio::ssl::stream_base::server, limits.read_timeout);
  if (r.ok() || stopping) co_return r.ok();
  limits.tls->count_failure(r.reason);
  boost::system::error_code pec;
  const auto peer = tcp.socket().remote_endpoint(pec);
  warn_limited(tls_log, "admin {}: TLS handshake with {} failed: {}{}", listen.to_string(),
               pec ? std::string("a client") : peer.address().to_string(), r.why,
               r.reason == "timeout" ? " (read_timeout)" : "");
  co_return false;
}

asio::awaitable<void> AdminServer::Impl::refuse(std::shared_ptr<beast::tcp_stream> stream) {
  auto self = shared_from_this();
  ++refusing;
  if (limits.tls) {
    const auto ctx = limits.tls->context();  // alive as long as the TLS stream
    TlsStream tls(*stream, *ctx);
    if (co_await handshake(tls, *stream)) co_await refuse_on(tls, *stream);
  } else {
    co_await refuse_on(*stream, *stream);
  }
  boost::system::error_code ec;
  stream->socket().close(ec);
  --refusing;
  co_return;
}

template <class Stream>
asio::awaitable<void> AdminServer::Impl::refuse_on(Stream& s, beast::tcp_stream& tcp) {
  // Health checks are answered even now: idle clients must not fail them.
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  tcp.expires_after(std::min<std::chrono::milliseconds>(limits.read_timeout, kOverLimitReadTime));
  const auto rec = co_await read_request(s, buffer, parser);
  const Request& req = parser.get();
  const std::string_view target = rec ? std::string_view() : std::string_view(req.target());
  Response res;
  if (target == "/healthz" || target.starts_with("/healthz?")) {
    res = answer(req, false);
  } else {
    res = text(http::status::service_unavailable, rec ? 11 : req.version(),
               "too many admin connections; try again later\n");
    res.keep_alive(false);
    res.prepare_payload();
    if (!rec && req.method() == http::verb::head) res.body().clear();
  }
  tcp.expires_after(limits.read_timeout);
  auto [ec, n] = co_await http::async_write(s, res, use_tuple);
  if (!ec) co_await linger_close(tcp);
}

asio::awaitable<void> AdminServer::Impl::session(std::shared_ptr<beast::tcp_stream> stream) {
  auto self = shared_from_this();
  ++active;
  bool linger = false;
  if (limits.tls) {
    const auto ctx = limits.tls->context();  // kept by this connection across a reload
    TlsStream tls(*stream, *ctx);
    if (co_await handshake(tls, *stream)) {
      linger = co_await serve(tls, *stream);
      // A session ended without an error answer gets a close_notify.
      if (!linger && !stopping) co_await net::beast_tls_shutdown(tls);
    }
  } else {
    linger = co_await serve(*stream, *stream);
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

template <class Stream>
asio::awaitable<bool> AdminServer::Impl::serve(Stream& s, beast::tcp_stream& tcp) {
  beast::flat_buffer buffer;
  // A request not read within read_timeout ends the session without closing the
  // socket first, so a TLS one still gets its close_notify (session()).
  net::ReadDeadline deadline(tcp.get_executor());
  while (!stopping) {
    http::request_parser<http::string_body> parser;
    deadline.arm(tcp, limits.read_timeout);
    auto ec = co_await read_request(s, buffer, parser);
    if (deadline.disarm() && ec) ec = beast::error::timeout;
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
      tcp.expires_after(limits.read_timeout);
      auto [wec, wn] = co_await http::async_write(s, res, use_tuple);
      co_return !wec;
    }
    const bool keep = parser.get().keep_alive() && !stopping;
    Response res = answer(parser.get(), keep);
    tcp.expires_after(limits.read_timeout);
    auto [wec, wn] = co_await http::async_write(s, res, use_tuple);
    if (wec || !keep) break;
  }
  co_return false;
}

}  // namespace newshound

// Daemon: AdminServer's shared innards (private to admin_server.cpp, which
// owns the sockets and connections, and admin_routes.cpp, which answers
// requests): the Impl struct, the Beast types and the response helpers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "admin_access.hpp"
#include "newshound/daemon/admin_server.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

namespace admin_detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
/// One HTTPS connection: TLS over the connection's tcp_stream (whose deadline
/// bounds the handshake and every read and write).
using TlsStream = asio::ssl::stream<beast::tcp_stream&>;

inline constexpr std::string_view kText = "text/plain; charset=utf-8";
inline constexpr std::string_view kJson = "application/json";

/// A response with the headers every answer carries (Server, Content-Type,
/// Cache-Control: no-store); the caller sets keep-alive and the payload size.
Response make_response(http::status status, unsigned version, std::string_view content_type,
                       std::string body);
/// make_response with text/plain.
Response text(http::status status, unsigned version, std::string body);
}  // namespace admin_detail

using namespace admin_detail;

struct AdminServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Endpoint ep, AdminHandlers h, AdminLimits l)
      : io(io),
        listen(std::move(ep)),
        handlers(std::move(h)),
        limits(std::move(l)),
        access(listen.host, limits.allowed_hosts),
        acceptor(io),
        retry(io) {
    access.set_token(std::exchange(limits.token, {}));  // one copy, in access
  }

  asio::io_context& io;
  Endpoint listen;
  AdminHandlers handlers;
  AdminLimits limits;
  AdminAccess access;
  tcp::acceptor acceptor;
  asio::steady_timer retry;
  bool stopping = false;
  std::size_t active = 0;    ///< sessions being served
  std::size_t refusing = 0;  ///< connections being sent a 503
  std::list<std::weak_ptr<beast::tcp_stream>> streams;
  RateLimiter accept_log, refuse_log, auth_log, tls_log;
  AdminAuthFailures auth;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<beast::tcp_stream> stream);
  asio::awaitable<void> refuse(std::shared_ptr<beast::tcp_stream> stream);
  /// With [admin] tls: the server handshake within read_timeout; false (counted
  /// by reason, logged rate-limited) when it failed.
  asio::awaitable<bool> handshake(TlsStream& tls, beast::tcp_stream& tcp);
  /// The request loop of session() on `s` (plain or TLS over `tcp`): true when the
  /// connection should linger before closing (an error response was sent).
  template <class Stream>
  asio::awaitable<bool> serve(Stream& s, beast::tcp_stream& tcp);
  /// refuse()'s one request and answer on `s`.
  template <class Stream>
  asio::awaitable<void> refuse_on(Stream& s, beast::tcp_stream& tcp);
  asio::awaitable<void> linger_close(beast::tcp_stream& stream);
  template <class Stream>
  asio::awaitable<boost::system::error_code> read_request(
      Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser);
  Response answer(const Request& req, bool keep_alive);
  Response route(const Request& req);
  std::optional<Response> refuse_foreign(const Request& req);
  std::optional<Response> refuse_unauthorized(const Request& req, std::string_view path);
  Response call(unsigned version, const std::function<Response()>& f);

  void track(const std::shared_ptr<beast::tcp_stream>& s) {
    streams.remove_if([](const auto& w) { return w.expired(); });
    streams.push_back(s);
  }
};

}  // namespace newshound

// Stage: source. http_get and the URL helpers (http_fetch.hpp): one bounded GET
// over a Beast tcp_stream, or TLS over it for https (net/beast_tls.hpp). `exchange`
// writes the request and reads the answer over either stream.
#include "newshound/source/http_fetch.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

#include "newshound/net/beast_tls.hpp"
#include "newshound/util/ascii.hpp"
#include "newshound/util/retry_after.hpp"
#include "newshound/util/use_tuple.hpp"
#include "newshound/version.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string field(const http::fields& f, http::field name) {
  const auto it = f.find(name);
  return it == f.end() ? std::string() : std::string(it->value());
}

using Parser = http::response_parser<http::string_body>;

/// Writes `req` and reads the answer over `stream` (connected, deadline set).
template <class Stream>
asio::awaitable<FetchResult> exchange(Stream& stream, const http::request<http::empty_body>& req,
                                      std::size_t max_bytes) {
  FetchResult r;
  auto [wec, wn] = co_await http::async_write(stream, req, use_tuple);
  (void)wn;
  if (wec) {
    r.why = "cannot send the request: " + wec.message();
    co_return r;
  }
  beast::flat_buffer buffer;
  Parser parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(max_bytes);
  auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
  (void)n;
  if (ec == http::error::body_limit) {
    r.kind = FetchResult::too_large;
    r.why = "the body is larger than max_bytes (" + std::to_string(max_bytes) + "); cut off";
    co_return r;
  }
  if (ec) {
    r.why = ec == beast::error::timeout ? "timed out (timeout_ms)"
                                        : "bad or no answer: " + ec.message();
    co_return r;
  }
  auto& res = parser.get();
  r.status = res.result_int();
  r.etag = field(res, http::field::etag);
  r.last_modified = field(res, http::field::last_modified);
  r.location = field(res, http::field::location);
  if (const auto ra = field(res, http::field::retry_after); !ra.empty())
    r.retry_after = detail::parse_retry_after(ra, std::chrono::system_clock::now());
  if (r.status == 304) {
    r.kind = FetchResult::not_modified;
  } else if (r.status >= 300 && r.status < 400 && !r.location.empty()) {
    r.kind = FetchResult::redirect;
  } else if (r.status < 200 || r.status >= 300) {
    r.kind = FetchResult::http_error;
    r.why = "HTTP " + std::to_string(r.status);
  } else if (ascii_istarts_with(field(res, http::field::content_encoding), "gzip")) {
    bool cut = false;
    if (!gunzip(res.body(), max_bytes, r.body, cut)) {
      r.kind = FetchResult::bad_gzip;
      r.why = "the gzip body does not inflate";
    } else if (cut) {
      r.kind = FetchResult::too_large;
      r.why = "the gunzipped body is larger than max_bytes (" + std::to_string(max_bytes) + ")";
      r.body.clear();
    } else {
      r.kind = FetchResult::ok;
    }
  } else {
    r.kind = FetchResult::ok;
    r.body = std::move(res.body());
  }
  co_return r;
}

/// The TLS client handshake over `tcp` (connected), then `exchange` through the
/// session, then close_notify (within what is left of the deadline, 1 s at most).
asio::awaitable<FetchResult> exchange_tls(beast::tcp_stream& tcp,
                                          std::chrono::steady_clock::time_point deadline,
                                          const http::request<http::empty_body>& msg,
                                          const FetchRequest& req) {
  FetchResult r;
  r.kind = FetchResult::tls;
  if (!req.tls_context) {
    r.why = "TLS not possible: no client context";
    co_return r;
  }
  asio::ssl::stream<beast::tcp_stream&> tls(tcp, *req.tls_context);
  if (std::string e = net::prepare_client_ssl(tls.native_handle(), req.tls, req.url.host);
      !e.empty()) {
    r.why = "TLS not possible: " + e;
    co_return r;
  }
  const auto left = [&] {
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  const net::TlsHandshakeResult hs =
      co_await net::beast_tls_handshake(tls, asio::ssl::stream_base::client, left());
  if (!hs.ok()) {
    r.tls_reason = hs.reason;
    r.why = "TLS handshake failed: " + hs.why;
    co_return r;
  }
  tcp.expires_at(deadline);
  r = co_await exchange(tls, msg, req.max_bytes);
  const std::chrono::milliseconds bye = std::min(net::kTlsShutdownTimeout, left());
  co_await net::beast_tls_shutdown(tls, bye);
  co_return r;
}

}  // namespace

std::string_view to_string(FetchResult::Kind k) {
  switch (k) {
    case FetchResult::ok:
      return "ok";
    case FetchResult::not_modified:
      return "not_modified";
    case FetchResult::redirect:
      return "redirect";
    case FetchResult::http_error:
      return "http_error";
    case FetchResult::failed:
      return "failed";
    case FetchResult::too_large:
      return "too_large";
    case FetchResult::bad_gzip:
      return "bad_gzip";
    case FetchResult::tls:
      return "tls";
  }
  return "unknown";
}

asio::awaitable<FetchResult> http_get(asio::any_io_executor ex, FetchRequest req) {
  http::request<http::empty_body> msg{http::verb::get, req.url.target, 11};
  msg.set(http::field::host, req.url.host_header);
  msg.set(http::field::user_agent, std::string("newshound/") + version_string);
  msg.set(http::field::accept,
          "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
          "text/xml;q=0.9, */*;q=0.5");
  msg.set(http::field::accept_encoding, "gzip");
  msg.set(http::field::connection, "close");
  if (!req.etag.empty()) msg.set(http::field::if_none_match, req.etag);
  if (!req.last_modified.empty()) msg.set(http::field::if_modified_since, req.last_modified);
  for (const auto& [name, value] : req.headers) msg.set(name, value);

  beast::tcp_stream stream(ex);
  tcp::resolver resolver(ex);
  const auto deadline = std::chrono::steady_clock::now() + req.timeout;
  stream.expires_at(deadline);
  auto [rec, results] =
      co_await resolver.async_resolve(req.url.host, std::to_string(req.url.port), use_tuple);
  if (rec) {
    FetchResult r;
    r.why = "cannot resolve " + req.url.host + ": " + rec.message();
    co_return r;
  }
  auto [cec, ep] = co_await stream.async_connect(results, use_tuple);
  (void)ep;
  if (cec) {
    FetchResult r;
    r.why = "cannot connect: " + (cec == beast::error::timeout ? "timed out" : cec.message());
    co_return r;
  }
  FetchResult r;
  if (req.url.scheme == "https")
    r = co_await exchange_tls(stream, deadline, msg, req);
  else
    r = co_await exchange(stream, msg, req.max_bytes);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
  co_return r;
}

}  // namespace newshound

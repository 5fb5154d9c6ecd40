// Stage: source. The feed poller's HTTP(S) client: one bounded GET (conditional,
// gzip, time-limited, body capped, TLS for https) and the URL form it takes. Redirects are the
// caller's (the poller remembers permanent ones); one connection per request.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "newshound/net/tls_options.hpp"
#include "newshound/source/http_url.hpp"

namespace newshound {

struct FetchRequest {
  HttpUrl url;
  std::vector<std::pair<std::string, std::string>> headers;  ///< `headers` of the input
  std::string etag;                          ///< sent as If-None-Match when not empty
  std::string last_modified;                 ///< sent as If-Modified-Since when not empty
  std::chrono::milliseconds timeout{30000};  ///< the whole exchange, connect to last byte
  std::size_t max_bytes = 16 << 20;          ///< body bytes, after gunzip too
  /// For an https url: the client context (shared, e.g. a TlsEdge's current one;
  /// null makes the request fail with kind `tls`) and the options it was built
  /// from (server_name and verify_hostname are applied per connection).
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  net::TlsOptions tls;
};

struct FetchResult {
  /// ok: 2xx with `body`; not_modified: 304; redirect: 3xx with `location`;
  /// http_error: any other status; failed: no usable answer (connect, timeout,
  /// garbage); too_large: the body (or its gunzipped form) passed max_bytes and
  /// was cut off unread; bad_gzip: a gzip body that does not inflate; tls: the
  /// TLS handshake of an https url failed (nothing was sent) or was not possible.
  enum Kind { ok, not_modified, redirect, http_error, failed, too_large, bad_gzip, tls };
  Kind kind = failed;
  int status = 0;
  std::string body;
  std::string etag, last_modified, location;
  std::optional<std::chrono::milliseconds> retry_after;  ///< from a Retry-After header
  std::string why;                                       ///< for logs, on failure
  /// kind tls after a handshake: net::tls_failure_reason's label ("unknown_ca",
  /// "hostname_mismatch", "timeout", ...) for the edge's failure count.
  std::string_view tls_reason;
};

/// Stable reason for metrics labels: "ok", "not_modified", "http_error", ...
std::string_view to_string(FetchResult::Kind k);

/// GETs `req.url` with `User-Agent: newshound/<version>`, `Accept-Encoding:
/// gzip` and the conditional headers, over a fresh connection closed afterwards
/// (an https one with a TLS client handshake first, SNI the url's host or
/// tls.server_name, and a close_notify at the end). Errors are values (kind/why);
/// never throws but std::bad_alloc.
boost::asio::awaitable<FetchResult> http_get(boost::asio::any_io_executor ex, FetchRequest req);

/// Inflates a gzip (or zlib) body into `out`, at most `max_bytes`. Returns false
/// on corrupt data; sets `cut` when the output would pass `max_bytes`.
bool gunzip(std::string_view in, std::size_t max_bytes, std::string& out, bool& cut);

}  // namespace newshound

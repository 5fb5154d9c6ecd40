// Stage: source. The feed poller's HTTP client: one bounded GET (conditional,
// gzip, time-limited, body capped) and the URL form it takes. Redirects are the
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

#include "newshound/source/http_url.hpp"

namespace newshound {

struct FetchRequest {
  HttpUrl url;
  std::vector<std::pair<std::string, std::string>> headers;  ///< `headers` of the input
  std::string etag;                          ///< sent as If-None-Match when not empty
  std::string last_modified;                 ///< sent as If-Modified-Since when not empty
  std::chrono::milliseconds timeout{30000};  ///< the whole exchange, connect to last byte
  std::size_t max_bytes = 16 << 20;          ///< body bytes, after gunzip too
};

struct FetchResult {
  /// ok: 2xx with `body`; not_modified: 304; redirect: 3xx with `location`;
  /// http_error: any other status; failed: no usable answer (connect, timeout,
  /// garbage); too_large: the body (or its gunzipped form) passed max_bytes and
  /// was cut off unread; bad_gzip: a gzip body that does not inflate.
  enum Kind { ok, not_modified, redirect, http_error, failed, too_large, bad_gzip } kind = failed;
  int status = 0;
  std::string body;
  std::string etag, last_modified, location;
  std::optional<std::chrono::milliseconds> retry_after;  ///< from a Retry-After header
  std::string why;                                       ///< for logs, on failure
};

/// Stable reason for metrics labels: "ok", "not_modified", "http_error", ...
std::string_view to_string(FetchResult::Kind k);

/// GETs `req.url` with `User-Agent: newshound/<version>`, `Accept-Encoding:
/// gzip` and the conditional headers, over a fresh connection closed afterwards.
/// Errors are values (kind/why); never throws but std::bad_alloc. The https slot:
/// the exchange is written over a generic stream (http_fetch.cpp, `exchange`), so
/// an SSL stream connected by the TLS context builder can be passed in its place.
boost::asio::awaitable<FetchResult> http_get(boost::asio::any_io_executor ex, FetchRequest req);

/// Inflates a gzip (or zlib) body into `out`, at most `max_bytes`. Returns false
/// on corrupt data; sets `cut` when the output would pass `max_bytes`.
bool gunzip(std::string_view in, std::size_t max_bytes, std::string& out, bool& cut);

}  // namespace newshound

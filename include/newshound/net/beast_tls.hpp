// Net: TLS over a Beast tcp_stream (the HTTP edges: the http push input, the feed
// poller's https client, the admin endpoint, the webhook output): the handshake
// within a deadline with its failure as a metrics label and words, and the
// close_notify sent when we close a connection on purpose. Templates on the TLS
// stream type (asio::ssl::stream<beast::tcp_stream&> or beast::ssl_stream).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "newshound/net/tls_context.hpp"
#include "newshound/net/tls_options.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound::net {

/// How a handshake ended: `reason` empty on success, else tls_failure_reason's
/// label ("timeout" for the deadline) and `why` in words.
struct TlsHandshakeResult {
  std::string_view reason;
  std::string why;
  bool ok() const { return reason.empty(); }
};

/// The handshake of `tls` (connected; for a client, prepare_client_ssl done) as
/// `type`, within `timeout` (the tcp_stream's deadline, which is left set: the
/// caller sets its own before the next read). Never throws but std::bad_alloc.
template <class TlsStream>
boost::asio::awaitable<TlsHandshakeResult> beast_tls_handshake(
    TlsStream& tls, boost::asio::ssl::stream_base::handshake_type type,
    std::chrono::milliseconds timeout) {
  boost::beast::get_lowest_layer(tls).expires_after(timeout);
  auto [ec] = co_await tls.async_handshake(type, use_tuple);
  TlsHandshakeResult r;
  if (!ec) co_return r;
  if (ec == boost::beast::error::timeout) {
    r.reason = "timeout";
    r.why = "no TLS handshake within " + std::to_string(timeout.count()) + " ms";
  } else {
    r.reason = tls_failure_reason(ec, tls.native_handle());
    r.why = tls_failure_text(ec, tls.native_handle());
  }
  co_return r;
}

/// Ends the TLS session of `tls` cleanly: sends close_notify and waits for the
/// peer's (at most `timeout`: a peer that never answers costs no more). The
/// caller closes the socket afterwards. Errors are ignored (the peer may be gone).
template <class TlsStream>
boost::asio::awaitable<void> beast_tls_shutdown(
    TlsStream& tls, std::chrono::milliseconds timeout = kTlsShutdownTimeout) {
  boost::beast::get_lowest_layer(tls).expires_after(timeout);
  auto [ec] = co_await tls.async_shutdown(use_tuple);
  (void)ec;
}

}  // namespace newshound::net

// Net: TLS over a Beast tcp_stream (the HTTP edges: the http push input, the feed
// poller's https client, the admin endpoint, the webhook output): the handshake
// within a deadline with its failure as a metrics label and words, and the
// close_notify sent when we close a connection on purpose, and a read deadline
// that leaves the socket open so an idle session can still be ended with one.
// Templates on the TLS stream type (asio::ssl::stream<beast::tcp_stream&> or
// beast::ssl_stream).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

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

/// A deadline for reading a request from a Beast tcp_stream that, when it
/// passes, only cancels the operations pending on the socket: the tcp_stream's
/// own deadline closes the socket, after which a TLS session that idled out can
/// no longer be ended with close_notify (beast_tls_shutdown). One per
/// connection; its owner's strand only. Never throws but std::bad_alloc.
class ReadDeadline {
 public:
  explicit ReadDeadline(const boost::asio::any_io_executor& ex)
      : state_(std::make_shared<State>(ex)) {}
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;
  ~ReadDeadline() { disarm(); }

  /// Starts the deadline `d` from now for the reads that follow on `tcp` (whose
  /// own deadline is cleared); 0 or less: no deadline.
  void arm(boost::beast::tcp_stream& tcp, std::chrono::milliseconds d) {
    tcp.expires_never();
    disarm();
    if (d.count() <= 0) return;
    State& s = *state_;
    s.tcp = &tcp;
    const std::uint64_t gen = ++s.gen;
    s.timer.expires_after(d);
    s.timer.async_wait([state = state_, gen](const boost::system::error_code& ec) {
      if (ec || state->gen != gen || state->tcp == nullptr) return;  // disarmed or re-armed
      state->expired = true;
      boost::system::error_code ignored;
      state->tcp->socket().cancel(ignored);
    });
  }
  /// Stops the deadline. True when it had passed: the read that just failed
  /// (asio::error::operation_aborted) failed because of it.
  bool disarm() {
    State& s = *state_;
    ++s.gen;
    s.tcp = nullptr;
    s.timer.cancel();
    return std::exchange(s.expired, false);
  }

 private:
  struct State {
    explicit State(const boost::asio::any_io_executor& ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    boost::beast::tcp_stream* tcp = nullptr;  ///< while armed
    std::uint64_t gen = 0;                    ///< bumped on every arm and disarm
    bool expired = false;
  };
  std::shared_ptr<State> state_;  ///< shared with a pending wait
};

}  // namespace newshound::net

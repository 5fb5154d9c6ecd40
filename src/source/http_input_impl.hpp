// Stage: source (private to http_input.cpp, which owns the listener, the
// connections, the TLS handshake and the room for bodies, and http_session.cpp,
// which serves one connection's requests): HttpInput's shared innards.
#pragma once

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <list>
#include <memory>
#include <set>
#include <string>

#include "newshound/net/tls_edge.hpp"
#include "newshound/source/http_input.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

/// One HTTPS connection: TLS over the connection's tcp_stream (whose deadline
/// bounds the handshake and every read and write).
using HttpTlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream&>;

struct HttpInput::Impl : std::enable_shared_from_this<Impl> {
  Impl(boost::asio::io_context& io, TcpInputOptions o, HttpInputOptions h, LineConsumer& c)
      : io(io), opt(std::move(o)), http(std::move(h)), consumer(c), acceptor(io), retry(io) {}

  boost::asio::io_context& io;
  TcpInputOptions opt;
  HttpInputOptions http;
  LineConsumer& consumer;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer retry;
  HttpInputStats stats;
  bool stopping = false;
  std::list<std::weak_ptr<boost::beast::tcp_stream>> streams;
  /// Timers of requests waiting for room or for their articles' acceptance: woken
  /// (cancelled) whenever room is freed, and on stop().
  std::set<boost::asio::steady_timer*> waiting;
  /// Body bytes reserved by requests being read or in the pipeline, and the
  /// requests in the pipeline (their batch's `done` has not run).
  std::size_t held = 0, batches = 0;
  /// With opt.tls.enabled: the edge's context (reloadable) and its handshake counts.
  std::shared_ptr<net::TlsEdge> tls;
  RateLimiter accept_log, refuse_log, auth_log, request_log, tls_log;

  /// The body bytes the input holds at most: bodies are read only within it.
  std::size_t room() const { return std::max(opt.max_inflight_bytes, http.max_body_bytes); }
  /// Whether a body of `bytes` may be read now (the pipeline is not stalled).
  bool fits(std::size_t bytes) const {
    return batches < opt.max_inflight_batches && held + bytes <= room();
  }
  void release(std::size_t bytes) {
    held -= bytes;
    wake_all();
  }
  void wake_all() {
    for (auto* t : waiting) t->cancel();
  }
  /// Waits on `timer` until `deadline`, a wake_all() or stop(), whichever first.
  boost::asio::awaitable<void> wait(boost::asio::steady_timer& timer,
                                    std::chrono::steady_clock::time_point deadline);

  boost::asio::awaitable<void> accept_loop();
  /// One accepted connection: with tls, the server handshake first (within
  /// net::kInputHandshakeTimeout; a failure is counted by reason and logged,
  /// rate-limited), then session() over the plain or the TLS stream.
  boost::asio::awaitable<void> serve(std::shared_ptr<boost::beast::tcp_stream> stream,
                                     std::string peer);
  /// Serves one connection's requests, keep-alive, until it closes, idles out or
  /// misbehaves. `Stream` is a beast::tcp_stream or an HttpTlsStream over one
  /// (handshake done): only the lowest layer's timeouts and close are used beyond
  /// reading and writing. A TLS session we end on purpose gets a close_notify.
  template <class Stream>
  boost::asio::awaitable<void> session(std::shared_ptr<Stream> stream, std::string peer);
};

}  // namespace newshound

// Net: SocketStream, a plain or TLS TCP connection: handshakes with a deadline
// (a peer that never answers the ClientHello must not hold a link forever),
// reads and gathered writes through the TLS session when there is one, and a
// close_notify when a connection is ended on purpose.
#include "newshound/net/socket_stream.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <utility>

#include "newshound/net/tls_context.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound::net {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

asio::awaitable<std::string> SocketStream::handshake_client(std::shared_ptr<asio::ssl::context> ctx,
                                                            const TlsOptions& o,
                                                            const std::string& host,
                                                            std::chrono::milliseconds timeout,
                                                            std::string_view* reason) {
  tls_ = std::make_shared<Session>(sock_, std::move(ctx));
  if (std::string e = prepare_client_ssl(tls_->stream.native_handle(), o, host); !e.empty()) {
    if (reason != nullptr) *reason = "other";
    close();
    co_return e;
  }
  co_return co_await handshake(asio::ssl::stream_base::client, timeout, reason);
}

asio::awaitable<std::string> SocketStream::handshake_server(std::shared_ptr<asio::ssl::context> ctx,
                                                            std::chrono::milliseconds timeout,
                                                            std::string_view* reason) {
  tls_ = std::make_shared<Session>(sock_, std::move(ctx));
  co_return co_await handshake(asio::ssl::stream_base::server, timeout, reason);
}

asio::awaitable<std::string> SocketStream::handshake(asio::ssl::stream_base::handshake_type t,
                                                     std::chrono::milliseconds timeout,
                                                     std::string_view* reason) {
  const std::shared_ptr<Session> session = tls_;  // alive while the handshake runs
  asio::steady_timer timer(sock_.get_executor());
  timer.expires_after(timeout);
  auto done =
      co_await (session->stream.async_handshake(t, use_tuple) || timer.async_wait(use_tuple));
  if (done.index() == 1) {
    if (reason != nullptr) *reason = "timeout";
    close();
    co_return "no TLS handshake within " + std::to_string(timeout.count()) + " ms";
  }
  const auto [ec] = std::get<0>(done);
  if (!ec) co_return std::string();
  std::string why = tls_failure_text(ec, session->stream.native_handle());
  if (reason != nullptr) *reason = tls_failure_reason(ec, session->stream.native_handle());
  close();
  co_return why;
}

namespace {

// A peer that closes without close_notify reads as a plain end of stream.
boost::system::error_code plain_eof(boost::system::error_code ec) {
  return ec == asio::ssl::error::stream_truncated ? asio::error::eof : ec;
}

}  // namespace

// More to read without waiting: decrypted bytes of the current record, or bytes
// on the socket (FIONREAD; Asio's own input buffer is not looked at, so this may
// say no while a record is already in it: the read then just ends sooner).
bool SocketStream::Session::readable_now() {
  if (SSL_pending(stream.native_handle()) > 0) return true;
  boost::system::error_code ec;
  return stream.next_layer().available(ec) > 0 && !ec;
}

asio::awaitable<SocketStream::IoResult> SocketStream::read_some(asio::mutable_buffer b) {
  const std::shared_ptr<Session> s = tls_;
  if (!s) co_return co_await sock_.async_read_some(b, use_tuple);
  if (s->deferred) co_return IoResult{plain_eof(std::exchange(s->deferred, {})), 0};
  auto [ec, n] = co_await s->stream.async_read_some(b, use_tuple);
  // One TLS read yields one record (at most 16 KiB). While more is already here,
  // fill `b` as one plain read would: each read becomes one batch for the
  // pipeline, and a batch per record cost a TLS input three times the CPU of a
  // plain one in worker hand-offs (tools/bench/daemon_bench.sh TLS=1). An error
  // after some bytes waits for the next call, so those bytes are not lost.
  while (!ec && n < b.size() && s->readable_now()) {
    auto [more_ec, m] = co_await s->stream.async_read_some(b + n, use_tuple);
    n += m;
    if (more_ec) {
      s->deferred = more_ec;
      break;
    }
  }
  co_return IoResult{plain_eof(ec), n};
}

asio::awaitable<SocketStream::IoResult> SocketStream::write(
    const std::vector<asio::const_buffer>& bufs) {
  const std::shared_ptr<Session> s = tls_;
  if (!s) co_return co_await asio::async_write(sock_, bufs, use_tuple);
  gather_.clear();
  for (const auto& b : bufs) gather_.append(static_cast<const char*>(b.data()), b.size());
  co_return co_await asio::async_write(s->stream, asio::buffer(gather_), use_tuple);
}

asio::awaitable<SocketStream::IoResult> SocketStream::write(asio::const_buffer b) {
  if (const std::shared_ptr<Session> s = tls_)
    co_return co_await asio::async_write(s->stream, b, use_tuple);
  co_return co_await asio::async_write(sock_, b, use_tuple);
}

asio::awaitable<void> SocketStream::shutdown(std::chrono::milliseconds timeout) {
  if (const std::shared_ptr<Session> s = tls_) {
    asio::steady_timer timer(sock_.get_executor());
    timer.expires_after(timeout);
    co_await (s->stream.async_shutdown(use_tuple) || timer.async_wait(use_tuple));
  }
  close();
}

void SocketStream::close() {
  boost::system::error_code ignored;
  sock_.shutdown(tcp::socket::shutdown_both, ignored);
  sock_.close(ignored);
  tls_.reset();
}

}  // namespace newshound::net

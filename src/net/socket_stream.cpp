// Net: SocketStream, a plain or TLS TCP connection: handshakes with a deadline
// (a peer that never answers the ClientHello must not hold a link forever),
// reads and gathered writes through the TLS session when there is one, and a
// close_notify when a connection is ended on purpose. The TLS session is ours
// (tls_session.hpp), not Asio's SSL engine: the socket is read in chunks of up to
// 256 KiB that serve many records, and a batch is encrypted into one buffer and
// written at once (Asio's engine did a 17 KiB socket read, buffer copies and
// an ERR_clear_error per record: docs/performance.md "TLS cost").
#include "newshound/net/socket_stream.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <utility>

#include "newshound/net/tls_context.hpp"
#include "newshound/util/use_tuple.hpp"
#include "tls_session.hpp"

namespace newshound::net {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using boost::system::error_code;

/// One connection's TLS session and the state of the I/O on it: at most one
/// socket write at a time (the reader may have to send too, e.g. a KeyUpdate
/// answer) and whether a read is pending (shutdown() leaves it to that read).
struct SocketStream::Session {
  Session(const asio::any_io_executor& ex, std::shared_ptr<asio::ssl::context> ctx, bool server)
      : tls(std::move(ctx), server), written(ex), read_done(ex) {
    written.expires_at(asio::steady_timer::time_point::max());
    read_done.expires_at(asio::steady_timer::time_point::max());
  }
  detail::TlsSession tls;
  std::string sending;  ///< the ciphertext being written
  bool writing = false, reading = false;
  /// Signals (never expire; cancel() wakes who waits): a write ended, a read ended.
  asio::steady_timer written, read_done;
  /// An error met after read_some had bytes: returned by the next read_some.
  error_code deferred;
  error_code write_error;  ///< the socket failed a write: the session is done
};

namespace {

/// Waits until `signal` is cancelled (the event it stands for happened).
asio::awaitable<void> wait_for(asio::steady_timer& signal) {
  auto [ec] = co_await signal.async_wait(use_tuple);
  (void)ec;
}

}  // namespace

asio::awaitable<std::string> SocketStream::handshake_client(std::shared_ptr<asio::ssl::context> ctx,
                                                            const TlsOptions& o,
                                                            const std::string& host,
                                                            std::chrono::milliseconds timeout,
                                                            std::string_view* reason) {
  tls_ = std::make_shared<Session>(sock_.get_executor(), std::move(ctx), false);
  std::string e = tls_->tls.ok() ? prepare_client_ssl(tls_->tls.ssl(), o, host)
                                 : std::string("cannot make a TLS session (out of memory?)");
  if (!e.empty()) {
    if (reason != nullptr) *reason = "other";
    close();
    co_return e;
  }
  co_return co_await handshake(timeout, reason);
}

asio::awaitable<std::string> SocketStream::handshake_server(std::shared_ptr<asio::ssl::context> ctx,
                                                            std::chrono::milliseconds timeout,
                                                            std::string_view* reason) {
  tls_ = std::make_shared<Session>(sock_.get_executor(), std::move(ctx), true);
  if (!tls_->tls.ok()) {
    if (reason != nullptr) *reason = "other";
    close();
    co_return "cannot make a TLS session (out of memory?)";
  }
  co_return co_await handshake(timeout, reason);
}

asio::awaitable<error_code> SocketStream::flush(std::shared_ptr<Session> s) {
  for (;;) {
    if (s->write_error) co_return s->write_error;
    if (s->writing) {
      co_await wait_for(s->written);
      continue;
    }
    if (s->tls.output().empty()) co_return error_code();
    s->writing = true;
    std::swap(s->tls.output(), s->sending);
    auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(s->sending), use_tuple);
    s->sending.clear();
    s->writing = false;
    s->written.cancel();
    if (ec) s->write_error = ec;
  }
}

asio::awaitable<error_code> SocketStream::fill(std::shared_ptr<Session> s) {
  auto [ec, n] = co_await sock_.async_read_some(s->tls.input_space(), use_tuple);
  s->tls.input_commit(n);
  co_return n > 0 ? error_code() : ec;
}

asio::awaitable<error_code> SocketStream::run_handshake(std::shared_ptr<Session> s) {
  for (;;) {
    error_code ec = s->tls.handshake();
    // Our next flight, or the alert that tells the peer why we stop.
    const error_code wec = co_await flush(s);
    if (ec == asio::error::would_block && !wec) {
      ec = co_await fill(s);
      if (ec == asio::error::eof) co_return asio::ssl::error::stream_truncated;
      if (!ec) continue;
    }
    co_return ec ? ec : wec;
  }
}

asio::awaitable<std::string> SocketStream::handshake(std::chrono::milliseconds timeout,
                                                     std::string_view* reason) {
  const std::shared_ptr<Session> session = tls_;  // alive while the handshake runs
  asio::steady_timer timer(sock_.get_executor());
  timer.expires_after(timeout);
  auto done = co_await (run_handshake(session) || timer.async_wait(use_tuple));
  if (done.index() == 1) {
    if (reason != nullptr) *reason = "timeout";
    close();
    co_return "no TLS handshake within " + std::to_string(timeout.count()) + " ms";
  }
  const error_code ec = std::get<0>(done);
  if (!ec) co_return std::string();
  std::string why = tls_failure_text(ec, session->tls.ssl());
  if (reason != nullptr) *reason = tls_failure_reason(ec, session->tls.ssl());
  close();
  co_return why;
}

asio::awaitable<SocketStream::IoResult> SocketStream::read_some(asio::mutable_buffer b) {
  const std::shared_ptr<Session> s = tls_;
  if (!s) co_return co_await sock_.async_read_some(b, use_tuple);
  if (s->deferred) co_return IoResult{std::exchange(s->deferred, {}), 0};
  s->reading = true;
  char* const p = static_cast<char*>(b.data());
  std::size_t n = 0;
  error_code ec;
  // Decrypt every record there is; read the socket (a large chunk) when more is
  // needed, without waiting once `b` has something (a plain read returns what is
  // there). An error after some bytes waits for the next call.
  for (;;) {
    ec = s->tls.decrypt(p + n, b.size() - n, n);
    if (ec != asio::error::would_block) break;
    if (!s->tls.output().empty()) {  // e.g. a KeyUpdate answer
      ec = co_await flush(s);
      if (ec) break;
    }
    if (n > 0) {
      error_code aec;
      if (sock_.available(aec) == 0 || aec) {
        ec = {};
        break;
      }
    }
    ec = co_await fill(s);
    if (ec) break;
  }
  s->reading = false;
  s->read_done.cancel();
  if (ec && n > 0) s->deferred = std::exchange(ec, {});
  // A peer that closes without close_notify reads as a plain end of stream.
  if (ec == asio::ssl::error::stream_truncated) ec = asio::error::eof;
  co_return IoResult{ec, n};
}

asio::awaitable<SocketStream::IoResult> SocketStream::write(
    const std::vector<asio::const_buffer>& bufs) {
  if (!tls_) co_return co_await asio::async_write(sock_, bufs, use_tuple);
  gather_.clear();
  for (const auto& b : bufs) gather_.append(static_cast<const char*>(b.data()), b.size());
  co_return co_await write(asio::buffer(gather_));
}

asio::awaitable<SocketStream::IoResult> SocketStream::write(asio::const_buffer b) {
  const std::shared_ptr<Session> s = tls_;
  if (!s) co_return co_await asio::async_write(sock_, b, use_tuple);
  error_code ec = s->write_error;
  if (!ec) ec = s->tls.encrypt(static_cast<const char*>(b.data()), b.size());
  if (!ec) ec = co_await flush(s);
  co_return IoResult{ec, ec ? 0 : b.size()};
}

asio::awaitable<void> SocketStream::end_session(std::shared_ptr<Session> s) {
  s->tls.close_notify();
  if (co_await flush(s)) co_return;
  // The peer's close_notify: seen by a read already pending (a link's reader), or read here.
  while (s->reading) co_await wait_for(s->read_done);
  char scratch[4096];
  while (!s->tls.peer_closed()) {
    auto [ec, n] = co_await read_some(asio::buffer(scratch));
    if (ec) break;
  }
}

asio::awaitable<void> SocketStream::shutdown(std::chrono::milliseconds timeout) {
  if (const std::shared_ptr<Session> s = tls_) {
    asio::steady_timer timer(sock_.get_executor());
    timer.expires_after(timeout);
    co_await (end_session(s) || timer.async_wait(use_tuple));
  }
  close();
}

void SocketStream::close() {
  error_code ignored;
  sock_.shutdown(tcp::socket::shutdown_both, ignored);
  sock_.close(ignored);
  tls_.reset();
}

}  // namespace newshound::net

// Net: SocketStream, one TCP connection that is plain or TLS, so a link reads and
// writes without caring which. Used by the tcp output, the tcp input and the
// replay / receive tools; a fresh TLS state (an OpenSSL SSL over a BIO of our own,
// socket_stream.cpp) is made per connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "newshound/net/tls_options.hpp"

namespace newshound::net {

/// A socket plus, after a handshake, its TLS session. Owned by one link; all
/// calls on its strand. Never throws from its interface except std::bad_alloc.
class SocketStream {
 public:
  using tcp = boost::asio::ip::tcp;
  using IoResult = std::tuple<boost::system::error_code, std::size_t>;

  explicit SocketStream(const boost::asio::any_io_executor& ex) : sock_(ex) {}

  /// The TCP socket (connect, accept, options, close).
  tcp::socket& socket() { return sock_; }
  /// True after a successful handshake, until close().
  bool tls() const { return tls_ != nullptr; }

  /// TLS client handshake on the connected socket, within `timeout`: SNI and the
  /// host-name check use o.server_name or `host`. Returns "" or why it failed, in
  /// words (tls_failure_text); on failure the socket is closed and nothing but
  /// the handshake was sent, and `reason` (if given) is set to tls_failure_reason's
  /// label ("timeout" for the deadline). `ctx` is kept for the connection's life.
  boost::asio::awaitable<std::string> handshake_client(
      std::shared_ptr<boost::asio::ssl::context> ctx, const TlsOptions& o, const std::string& host,
      std::chrono::milliseconds timeout, std::string_view* reason = nullptr);

  /// TLS server handshake on an accepted socket, within `timeout`. Returns "" or
  /// why, and sets `reason` to tls_failure_reason's label on failure ("timeout"
  /// for the deadline).
  boost::asio::awaitable<std::string> handshake_server(
      std::shared_ptr<boost::asio::ssl::context> ctx, std::chrono::milliseconds timeout,
      std::string_view* reason = nullptr);

  /// Reads what is there (through TLS when on: the socket is read in chunks of up
  /// to 256 KiB and every record already here is decrypted into `b`, up to its
  /// size, like a plain read). A TLS peer's close_notify, and a peer that closes
  /// without one, read as asio::error::eof, like a plain end (lines are framed by
  /// newlines, so a cut shows as a partial line).
  boost::asio::awaitable<IoResult> read_some(boost::asio::mutable_buffer b);
  /// Writes all of `bufs` (through TLS when on: gathered and encrypted into full
  /// records, which go to the socket in one write).
  boost::asio::awaitable<IoResult> write(const std::vector<boost::asio::const_buffer>& bufs);
  /// Writes all of `b`.
  boost::asio::awaitable<IoResult> write(boost::asio::const_buffer b);

  /// Shuts the socket down and closes it; forgets the TLS session (no
  /// close_notify). Pending operations complete with an error: each keeps the
  /// session it started on alive until then.
  void close();
  /// Ends the connection on purpose: with TLS, sends close_notify and waits for
  /// the peer's at most `timeout` (errors ignored: the peer may be gone), then
  /// close(). A read_some pending meanwhile (a link's reader) is left to see the
  /// peer's close_notify, and this waits for it to end instead of reading itself.
  /// Plain: close(). Never throws but std::bad_alloc.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds timeout = kTlsShutdownTimeout);

 private:
  struct Session;
  using ErrorCode = boost::system::error_code;
  boost::asio::awaitable<std::string> handshake(std::chrono::milliseconds timeout,
                                                std::string_view* reason);
  boost::asio::awaitable<ErrorCode> run_handshake(std::shared_ptr<Session> s);
  /// Writes the session's pending ciphertext (one socket write at a time).
  boost::asio::awaitable<ErrorCode> flush(std::shared_ptr<Session> s);
  /// Reads the next chunk of ciphertext from the socket into the session.
  boost::asio::awaitable<ErrorCode> fill(std::shared_ptr<Session> s);
  /// Sends close_notify and waits for the peer's (shutdown() bounds it).
  boost::asio::awaitable<void> end_session(std::shared_ptr<Session> s);

  tcp::socket sock_;
  std::shared_ptr<Session> tls_;  ///< null: plain
  std::string gather_;            ///< a batch made contiguous for TLS
};

}  // namespace newshound::net

// Net: SocketStream, one TCP connection that is plain or TLS (Boost.Asio SSL over
// the socket), so a link reads and writes without caring which. Used by the tcp
// output and the tcp input; a fresh TLS state is made per connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
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

  /// Reads what is there (through TLS when on: as many records as are already
  /// here, up to the size of `b`, like a plain read). A TLS peer that closes without
  /// close_notify reads as asio::error::eof, like a plain one (lines are framed
  /// by newlines, so a cut shows as a partial line).
  boost::asio::awaitable<IoResult> read_some(boost::asio::mutable_buffer b);
  /// Writes all of `bufs` (through TLS when on: gathered into one buffer first,
  /// so a batch goes out in full records).
  boost::asio::awaitable<IoResult> write(const std::vector<boost::asio::const_buffer>& bufs);
  /// Writes all of `b`.
  boost::asio::awaitable<IoResult> write(boost::asio::const_buffer b);

  /// Shuts the socket down and closes it; forgets the TLS session (no
  /// close_notify). Pending operations complete with an error: each keeps the
  /// session it started on alive until then.
  void close();
  /// Ends the connection on purpose: with TLS, sends close_notify and waits for
  /// the peer's at most `timeout` (errors ignored: the peer may be gone), then
  /// close(). Plain: close(). Never throws but std::bad_alloc.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds timeout = kTlsShutdownTimeout);

 private:
  boost::asio::awaitable<std::string> handshake(boost::asio::ssl::stream_base::handshake_type t,
                                                std::chrono::milliseconds timeout,
                                                std::string_view* reason);

  /// One connection's TLS state, with the context it was made from.
  struct Session {
    Session(tcp::socket& s, std::shared_ptr<boost::asio::ssl::context> c)
        : ctx(std::move(c)), stream(s, *ctx) {}
    std::shared_ptr<boost::asio::ssl::context> ctx;
    boost::asio::ssl::stream<tcp::socket&> stream;
    /// An error met after read_some had bytes: returned by the next read_some.
    boost::system::error_code deferred;
    /// True when a read would not wait (decrypted or socket bytes are there).
    bool readable_now();
  };

  tcp::socket sock_;
  std::shared_ptr<Session> tls_;  ///< null: plain
  std::string gather_;            ///< a batch made contiguous for TLS
};

}  // namespace newshound::net

// Net: TlsSession, one connection's OpenSSL state over buffers of our own instead
// of Asio's SSL engine (socket_stream.cpp does the socket I/O): the ciphertext
// read from the socket in large chunks, fed to OpenSSL through a BIO that reads
// from that buffer, and the ciphertext OpenSSL writes, gathered for one socket
// write. So one socket read serves many records, and a batch goes out in one
// write. Synchronous and single-threaded: the owner calls it on its strand.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace newshound::net::detail {

/// The TLS state of one connection. Errors are error_codes as Asio's SSL stream
/// gives them (asio::error::get_ssl_category, the OpenSSL error as the value), so
/// tls_failure_text / tls_failure_reason read them alike; asio::error::would_block
/// means "more ciphertext from the socket is needed". Never throws but
/// std::bad_alloc.
class TlsSession {
 public:
  /// A fresh SSL object from `ctx` (kept alive with it) for the server or client
  /// side; ok() is false if OpenSSL could not make one.
  TlsSession(std::shared_ptr<boost::asio::ssl::context> ctx, bool server);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  bool ok() const { return ssl_ != nullptr; }
  SSL* ssl() const { return ssl_; }

  /// One step of the handshake over the input there is: {} when it is done,
  /// would_block when it needs more input, else why it failed (what it wrote for
  /// the peer, e.g. an alert, is in output() either way).
  boost::system::error_code handshake();
  /// Decrypts into [p, p + len), adding the bytes to `got`: {} when that is full,
  /// would_block when more input is needed, asio::error::eof at the peer's
  /// close_notify, else the TLS error.
  boost::system::error_code decrypt(char* p, std::size_t len, std::size_t& got);
  /// Encrypts all of `data` into output(), in full records.
  boost::system::error_code encrypt(const char* data, std::size_t len);
  /// Writes our close_notify into output() (once; later calls do nothing).
  void close_notify();
  /// True once the peer's close_notify was read.
  bool peer_closed() const;

  /// Room for ciphertext from the socket at the input's end (moving a partial
  /// record to the front, and growing up to 256 KiB after a read filled it).
  boost::asio::mutable_buffer input_space();
  /// `n` bytes were read into input_space().
  void input_commit(std::size_t n);
  /// The ciphertext OpenSSL wrote and nobody sent yet.
  std::string& output() { return out_; }

 private:
  static int bio_read(BIO* b, char* p, int len);
  static int bio_write(BIO* b, const char* p, int len);
  static long bio_ctrl(BIO* b, int cmd, long num, void* ptr);
  static const BIO_METHOD* bio_method();

  std::shared_ptr<boost::asio::ssl::context> ctx_;
  SSL* ssl_ = nullptr;
  std::vector<char> in_;  ///< ciphertext from the socket: [in_pos_, in_end_) unread
  std::size_t in_pos_ = 0, in_end_ = 0;
  bool grow_ = false;  ///< the last read filled the room it had
  std::string out_;    ///< ciphertext for the socket
  bool notified_ = false;
};

}  // namespace newshound::net::detail

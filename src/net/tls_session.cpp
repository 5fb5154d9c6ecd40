// Net: TlsSession (tls_session.hpp): an OpenSSL SSL object whose BIO reads the
// ciphertext we read from the socket in large chunks, and appends what OpenSSL
// writes to one output string; each call maps OpenSSL's result to an error_code
// the way Asio's SSL stream does.
#include "tls_session.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cstring>
#include <utility>

namespace newshound::net::detail {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

/// The input starts this large and doubles after each read that filled it, up
/// to kMaxInput: bulk traffic is read 256 KiB at a time, an idle or slow
/// connection keeps a small buffer.
constexpr std::size_t kFirstInput = 32 * 1024;
constexpr std::size_t kMaxInput = 256 * 1024;
/// Room always left for one more whole record (16 KiB of data and its overhead).
constexpr std::size_t kRecordRoom = 17 * 1024 + 512;

/// OpenSSL's answer `e` (SSL_get_error) as an error_code.
error_code error_of(int e) {
  switch (e) {
    case SSL_ERROR_WANT_READ:
      return asio::error::would_block;
    case SSL_ERROR_ZERO_RETURN:
      return asio::error::eof;
    case SSL_ERROR_SSL:
    case SSL_ERROR_SYSCALL:
      if (const unsigned long err = ERR_get_error(); err != 0)
        return {static_cast<int>(err), asio::error::get_ssl_category()};
      return e == SSL_ERROR_SSL ? error_code(asio::ssl::error::unexpected_result)
                                : error_code(asio::ssl::error::stream_truncated);
    default:
      return asio::ssl::error::unexpected_result;
  }
}

}  // namespace

TlsSession::TlsSession(std::shared_ptr<asio::ssl::context> ctx, bool server)
    : ctx_(std::move(ctx)) {
  ssl_ = SSL_new(ctx_->native_handle());
  if (ssl_ == nullptr) return;
  BIO* bio = BIO_new(bio_method());
  if (bio == nullptr) {
    SSL_free(std::exchange(ssl_, nullptr));
    return;
  }
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_, bio, bio);  // one reference, owned by ssl_
  SSL_set_mode(ssl_, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (server)
    SSL_set_accept_state(ssl_);
  else
    SSL_set_connect_state(ssl_);
}

TlsSession::~TlsSession() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

error_code TlsSession::handshake() {
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  return r == 1 ? error_code() : error_of(SSL_get_error(ssl_, r));
}

error_code TlsSession::decrypt(char* p, std::size_t len, std::size_t& got) {
  ERR_clear_error();
  std::size_t done = 0;
  while (done < len) {
    std::size_t m = 0;
    if (SSL_read_ex(ssl_, p + done, len - done, &m) != 1) {
      got += done;
      return error_of(SSL_get_error(ssl_, 0));
    }
    done += m;
  }
  got += done;
  return {};
}

error_code TlsSession::encrypt(const char* data, std::size_t len) {
  ERR_clear_error();
  std::size_t done = 0;
  while (done < len) {
    std::size_t m = 0;
    if (SSL_write_ex(ssl_, data + done, len - done, &m) != 1)
      return error_of(SSL_get_error(ssl_, 0));
    done += m;
  }
  return {};
}

void TlsSession::close_notify() {
  if (std::exchange(notified_, true)) return;
  ERR_clear_error();
  (void)SSL_shutdown(ssl_);  // a session that failed or never finished sends nothing
  ERR_clear_error();
}

bool TlsSession::peer_closed() const {
  return (SSL_get_shutdown(ssl_) & SSL_RECEIVED_SHUTDOWN) != 0;
}

asio::mutable_buffer TlsSession::input_space() {
  if (in_.empty()) in_.resize(kFirstInput);
  if (std::exchange(grow_, false) && in_.size() < kMaxInput)
    in_.resize(std::min(kMaxInput, in_.size() * 2));
  if (in_.size() - in_end_ < kRecordRoom && in_pos_ > 0) {
    std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
    in_end_ -= in_pos_;
    in_pos_ = 0;
  }
  if (in_.size() - in_end_ < kRecordRoom) in_.resize(in_end_ + kRecordRoom);
  return {in_.data() + in_end_, in_.size() - in_end_};
}

void TlsSession::input_commit(std::size_t n) {
  in_end_ += std::min(n, in_.size() - in_end_);
  grow_ = in_end_ == in_.size();
}

int TlsSession::bio_read(BIO* b, char* p, int len) {
  auto* s = static_cast<TlsSession*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  const std::size_t avail = s->in_end_ - s->in_pos_;
  if (avail == 0 || len <= 0) {
    BIO_set_retry_read(b);
    return -1;
  }
  const std::size_t n = std::min(avail, static_cast<std::size_t>(len));
  std::memcpy(p, s->in_.data() + s->in_pos_, n);
  s->in_pos_ += n;
  if (s->in_pos_ == s->in_end_) s->in_pos_ = s->in_end_ = 0;
  return static_cast<int>(n);
}

int TlsSession::bio_write(BIO* b, const char* p, int len) {
  auto* s = static_cast<TlsSession*>(BIO_get_data(b));
  BIO_clear_retry_flags(b);
  if (len <= 0) return 0;
  s->out_.append(p, static_cast<std::size_t>(len));
  return len;
}

long TlsSession::bio_ctrl(BIO* b, int cmd, long num, void* ptr) {
  (void)num;
  (void)ptr;
  const auto* s = static_cast<const TlsSession*>(BIO_get_data(b));
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return s == nullptr ? 0 : static_cast<long>(s->in_end_ - s->in_pos_);
    default:
      return 0;
  }
}

const BIO_METHOD* TlsSession::bio_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "newshound");
    if (m == nullptr) return m;
    BIO_meth_set_read(m, &TlsSession::bio_read);
    BIO_meth_set_write(m, &TlsSession::bio_write);
    BIO_meth_set_ctrl(m, &TlsSession::bio_ctrl);
    return m;
  }();
  return method;
}

}  // namespace newshound::net::detail

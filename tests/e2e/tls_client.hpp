// Tests (end-to-end, TLS): a blocking TLS client for the daemon's TLS edges (the
// admin endpoint over HTTPS, a TLS feed input): the handshake's outcome, the
// certificate the server presented (subject and serial, to see a reload), and an
// HTTP exchange or raw bytes over the session. Only 127.0.0.1 is used.
#pragma once

#include <openssl/bn.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>

#include "e2e/harness.hpp"

namespace e2e::tls {

namespace ssl = boost::asio::ssl;

/// What the client trusts and presents: ca (empty: verify nothing), and a client
/// certificate with its key (empty: none).
struct Identity {
  fs::path ca, crt, key;
};

/// One connection's outcome.
struct Session {
  bool handshake = false;     ///< the client side of the handshake succeeded
  std::string error;          ///< why not
  std::string subject;        ///< the server certificate's subject, e.g. "/CN=server"
  std::string serial;         ///< its serial number, hex
  std::string received;       ///< what was read after sending (until close or error)
  bool close_notify = false;  ///< the server ended the session with a TLS close_notify
};

/// Connects to 127.0.0.1:port, handshakes as `id` says, sends `send` (if not
/// empty) and reads until the server closes (at most `read_for`).
inline Session connect(std::uint16_t port, const Identity& id, const std::string& send = "",
                       std::chrono::milliseconds read_for = std::chrono::seconds(10)) {
  Session out;
  asio::io_context io;
  ssl::context ctx(ssl::context::tls_client);
  boost::system::error_code ec;
  if (!id.ca.empty()) {
    ctx.load_verify_file(id.ca.string(), ec);
    ctx.set_verify_mode(ssl::verify_peer);
  }
  if (!id.crt.empty()) {
    ctx.use_certificate_chain_file(id.crt.string(), ec);
    ctx.use_private_key_file(id.key.string(), ssl::context::pem, ec);
  }
  ssl::stream<tcp::socket> s(io, ctx);
  if (!e2e::connect(s.next_layer(), port)) {
    out.error = "cannot connect";
    return out;
  }
  // A deadline for the whole exchange: a hung server fails the test, not the suite.
  asio::steady_timer deadline(io);
  deadline.expires_after(read_for);
  deadline.async_wait([&](boost::system::error_code e) {
    if (!e) s.next_layer().close(e);
  });
  bool shaken = false;
  s.async_handshake(ssl::stream_base::client, [&](boost::system::error_code e) {
    ec = e;
    shaken = true;
  });
  while (!shaken && io.run_one() != 0) {
  }
  if (ec) {
    out.error = ec.message();
    return out;
  }
  out.handshake = true;
  if (X509* cert = SSL_get1_peer_certificate(s.native_handle())) {
    char name[256];
    X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
    out.subject = name;
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
    char* hex = BN_bn2hex(bn);
    out.serial = hex;
    OPENSSL_free(hex);
    BN_free(bn);
    X509_free(cert);
  }
  if (!send.empty()) {
    asio::async_write(s, asio::buffer(send), [](boost::system::error_code, std::size_t) {});
  }
  char buf[4096];
  std::function<void()> read = [&] {
    s.async_read_some(asio::buffer(buf), [&](boost::system::error_code e, std::size_t n) {
      out.received.append(buf, n);
      if (e) {
        out.close_notify = e == asio::error::eof;
        if (e != asio::error::eof && e != ssl::error::stream_truncated) out.error = e.message();
        deadline.cancel();
        return;
      }
      read();
    });
  };
  read();
  io.run();
  return out;
}

/// HTTPS request to 127.0.0.1:port verified against `ca` (Connection: close).
/// status 0 when the handshake or the connection failed.
inline HttpReply https(std::uint16_t port, const fs::path& ca, const std::string& method,
                       const std::string& path, const std::string& headers = "") {
  const std::string req = method + " " + path +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          "Content-Length: 0\r\n" +
                          headers + "\r\n";
  const Session s = connect(port, {ca, {}, {}}, req);
  HttpReply r;
  if (!s.handshake || s.received.size() < 12) return r;
  r.status = std::atoi(s.received.c_str() + 9);
  if (auto body = s.received.find("\r\n\r\n"); body != std::string::npos) {
    r.body = s.received.substr(body + 4);
    r.head = s.received.substr(0, body + 2);
  }
  return r;
}

}  // namespace e2e::tls

// Stage: nats. One NATS connection (nats.c) with its JetStream context, shared by
// the jetstream input and output and by `scan --jetstream`: the connect options
// (servers, credentials, TLS) as the config holds them, a blocking open() meant
// for a helper thread, and the callbacks nats.c makes on its own threads, routed
// to a Listener that posts them to its event loop.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "newshound/net/tls_options.hpp"

// nats.c types, so this header does not pull in <nats/nats.h>.
struct __natsConnection;
struct __jsCtx;

namespace newshound::nats {

/// How long one socket write to the server may wait for room (nats.c's write
/// deadline): past it the write fails and the connection is closed (reported
/// through Listener::on_closed), so a server that stops reading holds a publish
/// or an ack (made on a Worker's thread, never on the event loop) at most this
/// long, not until it reads again.
inline constexpr std::int64_t kWriteDeadlineMs = 2000;

/// How to reach the NATS servers; the fields of an input's or output's keys.
struct ConnectOptions {
  /// `url`: one server or several, comma-separated (`nats://host:4222,nats://b:4222`).
  std::string url;
  std::filesystem::path creds_file;     ///< `creds_file`: a JWT + NKey .creds file
  std::filesystem::path token_file;     ///< `token_file`: one line, the token
  std::string user;                     ///< `user`, with `password_file`
  std::filesystem::path password_file;  ///< `password_file`: one line
  net::TlsOptions tls;                  ///< `tls`: the client end
  bool operator==(const ConnectOptions&) const = default;
};

/// What nats.c reports, on nats.c's threads: a listener posts each call to its
/// own event loop and never blocks. It is called only while registered (see
/// Connection::open) and (a call already under way may finish while the Connection is destroyed).
class Listener {
 public:
  virtual ~Listener() = default;
  /// The connection is closed (the server went away, or an error); `why` for the log.
  virtual void on_closed(std::string why) = 0;
  /// The server's answer to an async publish with Nats-Msg-Id `msg_id`: `error`
  /// empty when it stored the message (or dropped it as a duplicate).
  virtual void on_pub_ack(std::string msg_id, std::string error) {
    (void)msg_id;
    (void)error;
  }
};

/// A connected nats.c connection and its JetStream context. nats.c does not
/// reconnect by itself (the owner's backoff does): a lost connection reports
/// Listener::on_closed once and stays closed. Destroying it closes the
/// connection and unregisters the listener (blocking briefly: call it where a
/// short wait is fine, e.g. a helper thread or shutdown).
class Connection {
 public:
  /// Connects, blocking up to a few seconds: one attempt per server. With
  /// `publish_async_acks`, async publishes report through listener->on_pub_ack.
  /// Returns null with `error` a sentence for the log naming the option to
  /// look at ("cannot connect to nats://127.0.0.1:4222: Authorization Violation;
  /// the server refused the token in token_file /etc/newshound/nats.token"; a
  /// TLS failure names ca_file, server_name, crt_file; an unreadable creds_file,
  /// token_file or password_file is named with its path).
  /// Never throws except std::bad_alloc.
  static std::unique_ptr<Connection> open(const ConnectOptions& opts,
                                          std::shared_ptr<Listener> listener,
                                          bool publish_async_acks, std::string& error);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  __natsConnection* conn() const { return nc_; }
  __jsCtx* js() const { return js_; }
  /// The server URL (or list) for logs.
  const std::string& where() const { return where_; }

 private:
  Connection() = default;
  __natsConnection* nc_ = nullptr;
  __jsCtx* js_ = nullptr;
  std::shared_ptr<Listener> listener_;  ///< kept alive while registered
  std::uintptr_t listener_id_ = 0;
  std::string where_;
};

/// nats.c's last error for `status`, as one sentence ("Authorization Violation").
std::string status_text(int status);

/// Call first thing in main, before anything initializes OpenSSL: registers
/// nats.c's exit handler (nats_Close() on a library never opened only runs
/// nats.c's one-time setup; no thread is started). nats.c 3.4.1's handler, once
/// the library was released (close_library), frees OpenSSL's list of compression
/// methods, which OpenSSL 3's own exit handler frees too: run before it (as it
/// does when OpenSSL was set up first, by a TLS check at config load) that is a
/// double free at exit (SIGSEGV or SIGABRT); registered first, it runs after
/// OpenSSL's and finds the list gone.
void prepare_library();

/// Call once, on the main thread, when no Connection is left (after the daemon or
/// a scan returned): first joins the threads of retired Workers (worker.hpp),
/// which may still be closing a connection or finishing a connect, then waits,
/// up to a few seconds, until nats.c has released every
/// connection and stops its own threads (nats_CloseAndWait). A closed connection
/// is freed by whichever nats.c thread drops the last reference (its timer
/// thread, the thread running the closed callback), and with TLS that frees the
/// connection's OpenSSL context: left to run into the process's exit, it races
/// OpenSSL's own cleanup (TSan: a lock freed while that thread takes it). Does
/// nothing when no connection was ever opened. Returns false, with `error` set,
/// when nats.c did not finish in time.
bool close_library(std::string& error);

}  // namespace newshound::nats

// Daemon: the admin HTTP endpoint (Boost.Beast, HTTP/1.1, keep-alive, HTTPS with
// [admin] tls). Serves
// /metrics, /healthz, /readyz, /v1/rules and /v1/reload from callbacks the daemon
// provides; owns the listening socket and its connections, nothing else. Also
// declares render_rules_json, the /v1/rules body (rules_json.cpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "newshound/config/endpoint.hpp"
#include "newshound/net/tls_edge.hpp"

namespace newshound {

class Rules;

/// Answer of AdminHandlers::ready.
struct Readiness {
  bool ready = false;
  std::string reason;  ///< why not ready (e.g. "draining"); shown with the 503
};

/// What became of a reload request (AdminHandlers::reload).
enum class ReloadRequest {
  started,    ///< a reload starts now, or after the one running
  coalesced,  ///< one was already pending: this request is merged into it
  refused,    ///< nothing will reload (the daemon is draining)
};

/// What the routes call. Every callback runs on the event-loop thread (the one
/// running the io_context); an exception from one becomes a 500 response. An empty
/// std::function makes its route answer 503.
struct AdminHandlers {
  /// GET /metrics: the body, Prometheus text (MetricsExposition::text).
  std::function<std::string()> metrics;
  /// GET /readyz: 200 "ready" when ready, else 503 with the reason.
  std::function<Readiness()> ready;
  /// GET /v1/rules: a JSON document (lists, counts, version, compile time):
  /// render_rules_json.
  std::function<std::string()> rules_json;
  /// POST /v1/reload: requests a reload and says what became of the request:
  /// `started` and `coalesced` (merged into a reload already pending) are
  /// answered 202, `refused` (draining: nothing will reload) 503.
  std::function<ReloadRequest()> reload;
};

/// Limits of the admin server.
struct AdminLimits {
  std::chrono::milliseconds read_timeout{10000};  ///< for a whole request, also when idle
  std::size_t max_request_bytes = 64 * 1024;      ///< header and body, each
  /// Further clients get one request read: GET/HEAD /healthz is answered, anything
  /// else 503, then a close (so idle clients cannot fail health checks).
  std::size_t max_connections = 64;
  /// Host names (besides the listen host, its IP address and, on loopback,
  /// `localhost`) that requests may carry in Host and Origin ([admin] allowed_hosts).
  std::vector<std::string> allowed_hosts;
  /// The bearer token ([admin] token_file's): when set, every request but GET and
  /// HEAD of /healthz and /readyz must carry `Authorization: Bearer <token>`, else
  /// 401. "" = no token: then bind() refuses a non-loopback address.
  std::string token;
  /// [admin] tls: HTTPS with this edge's context (swapped by a reload: new
  /// connections use the new certificate); null = plain HTTP. A failed handshake
  /// is counted on the edge by reason and logged, rate-limited.
  std::shared_ptr<net::TlsEdge> tls;
};

/// Requests refused with 401, by reason (/metrics:
/// newshound_admin_auth_failures_total{reason}).
struct AdminAuthFailures {
  std::uint64_t missing = 0;  ///< no bearer token
  std::uint64_t wrong = 0;    ///< a bearer token other than the configured one
};

/// HTTP/1.1 admin server on one address. Construct, use and destroy on the
/// event-loop thread. Never throws out of its handlers or after construction:
/// malformed requests get 400, oversized ones 413/431, socket errors close the
/// connection. Routes: GET (and HEAD: the GET answer without its body) /metrics,
/// /healthz, /readyz, /v1/rules; POST /v1/reload; other paths 404; a wrong method
/// 405 with an Allow header. Before routing, a request whose Host names another
/// server gets 421 (an HTTP/1.1 request without Host 400), and one carrying a
/// foreign Origin 403 (AdminLimits::allowed_hosts); then, with a token, one
/// without it 401 (AdminLimits::token). `Expect: 100-continue` is answered with
/// 100 before the body is read.
class AdminServer {
 public:
  AdminServer(boost::asio::io_context& io, Endpoint listen, AdminHandlers handlers,
              AdminLimits limits = {});
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  /// Resolves the host, binds and listens now, so callers know the port is open
  /// when this returns. Returns an error message ("admin 127.0.0.1:7380: ...") or
  /// "" on success. Port 0 picks a free port (see local_port()). Without a
  /// token, an address that is not loopback is refused.
  std::string bind();
  /// Starts accepting (after a successful bind()).
  void start();
  /// Stops accepting and closes every open connection. Idempotent; the
  /// destructor calls it.
  void stop();
  /// The bound port, 0 when not bound.
  std::uint16_t local_port() const;
  /// Connections open now (for tests and status).
  std::size_t connections() const;
  /// Replaces the bearer token (a reload); requests from now on are checked
  /// against the new one. An empty token is refused while bound to an address
  /// that is not loopback: then the old one stays and the reason is returned;
  /// "" otherwise. Logs what changed (never the token).
  std::string set_token(std::string token);
  /// Requests refused for their credentials so far.
  const AdminAuthFailures& auth_failures() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// The body of GET /v1/rules, one JSON object:
///   {"version":"...","loaded_at":"2024-05-01T09:30:00Z","loaded_at_unix":1714555800,
///    "compile_time_seconds":0.012,"database_bytes":N,"entities":N,"aliases":N,
///    "lists":[{"name":"people","path":"...","tags":[...],"entities":N,"aliases":N}]}
/// (aliases = compiled patterns). Never throws except std::bad_alloc.
std::string render_rules_json(const Rules& rules, std::chrono::system_clock::time_point loaded_at);

}  // namespace newshound

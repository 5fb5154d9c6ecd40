// Daemon: AdminServer's answers: the Host/Origin and bearer token checks
// (admin_access.hpp), the routes and their handlers (exceptions become 500), HEAD
// as GET without a body.
#include <spdlog/spdlog.h>

#include <exception>
#include <functional>
#include <string>

#include "admin_server_impl.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

namespace admin_detail {
Response make_response(http::status status, unsigned version, std::string_view content_type,
                       std::string body) {
  Response res{status, version};
  res.set(http::field::server, "newshound");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response text(http::status status, unsigned version, std::string body) {
  return make_response(status, version, kText, std::move(body));
}
}  // namespace admin_detail

Response AdminServer::Impl::call(unsigned version, const std::function<Response()>& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    spdlog::error("admin: handler failed: {}", e.what());
    return text(http::status::internal_server_error, version,
                std::string("internal error: ") + e.what() + "\n");
  } catch (...) {
    spdlog::error("admin: handler failed with an unknown exception");
    return text(http::status::internal_server_error, version, "internal error\n");
  }
}

Response AdminServer::Impl::answer(const Request& req, bool keep_alive) {
  Response res = route(req);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  // HEAD: the GET answer's header (its Content-Length included), no body.
  if (req.method() == http::verb::head) res.body().clear();
  return res;
}

std::optional<Response> AdminServer::Impl::refuse_foreign(const Request& req) {
  const unsigned v = req.version();
  const auto host = req.find(http::field::host);
  if (host == req.end()) {
    if (v >= 11) return text(http::status::bad_request, v, "bad request: no Host header\n");
  } else if (!access.host_allowed(host->value())) {
    std::uint64_t suppressed = 0;
    if (refuse_log.allow(&suppressed))
      spdlog::warn(
          "admin {}: refused a request for Host \"{}\" (421); add the name to [admin] "
          "allowed_hosts if it is yours ({} similar messages suppressed)",
          listen.to_string(), std::string_view(host->value()).substr(0, 100), suppressed);
    return text(http::status::misdirected_request, v,
                "misdirected request: this admin endpoint does not answer to that Host\n");
  }
  if (const auto origin = req.find(http::field::origin);
      origin != req.end() && !access.origin_allowed(origin->value())) {
    std::uint64_t suppressed = 0;
    if (refuse_log.allow(&suppressed))
      spdlog::warn(
          "admin {}: refused a request from Origin \"{}\" (403): a web page may be trying to "
          "reach the admin endpoint ({} similar messages suppressed)",
          listen.to_string(), std::string_view(origin->value()).substr(0, 100), suppressed);
    return text(http::status::forbidden, v, "forbidden: cross-origin requests are refused\n");
  }
  return std::nullopt;
}

// Health checks (GET/HEAD /healthz, /readyz) are open; everything else needs the
// token when one is set.
std::optional<Response> AdminServer::Impl::refuse_unauthorized(const Request& req,
                                                               std::string_view path) {
  if (!access.has_token()) return std::nullopt;
  const bool read = req.method() == http::verb::get || req.method() == http::verb::head;
  if (read && (path == "/healthz" || path == "/readyz")) return std::nullopt;
  const auto header = req.find(http::field::authorization);
  const AuthFailure failure = access.check_bearer(
      header == req.end() ? std::string_view() : std::string_view(header->value()));
  if (failure == AuthFailure::none) return std::nullopt;
  const bool missing = failure == AuthFailure::missing;
  ++(missing ? auth.missing : auth.wrong);
  std::uint64_t suppressed = 0;
  if (auth_log.allow(&suppressed))
    spdlog::warn(
        "admin {}: refused {} {} (401): {} ({} similar messages suppressed)", listen.to_string(),
        std::string_view(req.method_string()).substr(0, 20), path.substr(0, 100),
        missing ? "no bearer token; send Authorization: Bearer <token>" : "wrong bearer token",
        suppressed);
  Response res = make_response(
      http::status::unauthorized, req.version(), kJson,
      missing ? "{\"error\":\"unauthorized\",\"reason\":\"missing\",\"message\":\"send "
                "Authorization: Bearer <token>, the token of [admin] token_file\"}\n"
              : "{\"error\":\"unauthorized\",\"reason\":\"wrong\",\"message\":\"the bearer "
                "token is not the one of [admin] token_file\"}\n");
  res.set(http::field::www_authenticate,
          missing ? "Bearer realm=\"newshound\""
                  : "Bearer realm=\"newshound\", error=\"invalid_token\"");
  return res;
}

Response AdminServer::Impl::route(const Request& req) {
  const unsigned v = req.version();
  if (auto refused = refuse_foreign(req)) return std::move(*refused);
  std::string_view path = req.target();
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (auto refused = refuse_unauthorized(req, path)) return std::move(*refused);

  http::verb allowed = http::verb::get;
  std::function<Response()> serve;
  auto unavailable = [v] {
    return text(http::status::service_unavailable, v, "not available in this process\n");
  };
  if (path == "/metrics") {
    serve = [&]() -> Response {
      if (!handlers.metrics) return unavailable();
      return make_response(http::status::ok, v, kPrometheusContentType, handlers.metrics());
    };
  } else if (path == "/healthz") {
    serve = [v] { return text(http::status::ok, v, "ok\n"); };
  } else if (path == "/readyz") {
    serve = [&]() -> Response {
      if (!handlers.ready) return unavailable();
      Readiness r = handlers.ready();
      if (r.ready) return text(http::status::ok, v, "ready\n");
      return text(http::status::service_unavailable, v,
                  "not ready: " + (r.reason.empty() ? std::string("starting") : r.reason) + "\n");
    };
  } else if (path == "/v1/rules") {
    serve = [&]() -> Response {
      if (!handlers.rules_json) return unavailable();
      return make_response(http::status::ok, v, kJson, handlers.rules_json());
    };
  } else if (path == "/v1/reload") {
    allowed = http::verb::post;
    serve = [&]() -> Response {
      if (!handlers.reload) return unavailable();
      switch (handlers.reload()) {
        case ReloadRequest::started:
          return make_response(http::status::accepted, v, kJson,
                               "{\"status\":\"accepted\",\"coalesced\":false}\n");
        case ReloadRequest::coalesced:
          return make_response(http::status::accepted, v, kJson,
                               "{\"status\":\"accepted\",\"coalesced\":true}\n");
        case ReloadRequest::refused:
          break;
      }
      return make_response(http::status::service_unavailable, v, kJson,
                           "{\"status\":\"refused\",\"reason\":\"draining\"}\n");
    };
  } else {
    return text(http::status::not_found, v,
                "not found; try /metrics, /healthz, /readyz, /v1/rules or POST /v1/reload\n");
  }
  const bool head_of_get = allowed == http::verb::get && req.method() == http::verb::head;
  if (req.method() != allowed && !head_of_get) {
    const std::string methods = allowed == http::verb::get ? "GET, HEAD" : "POST";
    Response res =
        text(http::status::method_not_allowed, v, "method not allowed; use " + methods + "\n");
    res.set(http::field::allow, methods);
    return res;
  }
  return call(v, serve);
}

}  // namespace newshound

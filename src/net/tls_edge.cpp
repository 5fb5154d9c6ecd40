// Net: TlsEdge (see tls_edge.hpp) and the process's list of live edges, which a
// reload walks to re-read certificate files and /metrics walks to report the
// handshake failures and certificate expiry of every edge.
#include "newshound/net/tls_edge.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "newshound/net/tls_context.hpp"
#include "newshound/net/tls_inspect.hpp"

namespace newshound::net {

namespace {

using enum MetricType;

constexpr MetricFamily kFailures{
    "newshound_tls_handshake_failures_total", counter,
    "Failed TLS handshakes per network edge, by reason (unknown_ca, expired, hostname_mismatch, "
    "no_certificate, name_not_allowed, protocol, not_tls, closed, timeout, other)."};
constexpr MetricFamily kExpiry{
    "newshound_tls_certificate_expiry_timestamp_seconds", gauge,
    "When a loaded certificate (crt_file, or the first of ca_file) expires, in Unix seconds."};
constexpr MetricFamily kReloadFailures{
    "newshound_tls_reload_failures_total", counter,
    "Reloads whose certificate or key files could not be read: the edge kept its old ones."};

/// The live edges (weak: an edge belongs to its input, output or admin server).
struct Registry {
  std::mutex mutex;
  std::vector<std::weak_ptr<TlsEdge>> edges;

  void add(const std::shared_ptr<TlsEdge>& e) {
    std::lock_guard lock(mutex);
    std::erase_if(edges, [](const auto& w) { return w.expired(); });
    edges.push_back(e);
  }
  /// The live edges, oldest first.
  std::vector<std::shared_ptr<TlsEdge>> live() {
    std::lock_guard lock(mutex);
    std::vector<std::shared_ptr<TlsEdge>> out;
    for (const auto& w : edges)
      if (auto e = w.lock()) out.push_back(std::move(e));
    return out;
  }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

TlsEdge::TlsEdge(std::string endpoint, TlsOptions o, TlsRole role)
    : endpoint_(std::move(endpoint)), opt_(std::move(o)), role_(role) {}

std::shared_ptr<TlsEdge> TlsEdge::make(std::string endpoint, TlsOptions o, TlsRole role,
                                       std::string& error) {
  auto edge = std::make_shared<TlsEdge>(std::move(endpoint), std::move(o), role);
  auto built = make_tls_context(edge->opt_, role);
  if (!built.context) {
    error = std::move(built.error);
    return nullptr;
  }
  edge->context_ = std::move(built.context);
  edge->counts_.expiry = edge->read_expiry();
  registry().add(edge);
  return edge;
}

std::shared_ptr<boost::asio::ssl::context> TlsEdge::context() const {
  std::lock_guard lock(mutex_);
  return context_;
}

std::string TlsEdge::reload() {
  auto built = make_tls_context(opt_, role_);  // off the lock: it reads files
  auto expiry = built.context ? read_expiry() : decltype(read_expiry()){};
  std::lock_guard lock(mutex_);
  if (!built.context) {
    ++counts_.reload_failures;
    return std::move(built.error);
  }
  context_ = std::move(built.context);
  counts_.expiry = std::move(expiry);
  return {};
}

void TlsEdge::count_failure(std::string_view reason) {
  std::lock_guard lock(mutex_);
  auto it = counts_.failures.find(reason);
  if (it == counts_.failures.end()) it = counts_.failures.emplace(std::string(reason), 0).first;
  ++it->second;
}

TlsEdge::Snapshot TlsEdge::snapshot() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::vector<std::pair<std::string, double>> TlsEdge::read_expiry() const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto* f : {&opt_.crt_file, &opt_.ca_file}) {
    if (f->empty()) continue;
    std::string error;
    if (auto info = inspect_certificate(*f, error))
      out.emplace_back(f->string(),
                       std::chrono::duration<double>(info->not_after.time_since_epoch()).count());
  }
  return out;
}

std::size_t reload_tls_edges() {
  std::size_t failed = 0;
  for (const auto& e : registry().live()) {
    if (std::string err = e->reload(); !err.empty()) {
      ++failed;
      spdlog::error("reload: {}: TLS: {}; keeping the certificate and key loaded before",
                    e->endpoint(), err);
    }
  }
  return failed;
}

void declare_tls_metrics(MetricsExposition& out) {
  out.declare(kFailures);
  out.declare(kExpiry);
  out.declare(kReloadFailures);
}

void report_tls_metrics(MetricsExposition& out) {
  auto edges = registry().live();
  // An input or output replaced by a reload may linger while its last
  // connections close: only the newest edge of an endpoint is shown.
  std::vector<std::shared_ptr<TlsEdge>> shown;
  for (auto it = edges.rbegin(); it != edges.rend(); ++it)
    if (std::none_of(shown.begin(), shown.end(),
                     [&](const auto& s) { return s->endpoint() == (*it)->endpoint(); }))
      shown.push_back(*it);
  std::sort(shown.begin(), shown.end(),
            [](const auto& a, const auto& b) { return a->endpoint() < b->endpoint(); });
  for (const auto& e : shown) {
    const auto s = e->snapshot();
    for (const auto& [reason, n] : s.failures)
      out.add(kFailures, {{"endpoint", e->endpoint()}, {"reason", reason}}, n);
    for (const auto& [file, when] : s.expiry)
      out.add(kExpiry, {{"endpoint", e->endpoint()}, {"file", file}}, when);
    out.add(kReloadFailures, {{"endpoint", e->endpoint()}}, s.reload_failures);
  }
}

}  // namespace newshound::net

// Net: TlsEdge, one network edge's TLS state shared by the edge (an input, an
// output, the admin endpoint) and the process's list of live edges: the current
// context (swapped by a reload), handshake failures by reason and the expiry of
// its certificates, for /metrics (newshound_tls_*) and SIGHUP / POST /v1/reload.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/net/tls_options.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound::net {

/// One edge's context and counters. Made by make(), owned through shared_ptr by
/// the edge; the live-edge list holds weak references only. Thread-safe: every
/// member may be called from any thread. Never throws but std::bad_alloc.
class TlsEdge {
 public:
  /// Builds the first context from `o` for `role`. Returns the edge, or null with
  /// `error` set to make_tls_context's words. `endpoint` labels the metrics
  /// ("input/feeds", "output/alerts", "admin"). The edge joins the live list.
  static std::shared_ptr<TlsEdge> make(std::string endpoint, TlsOptions o, TlsRole role,
                                       std::string& error);

  /// The context new handshakes use now. Connections keep the one they started
  /// with (SocketStream holds it), so a reload never disturbs them.
  std::shared_ptr<boost::asio::ssl::context> context() const;
  /// Re-reads the certificate, key and CA files: "" (new handshakes use the new
  /// context) or why not, in which case the old context stays and the failure is
  /// counted (newshound_tls_reload_failures_total).
  std::string reload();
  /// Counts one failed handshake under `reason` (tls_failure_reason's label).
  void count_failure(std::string_view reason);

  const std::string& endpoint() const { return endpoint_; }
  const TlsOptions& options() const { return opt_; }

  /// What /metrics shows of the edge.
  struct Snapshot {
    std::map<std::string, std::uint64_t, std::less<>> failures;  ///< by reason
    std::vector<std::pair<std::string, double>> expiry;  ///< (file, notAfter in Unix seconds)
    std::uint64_t reload_failures = 0;
  };
  Snapshot snapshot() const;

  TlsEdge(std::string endpoint, TlsOptions o, TlsRole role);  ///< use make()

 private:
  /// Reads the notAfter of crt_file and ca_file (first certificate of each).
  std::vector<std::pair<std::string, double>> read_expiry() const;

  const std::string endpoint_;
  const TlsOptions opt_;
  const TlsRole role_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  Snapshot counts_;
};

/// Re-reads the files of every live edge (SIGHUP, POST /v1/reload): logs each
/// failure (the edge keeps its old context) and returns how many failed.
std::size_t reload_tls_edges();

/// Declares the newshound_tls_* families, in the order /metrics shows them.
void declare_tls_metrics(MetricsExposition& out);
/// Adds the samples of every live edge (one edge per endpoint: the newest).
void report_tls_metrics(MetricsExposition& out);

}  // namespace newshound::net

// Net tests: TlsEdge, the reloadable context of one edge: a reload swaps the
// context new handshakes get (a connection's own stays alive), a broken file
// keeps the old one and counts; the handshake failures by reason and the
// certificate expiry show in the newshound_tls_* metrics of the live edges.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "newshound/net/tls_edge.hpp"
#include "support/test_certs.hpp"

using namespace newshound;
using namespace newshound::net;
namespace fs = std::filesystem;
using testcerts::file;

namespace {
struct TempCerts {
  fs::path dir = fs::temp_directory_path() / ("newshound-edge-" + std::to_string(::getpid()));
  TempCerts() { fs::create_directories(dir); }
  ~TempCerts() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void use(const std::string& cert) {
    fs::copy_file(file(cert + ".pem"), dir / "c.pem", fs::copy_options::overwrite_existing);
    fs::copy_file(file(cert + ".key"), dir / "c.key", fs::copy_options::overwrite_existing);
  }
};
}  // namespace

TEST_CASE("a TLS edge reloads its files, keeps the old context on a broken one, reports metrics",
          "[net][tls]") {
  TempCerts t;
  TlsOptions o = server_tls_defaults();
  o.enabled = true;
  o.crt_file = t.dir / "c.pem";
  o.key_file = t.dir / "c.key";
  std::string error;
  CHECK(TlsEdge::make("input/edge-test", o, TlsRole::server, error) == nullptr);  // no files yet
  CHECK(error.find("c.pem") != std::string::npos);
  t.use("server");
  error.clear();
  auto edge = TlsEdge::make("input/edge-test", o, TlsRole::server, error);
  REQUIRE(edge);
  CHECK(error.empty());
  const auto first = edge->context();
  REQUIRE(edge->snapshot().expiry.size() == 1);
  const double server_expiry = edge->snapshot().expiry[0].second;

  // A broken key: the old context stays, the failure counts.
  std::ofstream(t.dir / "c.key") << "not a key\n";
  CHECK_FALSE(edge->reload().empty());
  CHECK(edge->context() == first);
  CHECK(edge->snapshot().reload_failures == 1);

  // New files under the same paths: new handshakes get a new context; one held
  // by an open connection stays valid.
  t.use("soon");
  CHECK(edge->reload() == "");
  CHECK(edge->context() != first);
  CHECK(first.use_count() >= 1);
  CHECK(edge->snapshot().expiry[0].second < server_expiry);  // soon.pem: 5 days

  edge->count_failure("unknown_ca");
  edge->count_failure("unknown_ca");
  edge->count_failure("timeout");
  MetricsExposition out;
  declare_tls_metrics(out);
  report_tls_metrics(out);
  const std::string text = out.text();
  INFO(text);
  CHECK(text.find("newshound_tls_handshake_failures_total{endpoint=\"input/edge-test\",reason="
                  "\"unknown_ca\"} 2\n") != std::string::npos);
  CHECK(text.find("newshound_tls_handshake_failures_total{endpoint=\"input/edge-test\",reason="
                  "\"timeout\"} 1\n") != std::string::npos);
  CHECK(text.find("newshound_tls_certificate_expiry_timestamp_seconds{endpoint=\"input/"
                  "edge-test\",file=\"" +
                  o.crt_file.string() + "\"} ") != std::string::npos);
  CHECK(text.find("newshound_tls_reload_failures_total{endpoint=\"input/edge-test\"} 1\n") !=
        std::string::npos);

  // A second edge of the same endpoint (an input replaced by a reload) is the one shown.
  auto newer = TlsEdge::make("input/edge-test", o, TlsRole::server, error);
  REQUIRE(newer);
  MetricsExposition again;
  report_tls_metrics(again);
  CHECK(again.text().find("reason=\"unknown_ca\"") == std::string::npos);
  CHECK(again.text().find("newshound_tls_reload_failures_total{endpoint=\"input/edge-test\"} 0") !=
        std::string::npos);
  // Edges that are gone are not reported.
  edge.reset();
  newer.reset();
  MetricsExposition none;
  report_tls_metrics(none);
  CHECK(none.text().find("edge-test") == std::string::npos);
}

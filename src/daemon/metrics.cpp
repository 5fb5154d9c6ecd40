// Daemon: the order of the /metrics families (each component declares its own)
// and the daemon's own families: reloads, the running rules, uptime, the admin
// endpoint's refused requests, the TLS edges (net/tls_edge.cpp).
#include "newshound/daemon/metrics.hpp"

#include "newshound/daemon/admin_server.hpp"
#include "newshound/daemon/daemon.hpp"
#include "newshound/dispatch/pipeline_metrics.hpp"
#include "newshound/net/tls_edge.hpp"
#include "newshound/sink/sink_metrics.hpp"
#include "newshound/source/input_metrics.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr MetricFamily kRulesInfo{"newshound_rules_info", gauge,
                                  "The running rules; the version is a label."};
constexpr MetricFamily kEntities{"newshound_rules_entities", gauge,
                                 "Entities in the running watch-lists."};
constexpr MetricFamily kAliases{"newshound_rules_aliases", gauge,
                                "Aliases in the running watch-lists."};
constexpr MetricFamily kUptime{"newshound_uptime_seconds", gauge,
                               "Seconds since the daemon started."};
constexpr MetricFamily kAuthFailures{
    "newshound_admin_auth_failures_total", counter,
    "Admin requests refused with 401, by reason: missing or wrong bearer token."};

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// Rows without a reader are sampled from the Rules below.
constexpr StatMetric<ReloadStats> kReloadMetrics[] = {
    {"newshound_reloads_total", counter, "Successful reloads of config and watch-lists.",
     stat<&ReloadStats::reloads>},
    {"newshound_reload_failures_total", counter,
     "Reloads that failed and kept the previous rules running.", stat<&ReloadStats::failures>},
    {kRulesInfo, nullptr},
    {"newshound_rules_loaded_timestamp_seconds", gauge,
     "When the running rules were loaded, in Unix seconds.",
     [](const ReloadStats& s) -> MetricValue { return unix_seconds(s.rules_loaded_at); }},
    {kEntities, nullptr},
    {kAliases, nullptr},
};

}  // namespace

void declare_metric_families(MetricsExposition& out) {
  declare_input_metrics(out);
  declare_pipeline_metrics(out);
  declare_sink_metrics(out);
  out.declare(kReloadMetrics);
  declare_alert_latency_metric(out);
  out.declare(kUptime);
  out.declare(kAuthFailures);
  net::declare_tls_metrics(out);
}

void report_daemon_metrics(MetricsExposition& out, const ReloadStats& reloads, const Rules& rules,
                           std::chrono::steady_clock::duration uptime) {
  out.add(kReloadMetrics, {}, reloads);
  out.add(kRulesInfo, {{"version", rules.version()}}, 1);
  out.add(kEntities, {}, rules.entities().size());
  out.add(kAliases, {}, rules.patterns().size());
  out.add(kUptime, {}, std::chrono::duration<double>(uptime).count());
  net::report_tls_metrics(out);  // every live TLS edge: inputs, outputs, admin
}

void report_admin_metrics(MetricsExposition& out, const AdminAuthFailures& auth) {
  out.add(kAuthFailures, {{"reason", "missing"}}, auth.missing);
  out.add(kAuthFailures, {{"reason", "wrong"}}, auth.wrong);
}

}  // namespace newshound

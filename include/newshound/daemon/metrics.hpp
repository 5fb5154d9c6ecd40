// Daemon: what GET /metrics shows. Every component declares its own families and
// adds its own samples (input_metrics.hpp, pipeline_metrics.hpp, sink_metrics.hpp);
// this file holds the order of the families and the daemon's own ones (reloads,
// running rules, uptime, the admin endpoint's refused requests). Daemon::render_metrics puts it
// together.
#pragma once

#include <chrono>

#include "newshound/match/rules.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

struct ReloadStats;
struct AdminAuthFailures;

/// Declares, in /metrics order, the families of every component type (inputs,
/// pipeline, outputs, reloads and rules, alert latency, uptime), so each shows its
/// HELP and TYPE lines also when it has no samples. Never throws except std::bad_alloc.
void declare_metric_families(MetricsExposition& out);

/// Adds the daemon's own samples: reloads and failed reloads, the running rules
/// (version, load time, entities, aliases), and `uptime`.
void report_daemon_metrics(MetricsExposition& out, const ReloadStats& reloads, const Rules& rules,
                           std::chrono::steady_clock::duration uptime);

/// Adds the admin endpoint's samples: requests refused for a missing or wrong
/// bearer token (newshound_admin_auth_failures_total{reason}).
void report_admin_metrics(MetricsExposition& out, const AdminAuthFailures& auth);

}  // namespace newshound

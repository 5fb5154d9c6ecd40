// Stage: sink. The /metrics families of an output's disk spool: one row per
// counter of SpoolStats and SpoolSyncStats (a new counter is one row here).
#include "newshound/sink/sink_metrics.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr MetricFamily kOpen{
    "newshound_spool_open", gauge,
    "1 while an output's spool is open; 0 while it cannot be opened (see the log)."};

constexpr StatMetric<SpoolStats> kSpoolMetrics[] = {
    {"newshound_spool_records", gauge, "Alerts in an output's disk spool, not yet delivered.",
     stat<&SpoolStats::records>},
    {"newshound_spool_bytes", gauge, "Bytes of those alerts (with 8-byte record headers).",
     stat<&SpoolStats::bytes>},
    {"newshound_spool_disk_bytes", gauge, "Size of an output's spool files.",
     stat<&SpoolStats::disk_bytes>},
    {"newshound_spool_appended_total", counter, "Alerts written to an output's spool.",
     stat<&SpoolStats::appended>},
    {"newshound_spool_released_total", counter,
     "Spooled alerts delivered and released from the spool.", stat<&SpoolStats::released>},
    {"newshound_spool_bad_records_total", counter,
     "Spool records skipped: bad checksum, broken frame or undecodable.",
     stat<&SpoolStats::bad_records>},
    {"newshound_spool_torn_tails_total", counter,
     "Partial records at the end of a spool file, truncated when opening.",
     stat<&SpoolStats::torn_tails>},
    {"newshound_spool_garbage_files_total", counter,
     "Unexpected or unreadable files found in a spool folder.", stat<&SpoolStats::garbage_files>},
    {"newshound_spool_bad_cursors_total", counter,
     "Unreadable spool cursors (delivery restarted at the oldest record).",
     stat<&SpoolStats::bad_cursors>},
    {"newshound_spool_write_errors_total", counter, "Failed spool writes and syncs.",
     stat<&SpoolStats::write_errors>},
};

constexpr StatMetric<SpoolSyncStats> kSyncMetrics[] = {
    {"newshound_spool_unsynced_alerts", gauge,
     "Spooled alerts waiting for their fsync (not yet counted as accepted for good).",
     stat<&SpoolSyncStats::pending>},
    {"newshound_spool_syncs_total", counter,
     "Group commits (fsync of an output's spool) finished, failed ones included.",
     stat<&SpoolSyncStats::syncs>},
    {"newshound_spool_sync_seconds_total", counter,
     "Seconds spent in spool group commits, on the spool's disk thread.",
     stat<&SpoolSyncStats::seconds>},
    {"newshound_spool_last_sync_seconds", gauge, "How long the last spool group commit took.",
     stat<&SpoolSyncStats::last_seconds>},
};

}  // namespace

void declare_spool_metrics(MetricsExposition& out) {
  out.declare(kOpen);
  out.declare(kSpoolMetrics);
  out.declare(kSyncMetrics);
}

void report_spool_stats(MetricsExposition& out, std::string_view output, bool open,
                        const SpoolStats& stats, const SpoolSyncStats& sync) {
  out.add(kOpen, {{"sink", output}}, open);
  out.add(kSpoolMetrics, {{"sink", output}}, stats);
  out.add(kSyncMetrics, {{"sink", output}}, sync);
}

void SpoolingSink::report_metrics(MetricsExposition& out, std::string_view output) const {
  report_spool_stats(out, output, spool_open(), spool_stats(), sync_stats());
  inner().report_metrics(out, output);
}

}  // namespace newshound

// Stage: dispatch. The /metrics families of the digest desk (see digest_metrics.hpp).
#include "newshound/dispatch/digest_metrics.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr MetricFamily kPending{
    "newshound_output_digests_pending", gauge,
    "Digests collecting now (stories = \"digest\", throttled lists), per output."};
constexpr MetricFamily kPendingCopies{"newshound_output_digest_alerts_pending", gauge,
                                      "Alerts folded into the pending digests, per output."};
constexpr MetricFamily kSent{"newshound_output_digests_sent_total", counter,
                             "Digests handed to an output, by when: due (its interval ended, or "
                             "shutdown) or early (the pending digests' bounds were reached)."};
constexpr MetricFamily kFolded{"newshound_output_alerts_folded_total", counter,
                               "Alerts folded into a digest instead of being sent at once, by "
                               "reason: story (stories = \"digest\") or throttle "
                               "(max_alerts_per_minute)."};
constexpr MetricFamily kThrottled{"newshound_output_alerts_throttled_total", counter,
                                  "Alerts of a watch-list over the output's "
                                  "max_alerts_per_minute, folded into that list's digest."};
}  // namespace

void declare_digest_metrics(MetricsExposition& out) {
  for (const MetricFamily* f : {&kPending, &kPendingCopies, &kSent, &kFolded, &kThrottled})
    out.declare(*f);
}

void report_digest_metrics(MetricsExposition& out, std::string_view name, const DigestCounts& c) {
  out.add(kPending, {{"sink", name}}, c.pending);
  out.add(kPendingCopies, {{"sink", name}}, c.pending_copies);
  out.add(kSent, {{"sink", name}, {"when", "due"}}, c.sent - c.sent_early);
  out.add(kSent, {{"sink", name}, {"when", "early"}}, c.sent_early);
  out.add(kFolded, {{"sink", name}, {"reason", "story"}}, c.folded_story);
  out.add(kFolded, {{"sink", name}, {"reason", "throttle"}}, c.folded_throttle);
}

void report_throttle_metrics(MetricsExposition& out, std::string_view name, const Sink& sink,
                             const ListThrottle& throttle) {
  for (const auto& [key, n] : throttle.throttled_counts())
    if (key.first == &sink) out.add(kThrottled, {{"sink", name}, {"list", key.second}}, n);
}

}  // namespace newshound

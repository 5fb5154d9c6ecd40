// Stage: dispatch. The /metrics families of the digest desk: per output, the
// digests pending and sent and the alerts folded into them; per output and
// watch-list, the alerts the throttle folded (docs/operations.md, Stories).
#pragma once

#include <string_view>

#include "newshound/dispatch/digest_desk.hpp"
#include "newshound/dispatch/list_throttle.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Declares the digest families (newshound_output_digests_pending ..
/// newshound_output_alerts_throttled_total).
void declare_digest_metrics(MetricsExposition& out);
/// Adds output `name`'s digest samples.
void report_digest_metrics(MetricsExposition& out, std::string_view name, const DigestCounts& c);
/// Adds the throttled counts of `sink` (output `name`), one sample per list that
/// had any.
void report_throttle_metrics(MetricsExposition& out, std::string_view name, const Sink& sink,
                             const ListThrottle& throttle);

}  // namespace newshound

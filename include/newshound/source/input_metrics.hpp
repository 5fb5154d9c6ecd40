// Stage: source. The /metrics families of the inputs (TcpInputStats,
// DirectoryInputStats, HttpInputStats), labelled input="<name>"; each input adds
// its own samples through Input::report_metrics.
#pragma once

#include <cstdint>
#include <string_view>

#include "newshound/source/directory_input.hpp"
#include "newshound/source/http_input.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Declares the input families (newshound_input_*), also when no input runs.
void declare_input_metrics(MetricsExposition& out);

/// Adds a jetstream input's settled messages by result (acked, naked, terminated)
/// and its acknowledgements whose publish failed (`ack_failures`).
void report_jetstream_messages(MetricsExposition& out, std::string_view input, std::uint64_t acked,
                               std::uint64_t naked, std::uint64_t terminated,
                               std::uint64_t ack_failures);

/// Adds the samples of input `input` read from `stats` (relaxed loads).
/// Never throws except std::bad_alloc.
void report_input_metrics(MetricsExposition& out, std::string_view input,
                          const TcpInputStats& stats);

}  // namespace newshound

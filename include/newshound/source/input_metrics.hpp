// Stage: source. The /metrics families of the inputs (TcpInputStats,
// HttpInputStats), labelled input="<name>".
#pragma once

#include <string_view>

#include "newshound/source/http_input.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Declares the input families (newshound_input_*), also when no input runs.
void declare_input_metrics(MetricsExposition& out);

/// Adds the samples of input `input` read from `stats` (relaxed loads).
/// Never throws except std::bad_alloc.
void report_input_metrics(MetricsExposition& out, std::string_view input,
                          const TcpInputStats& stats);
/// The same for an http input: the shared families, newshound_http_requests_total
/// by status and newshound_http_articles_total by result.
void report_http_input_metrics(MetricsExposition& out, std::string_view input,
                               const HttpInputStats& stats);

}  // namespace newshound

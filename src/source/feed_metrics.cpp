// Stage: source. The /metrics families of a feed input: per feed (FeedHealth,
// labelled input and feed) and per input (FeedInputStats).
#include "newshound/source/feed_input.hpp"

namespace newshound {
namespace {

using enum MetricType;

constexpr StatMetric<FeedHealth> kFeedMetrics[] = {
    {"newshound_feed_polls_total", counter, "Polls of a feed (redirects followed count once).",
     stat<&FeedHealth::polls>},
    {"newshound_feed_items_total", counter,
     "New items (and new versions of items) of a feed handed to matching.",
     stat<&FeedHealth::items>},
    {"newshound_feed_not_modified_total", counter, "Polls a feed answered with 304 Not Modified.",
     stat<&FeedHealth::not_modified>},
    {"newshound_feed_failures_total", counter,
     "Failed polls of a feed (see newshound_feed_refused_total for why).",
     stat<&FeedHealth::failures>},
    {"newshound_feed_consecutive_failures", gauge, "Failed polls of a feed since its last success.",
     stat<&FeedHealth::consecutive_failures>},
    {"newshound_feed_last_success_timestamp_seconds", gauge,
     "When a feed was last polled successfully (200 or 304), in Unix seconds; 0 = never.",
     stat<&FeedHealth::last_success>},
};

constexpr StatMetric<FeedInputStats> kFeedInputMetrics[] = {
    {"newshound_feed_bytes_total", counter, "Feed document bytes received, per input.",
     stat<&FeedInputStats::bytes>},
    {"newshound_feed_duplicate_items_total", counter,
     "Feed items skipped because they were seen (or are being matched) already, per input.",
     stat<&FeedInputStats::duplicates>},
    {"newshound_feed_skipped_items_total", counter,
     "Feed items with neither title, body nor link, per input.",
     stat<&FeedInputStats::skipped_items>},
};

constexpr MetricFamily kRefused{
    "newshound_feed_refused_total", counter,
    "Failed polls by reason (failed, http_error, too_large, "
    "bad_gzip, tls, redirect_loop, too_many_redirects, bad_redirect, insecure_redirect, "
    "not_xml, xml_dtd, too_deep, invalid_utf8, not_a_feed), per input."};

}  // namespace

void declare_feed_metrics(MetricsExposition& out) {
  out.declare(kFeedMetrics);
  out.declare(kFeedInputMetrics);
  out.declare(kRefused);
}

void FeedInput::report_metrics(MetricsExposition& out, std::string_view name) const {
  for (const FeedHealth& h : health()) out.add(kFeedMetrics, {{"input", name}, {"feed", h.url}}, h);
  out.add(kFeedInputMetrics, {{"input", name}}, stats());
  for (const auto& [reason, n] : stats().failures)
    out.add(kRefused, {{"input", name}, {"reason", reason}}, n);
}

}  // namespace newshound

// Util tests: MetricsExposition, the Prometheus text format writer: families in
// declaration order with their samples grouped under one HELP/TYPE pair, declared
// families without samples, escaping, number formatting, StatMetric rows, histograms.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "newshound/util/prometheus.hpp"

using newshound::MetricFamily;
using newshound::MetricsExposition;
using newshound::MetricType;
using newshound::stat;
using newshound::StatMetric;

namespace {

constexpr MetricFamily kA{"test_a_total", MetricType::counter, "First family."};
constexpr MetricFamily kB{"test_b", MetricType::gauge, "Second family."};
constexpr MetricFamily kEmpty{"test_empty_total", MetricType::counter, "No samples."};

struct Stats {
  std::atomic<std::uint64_t> hits{0};
  double seconds = 0;
  int status = 0;
};

constexpr StatMetric<Stats> kStats[] = {
    {"test_hits_total", MetricType::counter, "Hits.", stat<&Stats::hits>},
    {kEmpty, nullptr},
    {"test_seconds_total", MetricType::counter, "Seconds.", stat<&Stats::seconds>},
    {"test_status", MetricType::gauge, "Status.", stat<&Stats::status>},
};

}  // namespace

TEST_CASE("prometheus: samples of several instances are grouped under their family",
          "[prometheus]") {
  MetricsExposition out;
  out.declare(kA);
  out.declare(kB);
  // Two components adding their samples one after the other, families interleaved.
  out.add(kA, {{"sink", "one"}}, 1);
  out.add(kB, {{"sink", "one"}}, 2);
  out.add(kA, {{"sink", "two"}}, 3);
  out.add(kB, {{"sink", "two"}}, 4);
  CHECK(out.text() ==
        "# HELP test_a_total First family.\n"
        "# TYPE test_a_total counter\n"
        "test_a_total{sink=\"one\"} 1\n"
        "test_a_total{sink=\"two\"} 3\n"
        "# HELP test_b Second family.\n"
        "# TYPE test_b gauge\n"
        "test_b{sink=\"one\"} 2\n"
        "test_b{sink=\"two\"} 4\n");
}

TEST_CASE("prometheus: declared families without samples keep HELP and TYPE", "[prometheus]") {
  MetricsExposition out;
  out.declare(kEmpty);
  out.declare(kA);
  out.declare(kEmpty);  // again: stays first
  out.add(kA, {}, 7);
  CHECK(out.text() ==
        "# HELP test_empty_total No samples.\n"
        "# TYPE test_empty_total counter\n"
        "# HELP test_a_total First family.\n"
        "# TYPE test_a_total counter\n"
        "test_a_total 7\n");
  CHECK(MetricsExposition().text().empty());
}

TEST_CASE("prometheus: a sample of an undeclared family declares it last", "[prometheus]") {
  MetricsExposition out;
  out.declare(kA);
  out.add(kB, {}, 1);
  out.add(kA, {}, 2);
  CHECK(out.text() ==
        "# HELP test_a_total First family.\n"
        "# TYPE test_a_total counter\n"
        "test_a_total 2\n"
        "# HELP test_b Second family.\n"
        "# TYPE test_b gauge\n"
        "test_b 1\n");
}

TEST_CASE("prometheus: label values and help texts are escaped", "[prometheus]") {
  constexpr MetricFamily f{"test_escape", MetricType::gauge, "Back\\slash, \"quote\",\nnewline."};
  MetricsExposition out;
  out.add(f, {{"name", "a\"b\\c\nd"}, {"other", "é"}}, 1);
  CHECK(out.text() ==
        "# HELP test_escape Back\\\\slash, \"quote\",\\nnewline.\n"
        "# TYPE test_escape gauge\n"
        "test_escape{name=\"a\\\"b\\\\c\\nd\",other=\"é\"} 1\n");
}

TEST_CASE("prometheus: numbers", "[prometheus]") {
  constexpr MetricFamily f{"test_n", MetricType::gauge, "Numbers."};
  MetricsExposition out;
  out.add(f, {{"v", "max"}}, std::numeric_limits<std::uint64_t>::max());
  out.add(f, {{"v", "int"}}, -1);  // as the uint64 it converts to
  out.add(f, {{"v", "bool"}}, true);
  out.add(f, {{"v", "zero"}}, 0.0);
  out.add(f, {{"v", "whole"}}, 3600.0);
  out.add(f, {{"v", "stamp"}}, 1714555800.25);
  out.add(f, {{"v", "small"}}, 0.0001);
  out.add(f, {{"v", "tiny"}}, 1e-7);
  out.add(f, {{"v", "huge"}}, 2e20);
  out.add(f, {{"v", "nan"}}, std::nan(""));
  out.add(f, {{"v", "inf"}}, INFINITY);
  out.add(f, {{"v", "-inf"}}, -INFINITY);
  CHECK(out.text() ==
        "# HELP test_n Numbers.\n"
        "# TYPE test_n gauge\n"
        "test_n{v=\"max\"} 18446744073709551615\n"
        "test_n{v=\"int\"} 18446744073709551615\n"
        "test_n{v=\"bool\"} 1\n"
        "test_n{v=\"zero\"} 0\n"
        "test_n{v=\"whole\"} 3600\n"
        "test_n{v=\"stamp\"} 1714555800.25\n"
        "test_n{v=\"small\"} 0.0001\n"
        "test_n{v=\"tiny\"} 1e-07\n"
        "test_n{v=\"huge\"} 2e+20\n"
        "test_n{v=\"nan\"} NaN\n"
        "test_n{v=\"inf\"} +Inf\n"
        "test_n{v=\"-inf\"} -Inf\n");
}

TEST_CASE("prometheus: a StatMetric table declares its rows and reads each instance",
          "[prometheus]") {
  Stats one;
  one.hits = 5;
  one.seconds = 0.5;
  one.status = 503;
  Stats two;
  two.hits = 6;
  MetricsExposition out;
  out.declare(kStats);
  out.add(kStats, {{"sink", "one"}}, one);
  out.add(kStats, {{"sink", "two"}}, two);
  out.add(kEmpty, {{"sink", "one"}, {"class", "2xx"}}, 9);  // a row without reader: by hand
  CHECK(out.text() ==
        "# HELP test_hits_total Hits.\n"
        "# TYPE test_hits_total counter\n"
        "test_hits_total{sink=\"one\"} 5\n"
        "test_hits_total{sink=\"two\"} 6\n"
        "# HELP test_empty_total No samples.\n"
        "# TYPE test_empty_total counter\n"
        "test_empty_total{sink=\"one\",class=\"2xx\"} 9\n"
        "# HELP test_seconds_total Seconds.\n"
        "# TYPE test_seconds_total counter\n"
        "test_seconds_total{sink=\"one\"} 0.5\n"
        "test_seconds_total{sink=\"two\"} 0\n"
        "# HELP test_status Status.\n"
        "# TYPE test_status gauge\n"
        "test_status{sink=\"one\"} 503\n"
        "test_status{sink=\"two\"} 0\n");
}

TEST_CASE("prometheus: a histogram has buckets up to +Inf, a sum and a count", "[prometheus]") {
  constexpr MetricFamily f{"test_latency_seconds", MetricType::histogram, "Latency."};
  const double bounds[] = {0.0025, 1};
  const std::uint64_t cumulative[] = {1, 3, 4};
  MetricsExposition out;
  out.add_histogram(f, bounds, cumulative, 12.5, 4);
  CHECK(out.text() ==
        "# HELP test_latency_seconds Latency.\n"
        "# TYPE test_latency_seconds histogram\n"
        "test_latency_seconds_bucket{le=\"0.0025\"} 1\n"
        "test_latency_seconds_bucket{le=\"1\"} 3\n"
        "test_latency_seconds_bucket{le=\"+Inf\"} 4\n"
        "test_latency_seconds_sum 12.5\n"
        "test_latency_seconds_count 4\n");
}

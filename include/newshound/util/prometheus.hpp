// Util: the Prometheus text exposition format 0.0.4. MetricsExposition collects
// declared metric families and their samples from any number of components and
// renders them grouped by family, in declaration order; StatMetric rows let a
// component declare a family and how to read it from its stats struct in one line.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace newshound {

/// Content-Type of MetricsExposition::text().
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { counter, gauge, histogram };

/// One metric family: the `# HELP` and `# TYPE` lines its samples go under.
/// The strings are not copied: use literals (static tables).
struct MetricFamily {
  std::string_view name;
  MetricType type = MetricType::counter;
  std::string_view help;
};

/// One label: (name, value). The value is escaped when written.
using MetricLabel = std::pair<std::string_view, std::string_view>;

/// A sample's value: integers are written as integers, doubles in their shortest
/// round-trip form (plain decimals for the usual magnitudes, NaN, +Inf, -Inf).
struct MetricValue {
  // Implicit: a row reads a number, a caller passes a number.
  template <std::integral T>
  MetricValue(T v) : integer(static_cast<std::uint64_t>(v)) {}  // NOLINT(*-explicit-*)
  MetricValue(double v) : real(v), is_real(true) {}             // NOLINT(*-explicit-*)
  std::uint64_t integer = 0;
  double real = 0;
  bool is_real = false;
};

/// Reads one number of a stats struct; atomics are read relaxed.
template <class T>
MetricValue metric_value(const T& v) {
  return MetricValue(v);
}
template <class T>
MetricValue metric_value(const std::atomic<T>& v) {
  return MetricValue(v.load(std::memory_order_relaxed));
}

namespace detail {
template <class M>
struct member_class;
template <class S, class T>
struct member_class<T S::*> {
  using type = S;
};
}  // namespace detail

/// `stat<&S::member>`: a reader of one member of S, for a StatMetric row.
template <auto Member>
MetricValue stat(const typename detail::member_class<decltype(Member)>::type& s) {
  return metric_value(s.*Member);
}

/// A family whose samples are one number of a stats struct `S`, one sample per
/// component instance: a row of a component's static table, e.g.
///   {"newshound_input_bytes_total", counter, "Bytes received.", stat<&InputStats::bytes>}
/// `read` null: the row only declares the family; the component adds its
/// samples by hand (labelled series, histograms).
template <class S>
struct StatMetric : MetricFamily {
  MetricValue (*read)(const S&) = nullptr;
};

/// Families and samples of one scrape. Components declare their families (so
/// every family shows HELP and TYPE even without samples) and then add samples in
/// any order; text() writes each family's samples together under its one HELP/TYPE
/// pair, families in declaration order, samples in the order they were added.
/// Deterministic. Not thread-safe: fill and render on one thread. Never throws
/// except std::bad_alloc.
class MetricsExposition {
 public:
  /// Declares `f` after the families declared so far; a name already declared is
  /// left as it is (first declaration wins).
  void declare(const MetricFamily& f);
  /// Declares every row of `table`, in table order.
  template <class S, std::size_t N>
  void declare(const StatMetric<S> (&table)[N]) {
    for (const StatMetric<S>& row : table) declare(row);
  }

  /// Adds one sample of family `f`, named f.name. A family not declared yet is
  /// declared now, after the others.
  void add(const MetricFamily& f, std::initializer_list<MetricLabel> labels, MetricValue v);
  /// Adds the samples of every row of `table` that has a reader, read from `stats`
  /// and labelled with `labels` (e.g. {{"sink", name}}).
  template <class S, std::size_t N>
  void add(const StatMetric<S> (&table)[N], std::initializer_list<MetricLabel> labels,
           const S& stats) {
    for (const StatMetric<S>& row : table)
      if (row.read) add(row, labels, row.read(stats));
  }
  /// Adds histogram `f`'s samples: `f.name`_bucket{le="bound"} for each of
  /// `bounds` (ascending) with `cumulative[i]`, then le="+Inf" with
  /// `cumulative[bounds.size()]` (so cumulative has one more entry), _sum and _count.
  void add_histogram(const MetricFamily& f, std::span<const double> bounds,
                     std::span<const std::uint64_t> cumulative, double sum, std::uint64_t count);

  /// The exposition: every declared family with its samples. Ends in a newline
  /// when anything was declared.
  std::string text() const;

 private:
  struct Entry {
    MetricFamily family;
    std::string samples;  // rendered sample lines
  };
  Entry& entry(const MetricFamily& f);
  void add_line(Entry& e, std::string_view suffix, std::initializer_list<MetricLabel> labels,
                MetricValue v);

  std::vector<Entry> families_;
  std::unordered_map<std::string_view, std::size_t> index_;  // name -> families_
};

}  // namespace newshound

// Util: MetricsExposition (see prometheus.hpp): the text format 0.0.4 writer,
// with its escaping (HELP: backslash and newline; label values: also quotes) and
// number formatting.
#include "newshound/util/prometheus.hpp"

#include <charconv>
#include <cmath>

namespace newshound {
namespace {

std::string_view type_name(MetricType t) {
  switch (t) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

/// Appends `text` with backslash and newline escaped, and `"` too if `quote`.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // Shortest round-trip digits; plain decimals for the usual magnitudes
    // (timestamps, bucket bounds), exponents only for the extremes.
    const double a = std::fabs(v);
    const auto format =
        a == 0 || (a >= 1e-5 && a < 1e16) ? std::chars_format::fixed : std::chars_format::general;
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, format);
    out.append(buf, r.ptr);
  }
}

void append_value(std::string& out, MetricValue v) {
  if (v.is_real) return append_double(out, v.real);
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v.integer);
  out.append(buf, r.ptr);
}

}  // namespace

void MetricsExposition::declare(const MetricFamily& f) {
  entry(f);
}

MetricsExposition::Entry& MetricsExposition::entry(const MetricFamily& f) {
  const auto [it, fresh] = index_.try_emplace(f.name, families_.size());
  if (fresh) families_.push_back({f, {}});
  return families_[it->second];
}

void MetricsExposition::add(const MetricFamily& f, std::initializer_list<MetricLabel> labels,
                            MetricValue v) {
  add_line(entry(f), "", labels, v);
}

void MetricsExposition::add_histogram(const MetricFamily& f, std::span<const double> bounds,
                                      std::span<const std::uint64_t> cumulative, double sum,
                                      std::uint64_t count) {
  Entry& e = entry(f);
  std::string le;
  for (std::size_t i = 0; i < bounds.size() && i < cumulative.size(); ++i) {
    le.clear();
    append_double(le, bounds[i]);
    add_line(e, "_bucket", {{"le", le}}, cumulative[i]);
  }
  if (bounds.size() < cumulative.size())
    add_line(e, "_bucket", {{"le", "+Inf"}}, cumulative[bounds.size()]);
  add_line(e, "_sum", {}, sum);
  add_line(e, "_count", {}, count);
}

void MetricsExposition::add_line(Entry& e, std::string_view suffix,
                                 std::initializer_list<MetricLabel> labels, MetricValue v) {
  std::string& out = e.samples;
  out += e.family.name;
  out += suffix;
  if (labels.size() != 0) {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : labels) {
      if (!first) out += ',';
      first = false;
      out += key;
      out += "=\"";
      append_escaped(out, value, true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  append_value(out, v);
  out += '\n';
}

std::string MetricsExposition::text() const {
  std::size_t size = 0;
  for (const Entry& e : families_) size += 2 * e.family.name.size() + e.family.help.size() + 32;
  for (const Entry& e : families_) size += e.samples.size();
  std::string out;
  out.reserve(size);
  for (const Entry& e : families_) {
    out += "# HELP ";
    out += e.family.name;
    out += ' ';
    append_escaped(out, e.family.help, false);
    out += "\n# TYPE ";
    out += e.family.name;
    out += ' ';
    out += type_name(e.family.type);
    out += '\n';
    out += e.samples;
  }
  return out;
}

}  // namespace newshound

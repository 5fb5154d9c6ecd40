// Daemon tests: render_prometheus on a filled view, parsed back with a small
// parser of the text format 0.0.4 (HELP/TYPE per family, `name{labels} value`
// samples, escaping, cumulative histogram buckets ending in +Inf == count).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "newshound/daemon/daemon.hpp"
#include "newshound/daemon/metrics.hpp"
#include "newshound/decode/decoder.hpp"
#include "newshound/dispatch/pipeline_metrics.hpp"
#include "newshound/match/watchlist.hpp"
#include "newshound/sink/sink_metrics.hpp"
#include "newshound/source/input_metrics.hpp"

using newshound::MetricsExposition;
using namespace std::chrono_literals;

namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Family {
  std::string type, help;
};

struct Parsed {
  std::map<std::string, Family> families;
  std::vector<Sample> samples;
  std::vector<std::string> problems;

  // The value of the one sample with this name and these labels; NaN if absent.
  double value(const std::string& name,
               const std::map<std::string, std::string>& labels = {}) const {
    for (const Sample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nan("");
  }
  std::size_t count(const std::string& name) const {
    std::size_t n = 0;
    for (const Sample& s : samples) n += s.name == name;
    return n;
  }
};

bool is_name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// The family a sample belongs to: histogram samples carry a suffix.
std::string family_of(const std::string& name, const std::map<std::string, Family>& fams) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = fams.find(base);
      if (it != fams.end() && it->second.type == "histogram") return base;
    }
  }
  return name;
}

Parsed parse(const std::string& text) {
  Parsed p;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string rest = line.substr(7);
      const auto sp = rest.find(' ');
      if (sp == std::string::npos) {
        p.problems.push_back("no text: " + line);
        continue;
      }
      Family& f = p.families[rest.substr(0, sp)];
      (line[2] == 'H' ? f.help : f.type) = rest.substr(sp + 1);
      continue;
    }
    if (line[0] == '#') continue;
    Sample s;
    std::size_t i = 0;
    while (i < line.size() && is_name_char(line[i], i == 0)) s.name += line[i++];
    if (s.name.empty()) p.problems.push_back("bad name: " + line);
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::string key, value;
        while (i < line.size() && is_name_char(line[i], key.empty())) key += line[i++];
        if (line.compare(i, 2, "=\"") != 0) {
          p.problems.push_back("bad label: " + line);
          break;
        }
        i += 2;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            const char e = line[++i];
            value += e == 'n' ? '\n' : e;  // \\ \" \n
            if (e != 'n' && e != '\\' && e != '"') p.problems.push_back("bad escape: " + line);
          } else {
            value += line[i];
          }
          ++i;
        }
        ++i;  // closing quote
        s.labels[key] = value;
        if (i < line.size() && line[i] == ',') ++i;
      }
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') {
      p.problems.push_back("no value: " + line);
      continue;
    }
    const std::string v = line.substr(i + 1);
    char* end = nullptr;
    s.value = v == "+Inf" ? INFINITY : std::strtod(v.c_str(), &end);
    if (v != "+Inf" && (end == v.c_str() || *end != '\0'))
      p.problems.push_back("bad value: " + line);
    p.samples.push_back(std::move(s));
  }
  return p;
}

const std::string kVersionLabel = "2024-05-01T09:30:00Z#7";  // stands in for Rules::version()

// Rules with 2 entities and 3 aliases.
std::shared_ptr<const newshound::Rules> small_rules() {
  std::vector<newshound::WatchList> lists(1);
  lists[0].name = "people";
  lists[0].entities = {{"Sergei Lavrov", {"Sergei Lavrov", "Lavrov"}, 1, {}},
                       {"Olaf Scholz", {"Olaf Scholz"}, 2, {}}};
  newshound::Diagnostics diags;
  auto rules = newshound::Rules::compile(lists, diags);
  REQUIRE(rules);
  return rules;
}

// What every component of a running daemon reports, from filled stats.
std::string filled_text() {
  MetricsExposition out;
  newshound::declare_metric_families(out);
  newshound::TcpInputStats a;
  a.bytes = 1'234'567;
  a.lines = 4321;
  a.connections = 3;
  a.active = 1;
  a.refused = 2;
  a.connect_failures = 0;
  a.oversize = 5;
  newshound::report_input_metrics(out, "wire-main", a);
  newshound::TcpInputStats b;
  b.bytes = 99;
  // every character that needs escaping
  newshound::report_input_metrics(out, "desk \"Édouard\"\\backup\nfeed", b);
  newshound::PipelineStats ps;
  ps.lines = 5000;
  ps.articles = 4900;
  ps.alerts = 37;
  ps.matches = 52;
  ps.engine_errors = 1;
  ps.alerts_rejected = 4;
  ps.bad_lines[static_cast<std::size_t>(newshound::DecodeError::not_json)] = 60;
  ps.bad_lines[static_cast<std::size_t>(newshound::DecodeError::too_large)] = 5;
  ps.alert_latency.observe(80us);
  ps.alert_latency.observe(2ms);
  ps.alert_latency.observe(2ms);
  ps.alert_latency.observe(700ms);
  ps.alert_latency.observe(12s);
  newshound::report_pipeline_metrics(out, ps);
  const std::map<std::string, newshound::ListCounts> lists = {{"people", {30, 41}},
                                                              {"organisations", {7, 11}}};
  newshound::report_dispatch_metrics(out, lists, {}, 2, 0);
  newshound::SinkStats st;
  st.accepted = 37;
  st.sent = 33;
  st.failed = 2;
  st.queued = 4;
  st.queued_bytes = 2048;
  st.unacked = 17;
  st.ack_errors = 2;
  newshound::report_sink_stats(out, "tcp:127.0.0.1:7302", st);
  newshound::WebhookStats ws;
  ws.requests = 12;
  ws.retries = 3;
  ws.dead_lettered = 2;
  ws.connections = 1;
  ws.last_status = 503;
  ws.responses = {0, 7, 0, 2, 3};
  newshound::report_webhook_stats(out, "hook", ws);
  newshound::SpoolStats sp;
  sp.records = 9;
  sp.write_errors = 1;
  newshound::SpoolSyncStats sync;
  sync.pending = 4;
  sync.syncs = 6;
  sync.seconds = 0.75;
  sync.last_seconds = 0.125;
  newshound::report_spool_stats(out, "hook", true, sp, sync);
  newshound::ReloadStats rs;
  rs.reloads = 3;
  rs.failures = 1;
  rs.rules_loaded_at = std::chrono::system_clock::time_point(1714555800500ms);
  const auto rules = small_rules();
  newshound::report_daemon_metrics(out, rs, *rules, std::chrono::milliseconds(3600500));
  std::string text = out.text();
  // The version is a content hash: give it the fixed one the checks below expect.
  const std::string label = "{version=\"" + rules->version() + "\"}";
  text.replace(text.find(label), label.size(), "{version=\"" + kVersionLabel + "\"}");
  return text;
}

}  // namespace

TEST_CASE("every sample parses and belongs to a family with HELP and TYPE", "[metrics]") {
  const std::string text = filled_text();
  REQUIRE(text.ends_with("\n"));
  const Parsed p = parse(text);
  for (const auto& problem : p.problems) UNSCOPED_INFO(problem);
  CHECK(p.problems.empty());
  REQUIRE_FALSE(p.samples.empty());
  for (const Sample& s : p.samples) {
    INFO(s.name);
    CHECK(s.name.starts_with("newshound_"));
    const std::string fam = family_of(s.name, p.families);
    REQUIRE(p.families.count(fam) == 1);
    CHECK_FALSE(p.families.at(fam).help.empty());
    CHECK_FALSE(p.families.at(fam).type.empty());
  }
  for (const auto& [name, f] : p.families) {
    INFO(name);
    CHECK(std::set<std::string>{"counter", "gauge", "histogram"}.count(f.type) == 1);
    CHECK(name.ends_with("_total") == (f.type == "counter"));
    CHECK(text.find("# HELP " + name + " ") < text.find("# TYPE " + name + " "));
  }
}

TEST_CASE("values and labels survive the round trip", "[metrics]") {
  const std::string text = filled_text();
  CHECK(text.find("\nnewshound_rules_loaded_timestamp_seconds 1714555800.5\n") !=
        std::string::npos);  // no exponent
  CHECK(text.find("{input=\"desk \\\"Édouard\\\"\\\\backup\\nfeed\"}") != std::string::npos);
  const Parsed p = parse(text);
  CHECK(p.value("newshound_input_bytes_total", {{"input", "wire-main"}}) == 1234567);
  CHECK(p.value("newshound_input_active_connections", {{"input", "wire-main"}}) == 1);
  CHECK(p.value("newshound_input_oversize_lines_total", {{"input", "wire-main"}}) == 5);
  CHECK(p.value("newshound_input_bytes_total", {{"input", "desk \"Édouard\"\\backup\nfeed"}}) ==
        99);
  CHECK(p.value("newshound_articles_total") == 4900);
  CHECK(p.value("newshound_bad_lines_total", {{"reason", "not_json"}}) == 60);
  CHECK(p.value("newshound_bad_lines_total", {{"reason", "too_large"}}) == 5);
  CHECK(p.value("newshound_bad_lines_total", {{"reason", "no_text"}}) == 0);
  CHECK(p.count("newshound_bad_lines_total") == newshound::decode_error_count - 1);  // not "ok"
  CHECK(std::isnan(p.value("newshound_bad_lines_total", {{"reason", "ok"}})));
  CHECK(p.value("newshound_watchlist_alerts_total", {{"list", "people"}}) == 30);
  CHECK(p.value("newshound_watchlist_matches_total", {{"list", "organisations"}}) == 11);
  CHECK(p.value("newshound_alerts_total") == 37);
  CHECK(p.value("newshound_in_flight_batches") == 2);
  CHECK(p.value("newshound_sink_sent_total", {{"sink", "tcp:127.0.0.1:7302"}}) == 33);
  CHECK(p.value("newshound_sink_queued_bytes", {{"sink", "tcp:127.0.0.1:7302"}}) == 2048);
  CHECK(p.value("newshound_sink_unacked_alerts", {{"sink", "tcp:127.0.0.1:7302"}}) == 17);
  CHECK(p.value("newshound_sink_ack_errors_total", {{"sink", "tcp:127.0.0.1:7302"}}) == 2);
  CHECK(p.value("newshound_webhook_retries_total", {{"sink", "hook"}}) == 3);
  CHECK(p.value("newshound_webhook_dead_lettered_total", {{"sink", "hook"}}) == 2);
  CHECK(p.value("newshound_webhook_requests_total", {{"sink", "hook"}}) == 12);
  CHECK(p.value("newshound_webhook_responses_total", {{"sink", "hook"}, {"class", "2xx"}}) == 7);
  CHECK(p.value("newshound_webhook_responses_total", {{"sink", "hook"}, {"class", "5xx"}}) == 3);
  CHECK(p.count("newshound_webhook_responses_total") == 5);
  CHECK(p.value("newshound_webhook_last_status", {{"sink", "hook"}}) == 503);
  CHECK(p.value("newshound_spool_open", {{"sink", "hook"}}) == 1);
  CHECK(p.value("newshound_spool_records", {{"sink", "hook"}}) == 9);
  CHECK(p.value("newshound_spool_write_errors_total", {{"sink", "hook"}}) == 1);
  CHECK(p.value("newshound_spool_unsynced_alerts", {{"sink", "hook"}}) == 4);
  CHECK(p.value("newshound_spool_syncs_total", {{"sink", "hook"}}) == 6);
  CHECK(p.value("newshound_spool_sync_seconds_total", {{"sink", "hook"}}) == 0.75);
  CHECK(p.value("newshound_spool_last_sync_seconds", {{"sink", "hook"}}) == 0.125);
  CHECK(p.value("newshound_reload_failures_total") == 1);
  CHECK(p.value("newshound_rules_info", {{"version", kVersionLabel}}) == 1);
  CHECK(p.value("newshound_rules_loaded_timestamp_seconds") == 1714555800.5);
  CHECK(p.value("newshound_rules_entities") == 2);
  CHECK(p.value("newshound_rules_aliases") == 3);
  CHECK(p.value("newshound_uptime_seconds") == 3600.5);
}

TEST_CASE("the latency histogram is cumulative and ends in +Inf == count", "[metrics]") {
  const Parsed p = parse(filled_text());
  REQUIRE(p.families.at("newshound_alert_latency_seconds").type == "histogram");
  std::vector<std::pair<double, double>> buckets;  // (le, count) in output order
  for (const Sample& s : p.samples) {
    if (s.name != "newshound_alert_latency_seconds_bucket") continue;
    REQUIRE(s.labels.count("le") == 1);
    const std::string& le = s.labels.at("le");
    buckets.emplace_back(le == "+Inf" ? INFINITY : std::stod(le), s.value);
  }
  REQUIRE(buckets.size() == newshound::LatencyHistogram::kFinite + 1);
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    CHECK(buckets[i].first > buckets[i - 1].first);
    CHECK(buckets[i].second >= buckets[i - 1].second);
  }
  CHECK(std::isinf(buckets.back().first));
  CHECK(buckets.back().second == p.value("newshound_alert_latency_seconds_count"));
  CHECK(p.value("newshound_alert_latency_seconds_count") == 5);
  CHECK(p.value("newshound_alert_latency_seconds_bucket", {{"le", "0.0001"}}) == 1);
  CHECK(p.value("newshound_alert_latency_seconds_bucket", {{"le", "0.0025"}}) == 3);
  CHECK(p.value("newshound_alert_latency_seconds_bucket", {{"le", "10"}}) == 4);
  CHECK(p.value("newshound_alert_latency_seconds_sum") == Approx(12.70408));
}

TEST_CASE("an empty view still declares every family", "[metrics]") {
  MetricsExposition out;
  newshound::declare_metric_families(out);
  const Parsed declared = parse(out.text());
  CHECK(declared.problems.empty());
  CHECK(declared.samples.empty());
  for (const char* f : {"newshound_input_bytes_total", "newshound_lines_total",
                        "newshound_sink_sent_total", "newshound_webhook_responses_total",
                        "newshound_spool_open", "newshound_spool_last_sync_seconds",
                        "newshound_rules_info", "newshound_alert_latency_seconds",
                        "newshound_uptime_seconds", "newshound_tls_handshake_failures_total",
                        "newshound_tls_certificate_expiry_timestamp_seconds"})
    CHECK(declared.families.count(f) == 1);
  // A daemon with no input, no output and empty watch-lists.
  newshound::report_pipeline_metrics(out, newshound::PipelineStats{});
  newshound::report_dispatch_metrics(out, {}, {}, 0, 0);
  newshound::Diagnostics diags;
  const auto rules = newshound::Rules::compile({}, diags);
  REQUIRE(rules);
  newshound::report_daemon_metrics(out, newshound::ReloadStats{}, *rules, {});
  const Parsed p = parse(out.text());
  CHECK(p.problems.empty());
  CHECK(p.families.count("newshound_input_bytes_total") == 1);
  CHECK(p.count("newshound_input_bytes_total") == 0);
  CHECK(p.value("newshound_rules_info", {{"version", rules->version()}}) == 1);
  CHECK(p.value("newshound_alert_latency_seconds_bucket", {{"le", "+Inf"}}) == 0);
}

TEST_CASE("report_pipeline_metrics and report_input_metrics read the live counters", "[metrics]") {
  newshound::PipelineStats ps;
  ps.articles = 10;
  ps.alerts = 4;
  ps.bad_lines[static_cast<std::size_t>(newshound::DecodeError::invalid_utf8)] = 2;
  MetricsExposition out;
  newshound::report_pipeline_metrics(out, ps);
  newshound::TcpInputStats ts;
  ts.bytes = 77;
  ts.refused = 1;
  newshound::report_input_metrics(out, "wire", ts);
  const Parsed p = parse(out.text());
  CHECK(p.value("newshound_articles_total") == 10);
  CHECK(p.value("newshound_alerts_total") == 4);
  CHECK(p.value("newshound_bad_lines_total", {{"reason", "invalid_utf8"}}) == 2);
  CHECK(p.value("newshound_input_bytes_total", {{"input", "wire"}}) == 77);
  CHECK(p.value("newshound_input_refused_connections_total", {{"input", "wire"}}) == 1);
}

TEST_CASE("report_output_metrics finds the spool and the webhook inside a spooling sink",
          "[metrics]") {
  boost::asio::io_context io;
  const auto dir =
      std::filesystem::temp_directory_path() / ("newshound-metrics-" + std::to_string(::getpid()));
  newshound::SpoolingSinkOptions so;
  so.spool.dir = dir;  // never opened: the sink is not started
  newshound::SpoolingSink spooled(
      io, std::make_unique<newshound::WebhookSink>(io, "hook", newshound::WebhookSinkOptions{}),
      so);
  newshound::WebhookSink bare(io, "bare", {});
  MetricsExposition out;
  newshound::declare_metric_families(out);
  newshound::report_output_metrics(out, "spooled", spooled);
  newshound::report_output_metrics(out, "bare", bare);
  const std::string text = out.text();
  const Parsed p = parse(text);
  CHECK(p.problems.empty());
  REQUIRE(p.count("newshound_sink_accepted_total") == 2);
  REQUIRE(p.count("newshound_spool_open") == 1);
  CHECK(p.value("newshound_spool_open", {{"sink", "spooled"}}) == 0);
  REQUIRE(p.count("newshound_webhook_requests_total") == 2);
  CHECK(text.find("newshound_webhook_requests_total{sink=\"spooled\"}") <
        text.find("newshound_webhook_requests_total{sink=\"bare\"}"));
  CHECK(p.value("newshound_webhook_last_status", {{"sink", "bare"}}) == 0);
  CHECK(p.count("newshound_webhook_responses_total") == 10);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

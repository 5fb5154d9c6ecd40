// Tools: newshound-jspub, the JetStream side of tools/bench/jetstream_bench.sh
// (not part of the daemon): creates streams, publishes an NDJSON file as one
// message per line with async publish acks (each article's uri made unique per
// copy, so alert ids and Nats-Msg-Id de-duplication see distinct articles), and
// reads the streams back to report counts, the throughput span and the latency
// from an article's publish (its stream timestamp) to its alert's publish ack
// (the alert's stream timestamp). Exits 1 with a message on any NATS failure.
//
//   newshound-jspub create  URL STREAM SUBJECT      (deleted first if it exists)
//   newshound-jspub publish URL SUBJECT FILE [--copies N] [--rate R] [--tag T]
//   newshound-jspub count   URL STREAM
//   newshound-jspub pending URL STREAM DURABLE      ("<not delivered> <not acked>")
//   newshound-jspub report  URL ARTICLES ALERTS --tag T
#include <nats/nats.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what, natsStatus s) {
  std::fprintf(stderr, "newshound-jspub: %s: %s\n", what.c_str(), natsStatus_GetText(s));
  std::exit(1);
}

struct Conn {
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
  explicit Conn(const std::string& url) {
    natsOptions* o = nullptr;
    natsOptions_Create(&o);
    natsOptions_SetURL(o, url.c_str());
    natsOptions_SetTimeout(o, 5000);
    if (natsStatus s = natsConnection_Connect(&nc, o); s != NATS_OK) die("connect " + url, s);
    natsOptions_Destroy(o);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = 4096;  // the window of unacknowledged publishes
    jo.Wait = 30000;
    if (natsStatus s = natsConnection_JetStream(&js, nc, &jo); s != NATS_OK) die("jetstream", s);
  }
  ~Conn() {
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
  }
};

void create(Conn& c, const std::string& stream, const std::string& subject) {
  js_DeleteStream(c.js, stream.c_str(), nullptr, nullptr);
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = stream.c_str();
  const char* subjects[] = {subject.c_str()};
  cfg.Subjects = subjects;
  cfg.SubjectsLen = 1;
  cfg.Storage = js_FileStorage;
  cfg.Duplicates = std::chrono::nanoseconds(std::chrono::minutes(10)).count();
  jsStreamInfo* si = nullptr;
  if (natsStatus s = js_AddStream(&si, c.js, &cfg, nullptr, nullptr); s != NATS_OK)
    die("create stream " + stream, s);
  jsStreamInfo_Destroy(si);
}

/// `line` with its "uri" suffixed "#<tag><copy>" (unchanged if it is not an object).
std::string unique_article(const std::string& line, const std::string& tag, int copy) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return line;
  auto& o = v.as_object();
  const auto* uri = o.if_contains("uri");
  const std::string base = uri != nullptr && uri->is_string() ? std::string(uri->as_string()) : "";
  o["uri"] = base + "#" + tag + std::to_string(copy);
  return boost::json::serialize(v);
}

void publish(Conn& c, const std::string& subject, const std::string& file, int copies, double rate,
             const std::string& tag) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(std::move(l));
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t n = 0;
  for (int copy = 0; copy < copies; ++copy) {
    for (const auto& l : lines) {
      const std::string msg = unique_article(l, tag, copy);
      if (rate > 0) {  // paced: message n leaves at t0 + n / rate
        std::this_thread::sleep_until(t0 + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                               std::chrono::duration<double>(double(n) / rate)));
      }
      if (natsStatus s =
              js_PublishAsync(c.js, subject.c_str(), msg.data(), int(msg.size()), nullptr);
          s != NATS_OK)
        die("publish", s);
      ++n;
    }
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = 120000;
  if (natsStatus s = js_PublishAsyncComplete(c.js, &po); s != NATS_OK) die("publish acks", s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("published %llu messages in %.3f s (%.0f/s)\n", static_cast<unsigned long long>(n),
              secs, double(n) / secs);
}

/// Calls f(data, stream timestamp ns) for every message of `stream`.
template <class F>
void each_message(Conn& c, const std::string& stream, F&& f) {
  jsStreamInfo* si = nullptr;
  if (natsStatus s = js_GetStreamInfo(&si, c.js, stream.c_str(), nullptr, nullptr); s != NATS_OK)
    die("stream " + stream, s);
  const std::uint64_t n = si->State.Msgs;
  jsStreamInfo_Destroy(si);
  if (n == 0) return;
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream.c_str();
  so.Ordered = true;
  natsSubscription* sub = nullptr;
  if (natsStatus s = js_SubscribeSync(&sub, c.js, ">", nullptr, &so, nullptr); s != NATS_OK)
    die("read " + stream, s);
  for (std::uint64_t i = 0; i < n; ++i) {
    natsMsg* m = nullptr;
    if (natsStatus s = natsSubscription_NextMsg(&m, sub, 10000); s != NATS_OK)
      die("read " + stream, s);
    jsMsgMetaData* meta = nullptr;
    std::int64_t at = 0;
    if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
      at = meta->Timestamp;
      jsMsgMetaData_Destroy(meta);
    }
    f(std::string_view(natsMsg_GetData(m), std::size_t(natsMsg_GetDataLength(m))), at);
    natsMsg_Destroy(m);
  }
  natsSubscription_Destroy(sub);
}

/// Nanoseconds since the epoch of an RFC 3339 UTC stamp ("2026-12-07T11:55:00.123Z").
std::int64_t rfc3339_ns(std::string_view t) {
  std::tm tm{};
  double sec = 0;
  const std::string s(t);
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%lf", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &sec) != 6)
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::int64_t(timegm(&tm)) * 1000000000 + std::int64_t(sec * 1e9);
}

/// The alerts of articles tagged `tag`: count, span (first article received by a
/// daemon to the last alert stored) and publish-to-alert-ack latency percentiles.
void report(Conn& c, const std::string& articles, const std::string& alerts,
            const std::string& tag) {
  const std::string mark = "#" + tag;
  std::unordered_map<std::string, std::int64_t> published;
  each_message(c, articles, [&](std::string_view data, std::int64_t at) {
    boost::system::error_code ec;
    auto v = boost::json::parse(data, ec);
    if (ec || !v.is_object()) return;
    const auto* uri = v.as_object().if_contains("uri");
    if (uri != nullptr && uri->is_string() &&
        std::string_view(uri->as_string()).find(mark) != std::string_view::npos)
      published[std::string(uri->as_string())] = at;
  });
  std::vector<double> ms;
  std::int64_t first = 0, last = 0;
  each_message(c, alerts, [&](std::string_view data, std::int64_t at) {
    boost::system::error_code ec;
    auto v = boost::json::parse(data, ec);
    if (ec || !v.is_object()) return;
    const auto& o = v.as_object();
    const auto* id = o.if_contains("article");
    if (id == nullptr || !id->is_string()) return;
    const auto it = published.find(std::string(id->as_string()));
    if (it == published.end()) return;
    ms.push_back(double(at - it->second) / 1e6);
    if (const auto* r = o.if_contains("received_at"); r != nullptr && r->is_string()) {
      const std::int64_t got = rfc3339_ns(r->as_string());
      if (first == 0 || got < first) first = got;
    }
    last = std::max(last, at);
  });
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, std::size_t(p * double(ms.size())))];
  };
  std::printf("alerts %zu span_s %.3f p50_ms %.1f p99_ms %.1f p999_ms %.1f\n", ms.size(),
              first > 0 && last > first ? double(last - first) / 1e9 : 0.0, pct(0.5), pct(0.99),
              pct(0.999));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"JetStream publisher and reader for tools/bench/jetstream_bench.sh"};
  app.require_subcommand(1);
  std::string url, stream, subject, file, durable, alerts, tag = "c";
  int copies = 1;
  double rate = 0;
  auto* c_create = app.add_subcommand("create", "create a stream (deleting it first)");
  c_create->add_option("url", url)->required();
  c_create->add_option("stream", stream)->required();
  c_create->add_option("subject", subject)->required();
  auto* c_pub = app.add_subcommand("publish", "publish FILE's lines, uris made unique");
  c_pub->add_option("url", url)->required();
  c_pub->add_option("subject", subject)->required();
  c_pub->add_option("file", file)->required();
  c_pub->add_option("--copies", copies, "copies of the file");
  c_pub->add_option("--rate", rate, "messages per second (0: as fast as acks allow)");
  c_pub->add_option("--tag", tag, "uri suffix: #<tag><copy>");
  auto* c_count = app.add_subcommand("count", "messages in a stream");
  c_count->add_option("url", url)->required();
  c_count->add_option("stream", stream)->required();
  auto* c_pending = app.add_subcommand("pending", "a consumer's backlog");
  c_pending->add_option("url", url)->required();
  c_pending->add_option("stream", stream)->required();
  c_pending->add_option("durable", durable)->required();
  auto* c_report = app.add_subcommand("report", "alerts, span and latency of a tag");
  c_report->add_option("url", url)->required();
  c_report->add_option("articles", stream)->required();
  c_report->add_option("alerts", alerts)->required();
  c_report->add_option("--tag", tag)->required();
  CLI11_PARSE(app, argc, argv);
  Conn c(url);
  if (*c_create) create(c, stream, subject);
  if (*c_pub) publish(c, subject, file, copies, rate, tag);
  if (*c_count) {
    jsStreamInfo* si = nullptr;
    const natsStatus s = js_GetStreamInfo(&si, c.js, stream.c_str(), nullptr, nullptr);
    std::printf("%llu\n", static_cast<unsigned long long>(s == NATS_OK ? si->State.Msgs : 0));
    jsStreamInfo_Destroy(si);
  }
  if (*c_pending) {
    jsConsumerInfo* ci = nullptr;
    if (js_GetConsumerInfo(&ci, c.js, stream.c_str(), durable.c_str(), nullptr, nullptr) ==
        NATS_OK) {
      std::printf("%llu %lld\n", static_cast<unsigned long long>(ci->NumPending),
                  static_cast<long long>(ci->NumAckPending));
      jsConsumerInfo_Destroy(ci);
    } else {
      std::printf("-1 -1\n");
    }
  }
  if (*c_report) report(c, stream, alerts, tag);
  return 0;
}

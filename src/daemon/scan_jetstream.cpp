// Daemon: `newshound scan --jetstream` (see scan_jetstream.hpp): the time
// arguments, and the reader over an ordered ephemeral consumer. The end is the
// stream's last sequence when the reader opened; messages published later are
// not waited for.
#include "scan_jetstream.hpp"

#include <nats/nats.h>

#include <cctype>
#include <cstring>
#include <ctime>
#include <iomanip>
#include <sstream>

#include "newshound/nats/connection.hpp"

namespace newshound {

std::optional<std::chrono::system_clock::time_point> parse_scan_time(
    std::string_view text, std::chrono::system_clock::time_point now) {
  if (text.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(text.back())) == 0 && text.find('-') == text.npos) {
    std::uint64_t n = 0;
    std::size_t i = 0;
    for (; i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
      n = n * 10 + std::uint64_t(text[i] - '0');
    if (i == 0 || i + 1 != text.size() || n > 100u * 365 * 86400) return std::nullopt;
    const std::uint64_t unit = text.back() == 's'   ? 1
                               : text.back() == 'm' ? 60
                               : text.back() == 'h' ? 3600
                               : text.back() == 'd' ? 86400
                                                    : 0;
    if (unit == 0) return std::nullopt;
    return now - std::chrono::seconds(n * unit);
  }
  std::tm tm{};
  std::istringstream in{std::string(text)};
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  std::string rest;
  in >> rest;
  if (rest != "Z") return std::nullopt;  // UTC only: no offsets, no fractions
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

struct JetStreamScanReader::State {
  std::unique_ptr<nats::Connection> conn;
  natsSubscription* sub = nullptr;
  std::uint64_t last = 0;  ///< the stream's last sequence at open
  std::int64_t until_ns = 0;
  bool done = false;
  std::string pending;  ///< bytes of a message not yet handed out
  std::size_t pending_at = 0;
  ~State() {
    if (sub == nullptr) return;
    natsSubscription_Unsubscribe(sub);  // deletes the ephemeral consumer
    natsSubscription_Destroy(sub);
  }
};

JetStreamScanReader::JetStreamScanReader() : st_(std::make_unique<State>()) {}
JetStreamScanReader::~JetStreamScanReader() = default;

std::string JetStreamScanReader::open(const ScanJetStreamOptions& o) {
  const auto now = std::chrono::system_clock::now();
  std::optional<std::chrono::system_clock::time_point> since, until;
  if (!o.since.empty() && !(since = parse_scan_time(o.since, now)))
    return "--since '" + o.since +
           "' is neither a time like 2026-12-06T09:00:00Z nor a "
           "duration like 24h";
  if (!o.until.empty() && !(until = parse_scan_time(o.until, now)))
    return "--until '" + o.until +
           "' is neither a time like 2026-12-06T18:00:00Z nor a "
           "duration like 1h";
  if (until) st_->until_ns = std::chrono::nanoseconds(until->time_since_epoch()).count();
  nats::ConnectOptions co;
  co.url = o.url;
  std::string error;
  st_->conn = nats::Connection::open(co, nullptr, false, error);
  if (!st_->conn) return error;
  jsStreamInfo* si = nullptr;
  if (js_GetStreamInfo(&si, st_->conn->js(), o.stream.c_str(), nullptr, nullptr) != NATS_OK)
    return "no stream '" + o.stream + "' on " + o.url + ": " + nats::status_text(NATS_NOT_FOUND);
  st_->last = si->State.LastSeq;
  const bool empty = si->State.Msgs == 0;
  jsStreamInfo_Destroy(si);
  if (empty) {
    st_->done = true;
    return {};
  }
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = o.stream.c_str();
  so.Ordered = true;
  if (since) {
    so.Config.DeliverPolicy = js_DeliverByStartTime;
    so.Config.OptStartTime = std::chrono::nanoseconds(since->time_since_epoch()).count();
  }
  const std::string subject = o.subject.empty() ? std::string(">") : o.subject;
  jsErrCode ec = jsErrCode(0);
  if (js_SubscribeSync(&st_->sub, st_->conn->js(), subject.c_str(), nullptr, &so, &ec) != NATS_OK)
    return "cannot read stream '" + o.stream + "': " + nats::status_text(NATS_ERR);
  jsConsumerInfo* ci = nullptr;
  if (natsSubscription_GetConsumerInfo(&ci, st_->sub, nullptr, nullptr) == NATS_OK) {
    st_->done = ci->NumPending == 0 && ci->Delivered.Consumer == 0;  // nothing from `since` on
    jsConsumerInfo_Destroy(ci);
  }
  return {};
}

long JetStreamScanReader::read(char* buf, std::size_t n) {
  State& s = *st_;
  std::size_t out = 0;
  while (out < n) {
    if (s.pending_at < s.pending.size()) {
      const std::size_t k = std::min(n - out, s.pending.size() - s.pending_at);
      std::memcpy(buf + out, s.pending.data() + s.pending_at, k);
      out += k;
      s.pending_at += k;
      continue;
    }
    if (s.done || out > 0) break;  // hand out what we have before blocking again
    natsMsg* m = nullptr;
    const natsStatus st = natsSubscription_NextMsg(&m, s.sub, 10000);
    if (st == NATS_TIMEOUT) {  // nothing more was delivered: the filter matched no later message
      s.done = true;
      break;
    }
    if (st != NATS_OK) {
      error_ = "reading the stream failed: " + nats::status_text(st);
      return -1;
    }
    jsMsgMetaData* meta = nullptr;
    std::uint64_t seq = 0, left = 1;
    std::int64_t at = 0;
    if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
      seq = meta->Sequence.Stream;
      left = meta->NumPending;
      at = meta->Timestamp;
      jsMsgMetaData_Destroy(meta);
    }
    if (seq > s.last || (s.until_ns != 0 && at > s.until_ns)) {
      s.done = true;
    } else {
      s.pending.assign(natsMsg_GetData(m), std::size_t(natsMsg_GetDataLength(m)));
      while (!s.pending.empty() && s.pending.back() == '\n') s.pending.pop_back();
      s.pending += '\n';
      s.pending_at = 0;
      if (left == 0 || seq >= s.last) s.done = true;
    }
    natsMsg_Destroy(m);
  }
  return long(out);
}

}  // namespace newshound

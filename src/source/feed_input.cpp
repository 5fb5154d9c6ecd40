// Stage: source. FeedInput (feed_input.hpp): one polling loop per host, so a
// host gets one request at a time; each poll follows at most 5 redirects
// (remembering permanent ones), honours 304, Retry-After and 429/503, parses the
// document (feed_parse.cpp) and hands the items not seen yet to the consumer as
// one acknowledged batch; a settled line marks its item seen (SeenSet). https
// feeds share one client TLS context (net::TlsEdge "input/<name>"); a redirect
// from https to http is refused.
#include "newshound/source/feed_input.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "newshound/net/tls_edge.hpp"
#include "newshound/source/http_fetch.hpp"
#include "newshound/source/seen_set.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int kMaxRedirects = 5;
constexpr std::size_t kMaxOpmlBytes = 16 << 20;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct FeedInput::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, FeedInputOptions o, LineConsumer& c)
      : io(io), opt(std::move(o)), consumer(c), rng(std::random_device{}()) {}

  struct Feed {
    HttpUrl current;  ///< after permanent redirects
    std::string etag, last_modified;
    FeedHealth health;
    SteadyClock::time_point next_due{};
  };
  struct Lane {
    explicit Lane(asio::io_context& io) : timer(io) {}
    std::vector<std::size_t> feeds;
    asio::steady_timer timer;
    bool batch_in_flight = false;
  };
  /// The reply channel of one batch: line k settles keys[k].
  struct Acks final : LineAcks {
    std::weak_ptr<Impl> impl;
    std::uint64_t stream = 0;
    std::vector<std::pair<std::string, std::string>> keys;  ///< (key, version) per line
    std::size_t next = 0;
    void settled(std::optional<std::string_view>) override {
      auto i = impl.lock();
      if (!i || next >= keys.size()) return;
      const auto& [key, version] = keys[next++];
      i->in_flight.erase(key + '\0' + version);
      i->seen.add(key, version, std::chrono::system_clock::now());
      i->schedule_flush();
      // Not from inside the ledger's walk over this stream: posted.
      if (next == keys.size())
        asio::post(i->io, [weak = impl, s = stream] {
          if (auto i2 = weak.lock()) i2->consumer.end_stream(s);
        });
    }
  };

  asio::io_context& io;
  FeedInputOptions opt;
  LineConsumer& consumer;
  std::vector<Feed> feeds;
  std::vector<std::unique_ptr<Lane>> lanes;
  SeenSet seen;
  std::set<std::string> in_flight;  ///< key '\0' version of lines handed on, not settled
  FeedInputStats stats;
  std::mt19937_64 rng;
  bool stopping = false, flush_posted = false;
  /// The client TLS context of every https request (made at bind when a feed is
  /// https, else at the first https redirect), reloaded by SIGHUP.
  std::shared_ptr<net::TlsEdge> tls;

  /// The TLS edge, made now if need be: "" or why it cannot be.
  std::string ensure_tls() {
    if (tls) return {};
    net::TlsOptions o = opt.tls;
    o.enabled = true;
    std::string error;
    tls = net::TlsEdge::make("input/" + opt.name, std::move(o), net::TlsRole::client, error);
    return tls ? std::string() : "TLS: " + error;
  }
  /// The request of one hop to `url`, with the TLS context when it is https.
  FetchRequest request(const HttpUrl& url, std::string& tls_error) {
    FetchRequest req;
    req.url = url;
    req.headers = opt.headers;
    req.timeout = opt.timeout;
    req.max_bytes = opt.max_bytes;
    if (url.scheme == "https") {
      tls_error = ensure_tls();
      if (tls) {
        req.tls_context = tls->context();
        req.tls = tls->options();
      }
    }
    return req;
  }

  std::string add_feed(const std::string& text) {
    std::string why;
    auto url = parse_http_url(text, why);
    if (!url) return "feed " + text + ": " + why;
    Feed f;
    f.current = *url;
    f.health.url = text;
    feeds.push_back(std::move(f));
    return {};
  }
  void plan_lanes() {
    std::map<std::string, std::size_t> by_host;
    for (std::size_t i = 0; i < feeds.size(); ++i) {
      const std::string host = feeds[i].current.host + ":" + std::to_string(feeds[i].current.port);
      auto [it, fresh] = by_host.emplace(host, lanes.size());
      if (fresh) lanes.push_back(std::make_unique<Lane>(io));
      lanes[it->second]->feeds.push_back(i);
    }
  }
  std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
    std::uniform_real_distribution<double> d(0.9, 1.1);
    return std::chrono::milliseconds(static_cast<std::int64_t>(double(base.count()) * d(rng)));
  }
  void schedule_flush() {
    if (flush_posted) return;
    flush_posted = true;
    asio::post(io, [weak = weak_from_this()] {
      auto self = weak.lock();
      if (!self) return;
      self->flush_posted = false;
      if (auto err = self->seen.flush(); !err.empty())
        spdlog::error("input {}: {} (items may be alerted again after a restart)", self->opt.name,
                      err);
    });
  }

  asio::awaitable<void> lane_loop(Lane& lane);
  asio::awaitable<void> poll(Lane& lane, Feed& feed);
  void failed(Feed& feed, std::string reason, const FetchResult& r);
  void succeeded(Feed& feed);
  void submit(Lane& lane, Feed& feed, const FeedDocument& doc);
};

asio::awaitable<void> FeedInput::Impl::lane_loop(Lane& lane) {
  auto self = shared_from_this();
  while (!stopping) {
    std::size_t due = lane.feeds.front();
    for (std::size_t i : lane.feeds)
      if (feeds[i].next_due < feeds[due].next_due) due = i;
    lane.timer.expires_at(feeds[due].next_due);
    co_await lane.timer.async_wait(use_tuple);
    if (stopping) break;
    if (SteadyClock::now() < feeds[due].next_due) continue;  // woken early
    co_await poll(lane, feeds[due]);
    // Backpressure: the next poll of this host waits for the last batch.
    while (lane.batch_in_flight && !stopping) {
      lane.timer.expires_at(SteadyClock::time_point::max());
      co_await lane.timer.async_wait(use_tuple);
    }
  }
}

void FeedInput::Impl::failed(Feed& feed, std::string reason, const FetchResult& r) {
  FeedHealth& h = feed.health;
  ++h.failures;
  ++stats.failures[reason];
  if (h.consecutive_failures++ == 0)  // one line per failure streak
    spdlog::warn("input {}: feed {} failed: {}{}; retrying every poll, quiet until it recovers",
                 opt.name, h.url, reason, r.why.empty() ? "" : " (" + r.why + ")");
  auto delay = jittered(opt.interval);
  if (r.status == 429 || r.status == 503) {
    // Without Retry-After, back off: 2, 4, 8, 16 intervals.
    const auto backoff = opt.interval * (1 << std::min<std::uint64_t>(h.consecutive_failures, 4));
    delay = std::max(delay, r.retry_after.value_or(backoff));
  } else if (r.retry_after) {
    delay = std::max(delay, *r.retry_after);
  }
  feed.next_due = SteadyClock::now() + delay;
}

void FeedInput::Impl::succeeded(Feed& feed) {
  FeedHealth& h = feed.health;
  if (h.consecutive_failures > 0)
    spdlog::info("input {}: feed {} recovered after {} failed poll(s)", opt.name, h.url,
                 h.consecutive_failures);
  h.consecutive_failures = 0;
  h.last_success = unix_now();
  feed.next_due = SteadyClock::now() + jittered(opt.interval);
}

// GCC 12 at -O2 reports a false -Wmismatched-new-delete on this coroutine's frame
// (Asio's frame allocator uses aligned_alloc and its matching deallocate, which
// GCC's inliner cannot pair up: GCC bug 109224); nothing is mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<void> FeedInput::Impl::poll(Lane& lane, Feed& feed) {
  ++feed.health.polls;
  HttpUrl url = feed.current;
  std::set<std::string> visited{url.text()};
  bool permanent = true;
  FetchResult r;
  std::string failure;
  for (int hop = 0;; ++hop) {
    std::string tls_error;
    FetchRequest req = request(url, tls_error);
    if (url == feed.current) {
      req.etag = feed.etag;
      req.last_modified = feed.last_modified;
    }
    r = co_await http_get(io.get_executor(), std::move(req));
    if (stopping) co_return;
    if (r.kind == FetchResult::tls) {
      if (!tls_error.empty()) r.why = tls_error;
      if (tls && !r.tls_reason.empty()) tls->count_failure(r.tls_reason);
    }
    if (r.kind != FetchResult::redirect) break;
    if (hop == kMaxRedirects) {
      failure = "too_many_redirects";
      r.why = "more than " + std::to_string(kMaxRedirects) + " redirects";
      break;
    }
    std::string why;
    auto next = resolve_location(url, r.location, why);
    if (!next) {
      failure = "bad_redirect";
      r.why = "redirect to " + r.location + ": " + why;
      break;
    }
    if (url.scheme == "https" && next->scheme != "https") {
      failure = "insecure_redirect";
      r.why = "redirect from https to " + next->text() + " refused (it would poll in clear)";
      break;
    }
    if (!visited.insert(next->text()).second) {
      failure = "redirect_loop";
      r.why = "redirect loop back to " + next->text();
      break;
    }
    permanent = permanent && (r.status == 301 || r.status == 308);
    if (permanent) {
      spdlog::info("input {}: feed {} moved permanently ({}) to {}; polling it there from now on",
                   opt.name, feed.health.url, r.status, next->text());
      feed.current = *next;
      feed.etag.clear();
      feed.last_modified.clear();
    }
    url = *next;
  }
  r.status = failure.empty() ? r.status : 0;
  if (!failure.empty()) co_return failed(feed, failure, r);
  if (r.kind == FetchResult::not_modified) {
    ++feed.health.not_modified;
    co_return succeeded(feed);
  }
  if (r.kind != FetchResult::ok) co_return failed(feed, std::string(to_string(r.kind)), r);
  stats.bytes += r.body.size();
  const FeedDocument doc = parse_feed(r.body);
  if (doc.error != FeedError::ok) {
    r.why = "the document is refused: " + std::string(to_string(doc.error));
    co_return failed(feed, std::string(to_string(doc.error)), r);
  }
  if (url == feed.current) {
    feed.etag = r.etag;
    feed.last_modified = r.last_modified;
  }
  succeeded(feed);
  submit(lane, feed, doc);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

void FeedInput::Impl::submit(Lane& lane, Feed& feed, const FeedDocument& doc) {
  stats.skipped_items += doc.skipped;
  const auto now = std::chrono::system_clock::now();
  auto acks = std::make_shared<Acks>();
  acks->impl = weak_from_this();
  acks->stream = new_stream_id();
  LineBatch batch;
  batch.received_at = Clock::now();
  batch.input = opt.input;
  batch.stream = acks->stream;
  for (const FeedItem& item : doc.items) {
    std::string key = feed.health.url + '\n' + item.id;
    const std::string& version = item.updated;
    if (seen.contains(key, version)) {
      ++stats.duplicates;
      if (seen.stale(key, now)) {  // still in the feed: keep it from expiring
        seen.add(key, version, now);
        schedule_flush();
      }
      continue;
    }
    if (!in_flight.insert(key + '\0' + version).second) {
      ++stats.duplicates;
      continue;
    }
    batch.add(feed_record(item, feed.health.url));
    acks->keys.emplace_back(std::move(key), version);
  }
  if (batch.lines.empty()) return;
  feed.health.items += batch.lines.size();
  stats.records += batch.lines.size();
  batch.acks = acks;
  lane.batch_in_flight = true;
  consumer.consume(std::move(batch), [weak = weak_from_this(), l = &lane] {
    if (weak.expired()) return;
    l->batch_in_flight = false;
    l->timer.cancel();
  });
}

FeedInput::FeedInput(asio::io_context& io, FeedInputOptions options, LineConsumer& consumer)
    : impl_(std::make_shared<Impl>(io, std::move(options), consumer)) {}

FeedInput::~FeedInput() {
  stop();
}

std::string FeedInput::bind() {
  auto& i = *impl_;
  i.feeds.clear();
  i.lanes.clear();
  for (const auto& u : i.opt.urls)
    if (auto err = i.add_feed(u); !err.empty()) return err;
  if (!i.opt.opml_file.empty()) {
    std::ifstream in(i.opt.opml_file, std::ios::binary);
    std::string bytes(kMaxOpmlBytes + 1, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad() || (!in && in.gcount() == 0))
      return "cannot read opml_file " + i.opt.opml_file.string();
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxOpmlBytes) return "opml_file is larger than 16 MiB";
    const OpmlDocument opml = parse_opml(bytes);
    if (opml.error != FeedError::ok)
      return "opml_file " + i.opt.opml_file.string() +
             " is refused: " + std::string(to_string(opml.error));
    std::size_t skipped = 0;
    for (const auto& u : opml.urls) {
      if (std::find(i.opt.urls.begin(), i.opt.urls.end(), u) != i.opt.urls.end()) continue;
      if (auto err = i.add_feed(u); !err.empty()) {
        if (skipped++ == 0) spdlog::warn("input {}: skipping {}", i.opt.name, err);
      }
    }
    if (skipped > 1)
      spdlog::warn("input {}: skipped {} feeds of {} in all", i.opt.name, skipped,
                   i.opt.opml_file.string());
  }
  if (i.feeds.empty()) return "no feed to poll (url, urls and opml_file name none)";
  if (std::any_of(i.feeds.begin(), i.feeds.end(),
                  [](const auto& f) { return f.current.scheme == "https"; }))
    if (std::string err = i.ensure_tls(); !err.empty()) return err;
  i.plan_lanes();
  SeenSet::Options so;
  so.file = i.opt.seen_file;
  so.max_entries = i.opt.seen_max_entries;
  so.max_age = i.opt.seen_max_age;
  if (auto err = i.seen.open(so, std::chrono::system_clock::now()); !err.empty())
    spdlog::error("input {}: {}; remembering seen items in memory only", i.opt.name, err);
  return {};
}

void FeedInput::start() {
  for (auto& lane : impl_->lanes)
    asio::co_spawn(impl_->io, impl_->lane_loop(*lane), asio::detached);
}

void FeedInput::stop() {
  auto& i = *impl_;
  if (i.stopping) return;
  i.stopping = true;
  for (auto& lane : i.lanes) lane->timer.cancel();
  if (auto err = i.seen.flush(); !err.empty()) spdlog::error("input {}: {}", i.opt.name, err);
}

void FeedInput::set_index(std::uint32_t input) {
  impl_->opt.input = input;
}
std::uint64_t FeedInput::bytes_in() const {
  return impl_->stats.bytes;
}
const FeedInputOptions& FeedInput::options() const {
  return impl_->opt;
}
const FeedInputStats& FeedInput::stats() const {
  return impl_->stats;
}
std::vector<FeedHealth> FeedInput::health() const {
  std::vector<FeedHealth> out;
  for (const auto& f : impl_->feeds) out.push_back(f.health);
  return out;
}

}  // namespace newshound

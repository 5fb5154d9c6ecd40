// Stage: sink. WebhookSink's link: POSTs a batch from the front of the queue over
// a keep-alive Beast tcp_stream (QueuedSink connects it when something waits) and
// decides from the answer: delivered, retry later (Retry-After), or dead-letter.
// Reads at most a bounded prefix of any answer's body; after a timeout it keeps
// the abandoned connection open a while to count a late answer (LateWatch).
// With https, each connection is a Beast ssl_stream over the tcp_stream, made
// afresh at connect and handed whole to a LateWatch (late_watch.hpp); a stop
// after everything was delivered ends it with close_notify (end()). A little
// over 400 lines: connect, TLS set-up and the request/answer cycle share the
// link's state.
#include "newshound/sink/webhook_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>

#include "dead_letter.hpp"
#include "late_watch.hpp"
#include "newshound/net/beast_tls.hpp"
#include "newshound/net/tls_edge.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/retry_after.hpp"
#include "newshound/util/use_tuple.hpp"
#include "newshound/version.hpp"
#include "response_prefix.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

/// Body bytes read from one answer at most; past this the connection is dropped
/// (the rest is never read). Only a prefix (dead_letter_body_bytes) is kept.
constexpr std::uint64_t kMaxResponseBody = 1u << 20;
/// Requests in a row without an answer within timeout_ms after which the receiver
/// is reported as consistently slow.
constexpr std::uint64_t kSlowAfter = 5;

using Parser = http::response_parser<detail::PrefixBody>;
using detail::LateCount;
using detail::LateWatch;
using detail::TlsStream;
using IoResult = std::tuple<boost::system::error_code, std::size_t>;

/// How one request went.
struct Outcome {
  enum Kind { delivered, retry, refused } kind = retry;
  int status = 0;                                        ///< 0: no HTTP answer
  std::optional<std::chrono::milliseconds> retry_after;  ///< from the answer
  bool stale = false;      ///< a reused keep-alive connection failed before any answer
  bool timed_out = false;  ///< no answer within timeout_ms
  std::string why;         ///< for logs
  std::string body;        ///< response body, its first dead_letter_body_bytes (refused only)
  bool body_cut = false;   ///< more body was sent than `body` holds

  /// A failure without an HTTP answer, to be retried.
  static Outcome failed(std::string why, bool stale = false) {
    Outcome o;
    o.why = std::move(why);
    o.stale = stale;
    return o;
  }
};
/// Without the trailing newline: alerts are joined into one JSON body.
std::string_view trimmed(const Alert& a) {
  std::string_view j = a.json;
  while (!j.empty() && (j.back() == '\n' || j.back() == '\r')) j.remove_suffix(1);
  return j;
}

class WebhookLink final : public SinkLink {
 public:
  WebhookLink(asio::io_context& io, std::string sink, WebhookSinkOptions o)
      : sink_(std::move(sink)), opt_(std::move(o)), stream_(io), resolver_(io), answer_timer_(io) {
    opt_.batch_max = std::max<std::size_t>(opt_.batch_max, 1);
    std::string error;  // reported by connect(), which tries again
    if (opt_.tls.enabled)
      tls_edge_ = net::TlsEdge::make("output/" + sink_, opt_.tls, net::TlsRole::client, error);
  }

  /// The HTTP counters (their `sink` part is the QueuedSink's).
  WebhookStats stats() const {
    WebhookStats s = ws_;
    s.late_answers = late_ok_->ok;
    return s;
  }

  Style style() const override { return Style::request; }
  const std::string& where() const override { return opt_.url_text; }
  bool connected() const override { return is_connected_; }

  asio::awaitable<std::string> connect() override {
    auto [ec, results] =
        co_await resolver_.async_resolve(opt_.url.host, std::to_string(opt_.url.port), use_tuple);
    if (closed_) co_return "closed";
    if (!ec && opt_.tls.enabled) {
      std::string error;
      if (!tls_edge_)
        tls_edge_ = net::TlsEdge::make("output/" + sink_, opt_.tls, net::TlsRole::client, error);
      if (!tls_edge_) {
        ++ws_.retries;
        co_return "POST " + opt_.url_text + " TLS not possible: " + error;
      }
      tls_.reset();  // before its context goes
      tls_ctx_ = tls_edge_->context();
      tls_ = std::make_unique<TlsStream>(stream_.get_executor(), *tls_ctx_);
    }
    if (!ec) {
      transport().expires_after(opt_.timeout);
      auto [ec2, ep] = co_await transport().async_connect(results, use_tuple);
      if (closed_) co_return "closed";
      ec = ec2;
    }
    if (ec) {
      transport().close();
      ++ws_.retries;
      co_return "POST " + opt_.url_text + " cannot connect: " + ec.message();
    }
    boost::system::error_code ignored;
    transport().socket().set_option(tcp::no_delay(true), ignored);
    if (tls_) {
      std::string why = co_await handshake();
      if (closed_) co_return "closed";
      if (!why.empty()) {
        disconnect();
        ++ws_.retries;
        co_return "POST " + opt_.url_text + " TLS handshake failed: " + why;
      }
    }
    is_connected_ = true;
    answered_on_connection_ = 0;
    ++ws_.connections;
    co_return std::string();
  }

  /// Up to batch_max alerts and batch_bytes of them (always at least one).
  std::size_t batch_size(const AlertQueue& q) const override {
    std::size_t n = 0, bytes = 0;
    for (; n < q.waiting() && n < opt_.batch_max; ++n) {
      const std::size_t size = trimmed(*q[n].alert).size();
      if (n > 0 && bytes + size > opt_.batch_bytes) break;
      bytes += size;
    }
    return n;
  }

  asio::awaitable<Delivery> deliver(const std::vector<AlertPtr>& batch) override {
    fill_body(batch);
    const Outcome o = co_await post();
    if (o.timed_out)
      timed_out();
    else if (o.status != 0)
      answered();
    if (o.kind == Outcome::delivered) co_return Delivery::delivered();
    if (o.kind == Outcome::refused) {
      refused(o, batch);
      co_return Delivery::refused();
    }
    ++ws_.retries;
    Delivery d = Delivery::retry("POST " + opt_.url_text + " " + o.why);
    d.retry_after = o.retry_after;  // capped by parse_retry_after
    d.retry_now = o.stale;          // the receiver closed an idle keep-alive connection
    co_return d;
  }

  /// An https keep-alive connection gets close_notify (within kTlsShutdownTimeout).
  asio::awaitable<void> end() override {
    if (!is_connected_ || !tls_) co_return;
    co_await net::beast_tls_shutdown(*tls_);
    disconnect();
    co_return;
  }

  void close() override {
    closed_ = true;
    disconnect();
    resolver_.cancel();
    answer_timer_.cancel();
    if (auto w = late_.lock()) w->close();
  }

 private:
  /// The connection's TCP layer (under TLS when https).
  beast::tcp_stream& transport() { return tls_ ? tls_->next_layer() : stream_; }

  /// Runs `op` on the connection: the TLS stream when https, else the TCP one.
  template <class Op>
  asio::awaitable<IoResult> on_stream(Op op) {
    if (tls_) co_return co_await op(*tls_);
    co_return co_await op(stream_);
  }

  /// The TLS client handshake on the connected socket, within timeout_ms
  /// (the tcp_stream's deadline). "" or why it failed.
  asio::awaitable<std::string> handshake() {
    std::string e = net::prepare_client_ssl(tls_->native_handle(), opt_.tls, opt_.url.host);
    if (!e.empty()) co_return e;
    const net::TlsHandshakeResult r =
        co_await net::beast_tls_handshake(*tls_, asio::ssl::stream_base::client, opt_.timeout);
    if (r.ok()) co_return std::string();
    tls_edge_->count_failure(r.reason);
    co_return r.reason == "timeout" ? r.why + " (timeout_ms)" : r.why;
  }

  void disconnect() {
    is_connected_ = false;
    answered_on_connection_ = 0;
    boost::system::error_code ignored;
    transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
    transport().close();
    buffer_.consume(buffer_.size());
  }

  /// The request body: one alert object, or a JSON array of the batch.
  void fill_body(const std::vector<AlertPtr>& batch) {
    body_.clear();
    const bool array = opt_.batch_max > 1;
    if (array) body_ += '[';
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i > 0) body_ += ',';
      body_ += trimmed(*batch[i]);
    }
    if (array) body_ += ']';
  }

  /// One POST of `body_` on the current connection.
  asio::awaitable<Outcome> post() {
    const bool reused = answered_on_connection_ > 0;
    http::request<http::string_body> req{http::verb::post, opt_.url.target, 11};
    req.set(http::field::host, opt_.url.host_header);
    req.set(http::field::user_agent, std::string("newshound/") + version_string);
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : opt_.headers) req.set(k, v);
    req.keep_alive(true);
    req.body() = std::move(body_);
    req.prepare_payload();
    ++ws_.requests;
    transport().expires_after(opt_.timeout);
    auto [wec, wn] =
        co_await on_stream([&](auto& s) { return http::async_write(s, req, use_tuple); });
    body_ = std::move(req.body());  // keeps its capacity for the next batch
    if (closed_) co_return Outcome::failed("closed");
    if (wec) {
      disconnect();
      co_return Outcome::failed("sending failed: " + wec.message(), reused);
    }
    Parser parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // bounded by read_answer
    parser.get().body().limit = opt_.dead_letter_body_bytes;
    // Our own timer, not the stream's: that one would close the socket, and a
    // timed-out connection is kept for a late answer.
    transport().expires_never();
    answer_late_ = false;
    answer_timer_.expires_after(opt_.timeout);
    // A completion already queued when the read ended, or the link destroyed,
    // must not touch the next request: hence the id and the weak pointer.
    const std::uint64_t wait_id = ++answer_wait_;
    answer_timer_.async_wait(
        [self = std::weak_ptr<WebhookLink*>(self_), wait_id](const boost::system::error_code& ec) {
          const auto link = self.lock();
          if (ec || !link || (*link)->answer_wait_ != wait_id) return;
          (*link)->answer_late_ = true;
          boost::system::error_code ignored;
          (*link)->transport().socket().cancel(ignored);
        });
    auto [rec, rn] = co_await read_answer(parser);
    ++answer_wait_;  // this wait is over
    answer_timer_.cancel();
    if (closed_) co_return Outcome::failed("closed");
    bool keep = true;
    if (rec) {
      if (answer_late_ && !parser.is_header_done()) {
        watch_for_late_answer();
        Outcome o = Outcome::failed("no answer within " + std::to_string(opt_.timeout.count()) +
                                    " ms (timeout_ms)");
        o.timed_out = true;
        co_return o;
      }
      if (!parser.is_header_done()) {
        const bool nothing = rn == 0;
        disconnect();
        co_return Outcome::failed("reading the answer failed: " + rec.message(), reused && nothing);
      }
      keep = false;  // header read, body too large or cut: judge by status
    }
    transport().expires_never();
    const auto& res = parser.get();
    const int status = static_cast<int>(res.result_int());
    ws_.last_status = status;
    if (status >= 100 && status < 600) ++ws_.responses[static_cast<std::size_t>(status / 100 - 1)];
    ++answered_on_connection_;
    if (!keep || !res.keep_alive()) disconnect();
    Outcome out;
    out.status = status;
    if (status >= 200 && status < 300) {
      out.kind = Outcome::delivered;
    } else if (status == 429 || status >= 500 || status < 200) {
      out.kind = Outcome::retry;
      out.why = "answered " + std::to_string(status);
      if (auto it = res.find(http::field::retry_after); it != res.end())
        out.retry_after =
            detail::parse_retry_after(std::string_view(it->value().data(), it->value().size()),
                                      std::chrono::system_clock::now(), opt_.retry_after_max);
      if (status < 200) disconnect();  // an interim answer we did not ask for
    } else {
      out.kind = Outcome::refused;
      out.body = res.body().kept;
      out.body_cut = res.body().cut() || !parser.is_done();
    }
    co_return out;
  }

  /// Reads an answer's header, then its body until done or kMaxResponseBody bytes
  /// (then http::error::body_limit). Returns the error and the bytes read.
  asio::awaitable<std::pair<boost::system::error_code, std::size_t>> read_answer(Parser& parser) {
    auto [ec, total] = co_await on_stream(
        [&](auto& s) { return http::async_read_header(s, buffer_, parser, use_tuple); });
    while (!ec && !closed_ && !parser.is_done()) {
      if (parser.get().body().seen > kMaxResponseBody) {
        ec = http::error::body_limit;
        break;
      }
      auto [ec2, n] = co_await on_stream(
          [&](auto& s) { return http::async_read_some(s, buffer_, parser, use_tuple); });
      ec = ec2;
      total += n;
    }
    co_return std::pair{ec, total};
  }

  /// Hands the timed-out connection to a LateWatch (closing the previous one: at
  /// most one is kept) and starts afresh with a new stream.
  void watch_for_late_answer() {
    if (auto old = late_.lock()) old->close();
    // The link connects afresh (a new TLS stream, or stream_ with a new socket).
    auto w = tls_ ? std::make_shared<LateWatch>(std::move(tls_), tls_ctx_)
                  : std::make_shared<LateWatch>(std::move(stream_.socket()));
    w->buffer = std::move(buffer_);
    buffer_ = beast::flat_buffer();
    is_connected_ = false;
    answered_on_connection_ = 0;
    late_ = w;
    asio::co_spawn(w->plain.get_executor(), detail::watch_late(w, late_ok_), asio::detached);
  }

  /// Counts a request that got no answer in time, and says what to do about it.
  void timed_out() {
    ++ws_.timeouts;
    ++ws_.timeouts_in_a_row;
    std::uint64_t quiet = 0;
    if (timeout_log_.allow(&quiet))
      spdlog::warn(
          "sink {}: {} gave no answer within timeout_ms = {} ({} request(s) in a row, {} late "
          "2xx answer(s) so far); the alerts are posted again after a backoff, so the receiver "
          "may get them twice: if it is just slow, raise timeout_ms above its answer time ({} "
          "similar suppressed)",
          sink_, opt_.url_text, opt_.timeout.count(), ws_.timeouts_in_a_row, late_ok_->ok, quiet);
    if (ws_.timeouts_in_a_row == kSlowAfter)
      spdlog::error(
          "sink {}: {} has not answered {} requests in a row within timeout_ms = {}: the "
          "receiver is consistently slower than the timeout (or hangs); nothing is delivered "
          "until it answers in time",
          sink_, opt_.url_text, kSlowAfter, opt_.timeout.count());
  }

  /// An answer arrived in time: ends a run of timeouts.
  void answered() {
    if (ws_.timeouts_in_a_row >= kSlowAfter)
      spdlog::info("sink {}: {} answers in time again, after {} timed-out requests", sink_,
                   opt_.url_text, ws_.timeouts_in_a_row);
    ws_.timeouts_in_a_row = 0;
  }

  /// Dead-letters (or logs) a batch the receiver refused for good.
  void refused(const Outcome& o, const std::vector<AlertPtr>& alerts) {
    ws_.dead_lettered += alerts.size();
    std::string where = "not kept (no dead_letter file configured)";
    if (!opt_.dead_letter.empty()) {
      const std::string record =
          detail::dead_letter_record(std::chrono::system_clock::now(), opt_.url_text, o.status,
                                     o.body, opt_.dead_letter_body_bytes, alerts, o.body_cut);
      const std::string err = detail::append_dead_letter(opt_.dead_letter, record);
      where = err.empty() ? "written to " + opt_.dead_letter.string() : "LOST: " + err;
    }
    std::uint64_t quiet = 0;
    if (refuse_log_.allow(&quiet))
      spdlog::warn(
          "sink {}: {} answered {} for {} alert(s) (first id {}); not retried, {}; fix the "
          "receiver or the output's headers ({} similar suppressed)",
          sink_, opt_.url_text, o.status, alerts.size(), alerts.empty() ? "" : alerts.front()->id,
          where, quiet);
  }

  std::string sink_;  ///< the sink's name, for logs
  WebhookSinkOptions opt_;
  beast::tcp_stream stream_;                     ///< the connection, when not https
  std::shared_ptr<net::TlsEdge> tls_edge_;       ///< with https: the edge (null while it cannot be)
  std::shared_ptr<asio::ssl::context> tls_ctx_;  ///< this connection's context (tls_'s)
  std::unique_ptr<TlsStream> tls_;               ///< with https: this connection's TLS stream
  tcp::resolver resolver_;
  asio::steady_timer answer_timer_;  ///< timeout_ms for an answer
  bool answer_late_ = false;         ///< answer_timer_ fired during this read
  std::uint64_t answer_wait_ = 0;    ///< which read answer_timer_ is for
  /// For answer_timer_'s handler, which may run after the link is gone.
  std::shared_ptr<WebhookLink*> self_ = std::make_shared<WebhookLink*>(this);
  beast::flat_buffer buffer_;
  std::string body_;  ///< reused request body
  WebhookStats ws_;
  std::uint64_t answered_on_connection_ = 0;
  bool is_connected_ = false, closed_ = false;
  RateLimiter refuse_log_{std::chrono::seconds(10)}, timeout_log_{std::chrono::seconds(10)};
  std::weak_ptr<LateWatch> late_;  ///< the connection kept for a late answer, if any
  /// Where every LateWatch counts (outlives the link if a watch is pending).
  std::shared_ptr<LateCount> late_ok_ = std::make_shared<LateCount>();
};

}  // namespace

WebhookSink::WebhookSink(asio::io_context& io, const std::string& name, WebhookSinkOptions opts)
    : QueuedSink(io, name, opts.queue, std::make_unique<WebhookLink>(io, name, opts)) {}

WebhookStats WebhookSink::webhook_stats() const {
  WebhookStats s = static_cast<const WebhookLink&>(link()).stats();
  s.sink = stats();
  return s;
}

}  // namespace newshound

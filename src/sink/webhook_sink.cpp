// Stage: sink. WebhookSink's link: POSTs a batch from the front of the queue over
// a keep-alive Beast tcp_stream (QueuedSink connects it when something waits) and
// decides from the answer: delivered, retry later (Retry-After), or dead-letter.
#include "newshound/sink/webhook_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "dead_letter.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/use_tuple.hpp"
#include "newshound/version.hpp"
#include "retry_after.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint64_t kMaxResponseBody = 1u << 20;  ///< larger bodies end the connection

/// How one request went.
struct Outcome {
  enum Kind { delivered, retry, refused } kind = retry;
  int status = 0;                                        ///< 0: no HTTP answer
  std::optional<std::chrono::milliseconds> retry_after;  ///< from the answer
  bool stale = false;  ///< a reused keep-alive connection failed before any answer
  std::string why;     ///< for logs
  std::string body;    ///< response body (refused only)

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
      : sink_(std::move(sink)), opt_(std::move(o)), stream_(io), resolver_(io) {
    opt_.batch_max = std::max<std::size_t>(opt_.batch_max, 1);
  }

  /// The HTTP counters (their `sink` part is the QueuedSink's).
  const WebhookStats& stats() const { return ws_; }

  Style style() const override { return Style::request; }
  const std::string& where() const override { return opt_.url_text; }
  bool connected() const override { return is_connected_; }

  asio::awaitable<std::string> connect() override {
    auto [ec, results] =
        co_await resolver_.async_resolve(opt_.url.host, std::to_string(opt_.url.port), use_tuple);
    if (closed_) co_return "closed";
    if (!ec) {
      stream_.expires_after(opt_.timeout);
      auto [ec2, ep] = co_await stream_.async_connect(results, use_tuple);
      if (closed_) co_return "closed";
      ec = ec2;
    }
    if (ec) {
      stream_.close();
      ++ws_.retries;
      co_return "POST " + opt_.url_text + " cannot connect: " + ec.message();
    }
    boost::system::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
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
    if (o.kind == Outcome::delivered) co_return Delivery::delivered();
    if (o.kind == Outcome::refused) {
      refused(o, batch);
      co_return Delivery::refused();
    }
    ++ws_.retries;
    Delivery d = Delivery::retry("POST " + opt_.url_text + " " + o.why);
    if (o.retry_after) d.retry_after = std::min(*o.retry_after, opt_.retry_after_max);
    d.retry_now = o.stale;  // the receiver closed an idle keep-alive connection
    co_return d;
  }

  void close() override {
    closed_ = true;
    disconnect();
    resolver_.cancel();
  }

 private:
  void disconnect() {
    is_connected_ = false;
    answered_on_connection_ = 0;
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
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
    stream_.expires_after(opt_.timeout);
    auto [wec, wn] = co_await http::async_write(stream_, req, use_tuple);
    body_ = std::move(req.body());  // keeps its capacity for the next batch
    if (closed_) co_return Outcome::failed("closed");
    if (wec) {
      disconnect();
      co_return Outcome::failed("sending failed: " + wec.message(), reused);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    stream_.expires_after(opt_.timeout);
    auto [rec, rn] = co_await http::async_read(stream_, buffer_, parser, use_tuple);
    if (closed_) co_return Outcome::failed("closed");
    bool keep = true;
    if (rec) {
      if (rec == beast::error::timeout) {
        disconnect();
        co_return Outcome::failed("no answer within " + std::to_string(opt_.timeout.count()) +
                                  " ms");
      }
      if (!parser.is_header_done()) {
        const bool nothing = rn == 0;
        disconnect();
        co_return Outcome::failed("reading the answer failed: " + rec.message(), reused && nothing);
      }
      keep = false;  // header read, body unusable (too large or cut): judge by status
    }
    stream_.expires_never();
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
                                      std::chrono::system_clock::now());
      if (status < 200) disconnect();  // an interim answer we did not ask for
    } else {
      out.kind = Outcome::refused;
      out.body = res.body();
    }
    co_return out;
  }

  /// Dead-letters (or logs) a batch the receiver refused for good.
  void refused(const Outcome& o, const std::vector<AlertPtr>& alerts) {
    ws_.dead_lettered += alerts.size();
    std::string where = "not kept (no dead_letter file configured)";
    if (!opt_.dead_letter.empty()) {
      const std::string record =
          detail::dead_letter_record(std::chrono::system_clock::now(), opt_.url_text, o.status,
                                     o.body, opt_.dead_letter_body_bytes, alerts);
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
  beast::tcp_stream stream_;
  tcp::resolver resolver_;
  beast::flat_buffer buffer_;
  std::string body_;  ///< reused request body
  WebhookStats ws_;
  std::uint64_t answered_on_connection_ = 0;
  bool is_connected_ = false, closed_ = false;
  RateLimiter refuse_log_{std::chrono::seconds(10)};
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

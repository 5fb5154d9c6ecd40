// Stage: sink. WebhookSink: one coroutine takes a batch from the front of the
// queue, POSTs it over a keep-alive Beast tcp_stream (connecting when needed) and
// decides from the answer: delivered, retry later, or dead-letter.
#include "newshound/sink/webhook_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <random>

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
}  // namespace

struct WebhookSink::Impl : std::enable_shared_from_this<Impl> {
  asio::io_context& io;
  std::string name;
  WebhookSinkOptions opt;
  beast::tcp_stream stream;
  tcp::resolver resolver;
  asio::steady_timer wake, backoff, grace;
  beast::flat_buffer buffer;
  std::deque<std::shared_ptr<const Alert>> queue;
  std::size_t queued_bytes = 0;
  std::size_t batch_size = 0;  ///< alerts at the queue's front in the current request
  std::string body;            ///< reused request body
  WebhookStats ws;
  bool started = false, stopping = false, closed = false, is_connected = false;
  std::uint64_t answered_on_connection = 0;
  unsigned attempt = 0;
  std::function<void()> done;
  std::function<void(const std::shared_ptr<const Alert>&)> on_sent;  ///< Sink::notify_sent
  std::minstd_rand rng{std::random_device{}()};
  RateLimiter fail_log{std::chrono::seconds(10)}, refuse_log{std::chrono::seconds(10)},
      connect_log{std::chrono::seconds(10)};

  Impl(asio::io_context& i, std::string n, WebhookSinkOptions o)
      : io(i),
        name(std::move(n)),
        opt(std::move(o)),
        stream(i),
        resolver(i),
        wake(i),
        backoff(i),
        grace(i) {
    opt.batch_max = std::max<std::size_t>(opt.batch_max, 1);
  }

  void disconnect() {
    is_connected = false;
    answered_on_connection = 0;
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.consume(buffer.size());
  }

  void finish() {
    if (closed) return;
    closed = true;
    if (!queue.empty())
      spdlog::warn("sink {}: closing with {} alerts undelivered", name, queue.size());
    else
      spdlog::info("sink {}: closed", name);
    disconnect();
    resolver.cancel();
    wake.cancel();
    backoff.cancel();
    grace.cancel();
    if (done) asio::post(io, std::exchange(done, nullptr));
  }

  /// The request body for the first alerts of the queue; sets batch_size.
  void fill_body() {
    body.clear();
    batch_size = 0;
    std::size_t bytes = 0;
    const bool array = opt.batch_max > 1;
    if (array) body += '[';
    for (const auto& a : queue) {
      if (batch_size == opt.batch_max) break;
      std::string_view j = a->json;
      while (!j.empty() && (j.back() == '\n' || j.back() == '\r')) j.remove_suffix(1);
      if (batch_size > 0 && bytes + j.size() > opt.batch_bytes) break;
      if (batch_size > 0) body += ',';
      body += j;
      bytes += j.size();
      ++batch_size;
      if (!array) break;
    }
    if (array) body += ']';
  }

  std::vector<std::shared_ptr<const Alert>> take_batch() {
    std::vector<std::shared_ptr<const Alert>> out;
    out.reserve(batch_size);
    for (std::size_t i = 0; i < batch_size && !queue.empty(); ++i) {
      queued_bytes -= queue.front()->json.size();
      out.push_back(std::move(queue.front()));
      queue.pop_front();
    }
    batch_size = 0;
    return out;
  }

  /// Opens the connection; returns "" or what went wrong.
  asio::awaitable<std::string> connect() {
    auto [ec, results] =
        co_await resolver.async_resolve(opt.url.host, std::to_string(opt.url.port), use_tuple);
    if (closed) co_return "closed";
    if (!ec) {
      stream.expires_after(opt.timeout);
      auto [ec2, ep] = co_await stream.async_connect(results, use_tuple);
      if (closed) co_return "closed";
      ec = ec2;
    }
    if (ec) {
      stream.close();
      co_return "cannot connect: " + ec.message();
    }
    boost::system::error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);
    is_connected = true;
    answered_on_connection = 0;
    ++ws.connections;
    std::uint64_t quiet = 0;
    if (connect_log.allow(&quiet))
      spdlog::info("sink {}: connected to {}:{} ({} similar suppressed)", name, opt.url.host,
                   opt.url.port, quiet);
    co_return std::string();
  }

  /// One POST of `body` on the current (or a new) connection.
  asio::awaitable<Outcome> post() {
    if (!is_connected) {
      std::string error = co_await connect();
      if (closed || !error.empty()) co_return Outcome::failed(std::move(error));
    }
    const bool reused = answered_on_connection > 0;
    http::request<http::string_body> req{http::verb::post, opt.url.target, 11};
    req.set(http::field::host, opt.url.host_header);
    req.set(http::field::user_agent, std::string("newshound/") + version_string);
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : opt.headers) req.set(k, v);
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    ++ws.requests;
    stream.expires_after(opt.timeout);
    auto [wec, wn] = co_await http::async_write(stream, req, use_tuple);
    body = std::move(req.body());  // keeps its capacity for the next batch
    if (closed) co_return Outcome::failed("closed");
    if (wec) {
      disconnect();
      co_return Outcome::failed("sending failed: " + wec.message(), reused);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    stream.expires_after(opt.timeout);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (closed) co_return Outcome::failed("closed");
    bool keep = true;
    if (rec) {
      if (rec == beast::error::timeout) {
        disconnect();
        co_return Outcome::failed("no answer within " + std::to_string(opt.timeout.count()) +
                                  " ms");
      }
      if (!parser.is_header_done()) {
        const bool nothing = rn == 0;
        disconnect();
        co_return Outcome::failed("reading the answer failed: " + rec.message(), reused && nothing);
      }
      keep = false;  // header read, body unusable (too large or cut): judge by status
    }
    stream.expires_never();
    const auto& res = parser.get();
    const int status = static_cast<int>(res.result_int());
    ws.last_status = status;
    if (status >= 100 && status < 600) ++ws.responses[static_cast<std::size_t>(status / 100 - 1)];
    ++answered_on_connection;
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

  std::chrono::milliseconds next_backoff() {
    using std::chrono::milliseconds;
    const auto shift = std::min(attempt++, 20u);
    const auto cap = std::min<milliseconds::rep>(opt.queue.backoff.max.count(),
                                                 opt.queue.backoff.initial.count() << shift);
    std::uniform_int_distribution<milliseconds::rep> pick(0, std::max<milliseconds::rep>(cap, 0));
    return milliseconds(pick(rng));
  }

  void delivered() {
    attempt = 0;
    for (const auto& a : take_batch()) {
      ++ws.sink.sent;
      if (on_sent) on_sent(a);
    }
  }

  void refused(const Outcome& o) {
    attempt = 0;
    const auto alerts = take_batch();
    ws.dead_lettered += alerts.size();
    std::string where = "not kept (no dead_letter file configured)";
    if (!opt.dead_letter.empty()) {
      const std::string record =
          detail::dead_letter_record(std::chrono::system_clock::now(), opt.url_text, o.status,
                                     o.body, opt.dead_letter_body_bytes, alerts);
      const std::string err = detail::append_dead_letter(opt.dead_letter, record);
      where = err.empty() ? "written to " + opt.dead_letter.string() : "LOST: " + err;
    }
    std::uint64_t quiet = 0;
    if (refuse_log.allow(&quiet))
      spdlog::warn(
          "sink {}: {} answered {} for {} alert(s) (first id {}); not retried, {}; fix the "
          "receiver or the output's headers ({} similar suppressed)",
          name, opt.url_text, o.status, alerts.size(), alerts.empty() ? "" : alerts.front()->id,
          where, quiet);
  }

  asio::awaitable<void> run(std::shared_ptr<Impl> self) {
    (void)self;  // held by the frame: keeps this Impl alive
    bool stale_retry_used = false;
    while (!closed) {
      if (queue.empty()) {
        if (stopping) {
          finish();
          break;
        }
        wake.expires_at(asio::steady_timer::time_point::max());
        co_await wake.async_wait(use_tuple);
        continue;
      }
      fill_body();
      const Outcome o = co_await post();
      if (closed) break;
      if (o.kind == Outcome::delivered) {
        stale_retry_used = false;
        delivered();
        continue;
      }
      if (o.kind == Outcome::refused) {
        stale_retry_used = false;
        refused(o);
        continue;
      }
      ++ws.retries;
      ++ws.sink.failed;
      // The receiver closed an idle keep-alive connection: try once more at once.
      if (o.stale && !stale_retry_used) {
        stale_retry_used = true;
        continue;
      }
      stale_retry_used = false;
      const auto delay =
          o.retry_after ? std::min(*o.retry_after, opt.retry_after_max) : next_backoff();
      std::uint64_t quiet = 0;
      if (fail_log.allow(&quiet))
        spdlog::warn(
            "sink {}: POST {} {}; retrying in {} ms, {} alerts queued ({} similar "
            "suppressed)",
            name, opt.url_text, o.why, delay.count(), queue.size(), quiet);
      backoff.expires_after(delay);
      co_await backoff.async_wait(use_tuple);
    }
    co_return;  // explicit: g++ 12 with UBSan traps on falling off a coroutine
  }
};

WebhookSink::WebhookSink(asio::io_context& io, const std::string& name, WebhookSinkOptions opts)
    : impl_(std::make_shared<Impl>(io, name, std::move(opts))) {
  impl_->on_sent = [this](const std::shared_ptr<const Alert>& a) { notify_sent(a); };
}

WebhookSink::~WebhookSink() {
  impl_->on_sent = nullptr;
  impl_->done = nullptr;
  impl_->finish();
}

const std::string& WebhookSink::name() const {
  return impl_->name;
}

void WebhookSink::start() {
  if (impl_->started || impl_->closed) return;
  impl_->started = true;
  asio::co_spawn(impl_->io, impl_->run(impl_), asio::detached);
}

bool WebhookSink::submit(std::shared_ptr<const Alert> alert) {
  Impl& m = *impl_;
  const std::size_t n = alert->json.size();
  if (m.stopping || m.closed ||
      (!m.queue.empty() && m.queued_bytes + n > m.opt.queue.queue_bytes)) {
    ++m.ws.sink.rejected;
    return false;
  }
  m.queued_bytes += n;
  m.queue.push_back(std::move(alert));
  ++m.ws.sink.accepted;
  m.wake.cancel();
  return true;
}

void WebhookSink::stop(std::chrono::milliseconds grace, std::function<void()> done) {
  Impl& m = *impl_;
  if (m.stopping || m.closed) {
    if (done) asio::post(m.io, std::move(done));
    return;
  }
  m.stopping = true;
  m.done = std::move(done);
  if (m.queue.empty() || !m.started) {
    m.finish();
    return;
  }
  m.grace.expires_after(grace);
  m.grace.async_wait([self = impl_](const boost::system::error_code& ec) {
    if (!ec) self->finish();
  });
  m.wake.cancel();
}

SinkStats WebhookSink::stats() const {
  return webhook_stats().sink;
}

WebhookStats WebhookSink::webhook_stats() const {
  WebhookStats s = impl_->ws;
  s.sink.queued = impl_->queue.size();
  s.sink.queued_bytes = impl_->queued_bytes;
  return s;
}

}  // namespace newshound

// Stage: sink. TcpSink's link: connects (QueuedSink retries with backoff), writes
// batches in one gathered write, and per connection reads what the peer sends:
// with `ack`, the receiver's {"ack":"<alert id>"} lines (tcp_ack.hpp), which
// release alerts from the unacknowledged window; otherwise nothing it keeps, only
// to notice a closed connection while idle. Without ack, alerts written shortly
// before a drop are kept and sent again (the resend window). With tls, each
// connection is a TLS session (net::SocketStream) opened by a handshake; a failed
// handshake is a failed connect, and a stop after everything was delivered ends
// the session with close_notify (end()).
#include "newshound/sink/tcp_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <deque>
#include <vector>

#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_edge.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/use_tuple.hpp"
#include "tcp_ack.hpp"

namespace newshound {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kTcpBatchAlerts = 256;
constexpr std::size_t kTcpBatchBytes = 1u << 20;
/// With ack: a warning when written alerts wait this long without any ack.
constexpr std::chrono::seconds kAckStall{30};
/// A TLS handshake must finish within this.
constexpr std::chrono::seconds kHandshakeTimeout{10};

class TcpLink final : public SinkLink {
 public:
  TcpLink(asio::io_context& io, std::string sink, TcpSinkOptions o)
      : sink_(std::move(sink)),
        opt_(std::move(o)),
        where_(opt_.host + ":" + std::to_string(opt_.port)),
        sock_(io.get_executor()),
        resolver_(io),
        unacked_(opt_.max_unacked) {
    std::string error;  // reported by start_tls, which tries again
    if (opt_.tls.enabled)
      tls_ = net::TlsEdge::make("output/" + sink_, opt_.tls, net::TlsRole::client, error);
  }

  Style style() const override { return Style::stream; }
  const std::string& where() const override { return where_; }
  bool connected() const override { return is_connected_; }

  asio::awaitable<std::string> connect() override {
    auto [ec, results] =
        co_await resolver_.async_resolve(opt_.host, std::to_string(opt_.port), use_tuple);
    if (closed_) co_return "closed";
    if (!ec) {
      auto [ec2, ep] = co_await asio::async_connect(sock_.socket(), results, use_tuple);
      if (closed_) co_return "closed";
      ec = ec2;
    }
    if (ec) {
      sock_.close();
      co_return "cannot connect to " + where_ + ": " + ec.message();
    }
    boost::system::error_code ignored;
    sock_.socket().set_option(tcp::no_delay(true), ignored);
    if (opt_.tls.enabled) {
      std::string why = co_await start_tls();
      if (closed_) co_return "closed";
      if (!why.empty()) co_return why;
    }
    is_connected_ = true;
    ++gen_;
    if (opt_.ack) unacked_.new_connection();
    co_return std::string();
  }

  asio::awaitable<void> receive() override {
    const std::uint64_t g = gen_;
    char buf[4096];
    for (;;) {
      auto [ec, n] = co_await sock_.read_some(asio::buffer(buf));
      if (g != gen_ || closed_ || ending_) co_return;
      if (opt_.ack && n > 0) {
        on_acks(std::string_view(buf, n));
        if (g != gen_ || closed_) co_return;  // an observer may have stopped us
      }
      if (ec) {
        drop();
        outbox().lost("disconnected from " + where_ + " (peer closed: " + ec.message() + ")");
        co_return;
      }
    }
  }

  std::size_t batch_size(const AlertQueue& q) const override {
    std::size_t n = 0, bytes = 0;
    for (; n < q.waiting() && n < kTcpBatchAlerts && bytes < kTcpBatchBytes; ++n)
      bytes += q[n].alert->json.size();
    return n;
  }

  std::size_t room() const override {
    return opt_.ack ? unacked_.room() : std::numeric_limits<std::size_t>::max();
  }

  asio::awaitable<Delivery> deliver(const std::vector<AlertPtr>& batch) override {
    const std::uint64_t g = gen_;
    std::vector<asio::const_buffer> bufs;
    bufs.reserve(batch.size());
    for (const auto& a : batch) bufs.push_back(asio::buffer(a->json));
    // In the window before the write: an ack may come before the write completes.
    if (opt_.ack)
      for (const auto& a : batch) unacked_.push(a);
    auto [ec, n] = co_await sock_.write(bufs);
    if (closed_ || g != gen_)  // closed, or dropped meanwhile (lost() was reported)
      co_return opt_.ack ? Delivery::handed() : Delivery::retry("dropped");
    if (ec) {
      drop();
      std::string why = "disconnected from " + where_ + " (write failed: " + ec.message() + ")";
      if (!opt_.ack) co_return Delivery::retry(std::move(why));
      outbox().lost(std::move(why));  // the window, this batch included, goes back
      co_return Delivery::handed();
    }
    if (opt_.ack) co_return Delivery::handed();  // settled when acknowledged (on_acks)
    if (opt_.resend_window.count() > 0) {
      const auto now = std::chrono::steady_clock::now();
      for (const auto& a : batch) {
        recent_bytes_ += a->json.size();
        recent_.push_back({a, now});
      }
      prune(now);
    }
    co_return Delivery::delivered();
  }

  std::size_t take_back(const std::function<void(AlertPtr, bool)>& give) override {
    std::size_t n = 0;
    if (opt_.ack) {  // everything unacknowledged goes out again first, in order
      n = unacked_.size();
      while (!unacked_.empty()) give(unacked_.pop_back(), false);
    }
    const auto now = std::chrono::steady_clock::now();
    while (!recent_.empty()) {
      Written w = std::move(recent_.back());
      recent_.pop_back();
      if (now - w.at <= opt_.resend_window) {
        give(std::move(w.alert), true);
        ++n;
      }
    }
    recent_bytes_ = 0;
    return n;
  }

  std::chrono::steady_clock::time_point tick_at() const override {
    if (!opt_.ack || unacked_.empty()) return std::chrono::steady_clock::time_point::max();
    return std::max(unacked_.last_progress(), stall_seen_) + kAckStall;
  }

  /// Warns about a receiver that does not acknowledge.
  void tick() override {
    if (!is_connected_ || unacked_.empty()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - std::max(unacked_.last_progress(), stall_seen_) < kAckStall) return;
    stall_seen_ = now;
    std::uint64_t quiet = 0;
    if (stall_log_.allow(&quiet))
      spdlog::warn(
          "sink {}: {} alerts written to {} have had no ack for {} s; the output has ack = true: "
          "does "
          "the receiver answer each line with {{\"ack\":\"<alert id>\"}}? ({} similar "
          "suppressed)",
          sink_, unacked_.size(), where_, kAckStall.count(), quiet);
  }

  /// With TLS: close_notify, and the receiver's seen by receive() (which then
  /// returns without reporting a lost connection), within kTlsShutdownTimeout.
  asio::awaitable<void> end() override {
    if (!is_connected_ || !sock_.tls()) co_return;
    ending_ = true;
    co_await sock_.shutdown();
    co_return;
  }

  void close() override {
    closed_ = true;
    drop();
    recent_.clear();
    recent_bytes_ = 0;
    resolver_.cancel();
  }

  void add_stats(SinkStats& st) const override {
    st.unacked = unacked_.size();
    st.ack_errors = ack_errors_;
  }

 private:
  struct Written {
    AlertPtr alert;
    std::chrono::steady_clock::time_point at;
  };

  /// Closes the connection; completions of its pending operations see a new
  /// generation and return.
  void drop() {
    is_connected_ = false;
    ++gen_;
    sock_.close();
  }

  /// The TLS handshake on the connected socket (the context is built again
  /// while it cannot be, e.g. a key file being replaced). "" or why not.
  asio::awaitable<std::string> start_tls() {
    std::string error;
    if (!tls_) tls_ = net::TlsEdge::make("output/" + sink_, opt_.tls, net::TlsRole::client, error);
    if (!tls_) {
      sock_.close();
      co_return "TLS to " + where_ + " not possible: " + error;
    }
    std::string_view reason;
    std::string why = co_await sock_.handshake_client(tls_->context(), opt_.tls, opt_.host,
                                                      kHandshakeTimeout, &reason);
    if (why.empty()) co_return why;
    tls_->count_failure(reason);
    co_return "TLS handshake with " + where_ + " failed: " + why;
  }

  void prune(std::chrono::steady_clock::time_point now) {
    while (!recent_.empty() && (now - recent_.front().at > opt_.resend_window ||
                                recent_bytes_ > opt_.queue.queue_bytes)) {
      recent_bytes_ -= recent_.front().alert->json.size();
      recent_.pop_front();
    }
  }

  /// Applies the receiver's ack lines (see detail::AckWindow for the rules).
  void on_acks(std::string_view bytes) {
    unacked_.feed(bytes);
    for (const auto& e : unacked_.errors()) {
      ++ack_errors_;
      std::uint64_t quiet = 0;
      if (ack_log_.allow(&quiet))
        spdlog::warn("sink {}: {} from {}: '{}' ({} similar suppressed)", sink_, e.what, where_,
                     e.text, quiet);
    }
    for (const auto& a : unacked_.acked()) outbox().confirm(a);
  }

  std::string sink_;  ///< the sink's name, for logs
  TcpSinkOptions opt_;
  std::string where_;
  net::SocketStream sock_;
  std::shared_ptr<net::TlsEdge> tls_;  ///< with tls: the client context (null while it cannot be)
  tcp::resolver resolver_;
  std::deque<Written> recent_;  ///< written, kept for the resend window
  std::size_t recent_bytes_ = 0;
  /// With ack: written (or being written) on this connection and not yet
  /// acknowledged; they still count in the queue (taken out, not settled).
  detail::AckWindow unacked_;
  std::chrono::steady_clock::time_point stall_seen_{};  ///< last no-ack check that warned
  std::uint64_t ack_errors_ = 0;
  std::uint64_t gen_ = 0;  ///< bumped on every connect and drop
  bool is_connected_ = false, closed_ = false;
  bool ending_ = false;  ///< end() runs: the connection closes on purpose
  RateLimiter ack_log_{std::chrono::seconds(10)}, stall_log_{std::chrono::seconds(60)};
};

}  // namespace

TcpSink::TcpSink(asio::io_context& io, const std::string& name, TcpSinkOptions opts)
    : QueuedSink(io, name, opts.queue, std::make_unique<TcpLink>(io, name, opts)) {}

bool TcpSink::connected() const {
  return link().connected();
}

}  // namespace newshound

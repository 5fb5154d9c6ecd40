// Stage: sink. TcpSink: one coroutine connects (with backoff) and writes batches
// from the queue; a second one per connection reads what the peer sends: with
// `ack`, the receiver's {"ack":"<alert id>"} lines (tcp_ack.hpp), which
// release alerts from the unacknowledged window; otherwise nothing it keeps, only
// to notice a closed connection while idle.
#include "newshound/sink/tcp_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <deque>
#include <random>
#include <vector>

#include "newshound/util/rate_limit.hpp"
#include "newshound/util/use_tuple.hpp"
#include "tcp_ack.hpp"

namespace newshound {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kBatchAlerts = 256;
constexpr std::size_t kBatchBytes = 1u << 20;
/// With ack: a warning when written alerts wait this long without any ack.
constexpr std::chrono::seconds kAckStall{30};
}  // namespace

struct TcpSink::Impl : std::enable_shared_from_this<Impl> {
  struct Entry {
    std::shared_ptr<const Alert> alert;
    bool counted = false;  ///< already counted in stats.sent (a resend)
  };
  struct Written {
    std::shared_ptr<const Alert> alert;
    std::chrono::steady_clock::time_point at;
  };

  asio::io_context& io;
  std::string name;
  TcpSinkOptions opt;
  tcp::socket sock;
  tcp::resolver resolver;
  asio::steady_timer wake, backoff, grace;
  std::deque<Entry> queue;
  std::deque<Written> recent;  ///< written, kept for the resend window
  std::size_t queued_bytes = 0, recent_bytes = 0;
  /// With ack: written (or being written) on this connection and not yet
  /// acknowledged; their bytes stay in queued_bytes.
  detail::AckWindow unacked;
  std::chrono::steady_clock::time_point stall_seen{};  ///< last no-ack check that warned
  SinkStats st;
  bool started = false, stopping = false, closed = false, is_connected = false;
  std::uint64_t gen = 0;  ///< bumped on every connect and drop
  unsigned attempt = 0;
  std::function<void()> done;
  std::function<void(const std::shared_ptr<const Alert>&)> on_sent;  ///< Sink::notify_sent
  std::minstd_rand rng{std::random_device{}()};
  RateLimiter connect_log{std::chrono::seconds(10)}, drop_log{std::chrono::seconds(10)};
  RateLimiter ack_log{std::chrono::seconds(10)}, stall_log{std::chrono::seconds(60)};

  Impl(asio::io_context& i, std::string n, TcpSinkOptions o)
      : io(i),
        name(std::move(n)),
        opt(std::move(o)),
        sock(i),
        resolver(i),
        wake(i),
        backoff(i),
        grace(i),
        unacked(opt.max_unacked) {}

  void push_front(std::shared_ptr<const Alert> a) {
    queued_bytes += a->json.size();
    queue.push_front({std::move(a), true});
  }

  /// Drops connection `g` (no-op if already dropped); requeues the resend window.
  void drop(const char* why, const boost::system::error_code& ec, std::uint64_t g) {
    if (g != gen || !is_connected) return;
    is_connected = false;
    ++gen;
    boost::system::error_code ignored;
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
    if (!closed) ++st.failed;
    const auto now = std::chrono::steady_clock::now();
    std::size_t resend = 0;
    if (opt.ack) {  // everything unacknowledged goes out again first, in order
      resend = unacked.size();
      while (!unacked.empty()) queue.push_front({unacked.pop_back(), false});
    }
    while (!recent.empty()) {
      Written w = std::move(recent.back());
      recent.pop_back();
      if (now - w.at <= opt.resend_window) {
        push_front(std::move(w.alert));
        ++resend;
      }
    }
    recent_bytes = 0;
    std::uint64_t quiet = 0;
    if (drop_log.allow(&quiet))
      spdlog::warn(
          "sink {}: disconnected from {}:{} ({}: {}); {} queued, {} to resend ({} similar "
          "suppressed)",
          name, opt.host, opt.port, why, ec.message(), queue.size(), resend, quiet);
    wake.cancel();
  }

  void finish() {
    if (closed) return;
    closed = true;
    if (!unacked.empty())
      spdlog::warn("sink {}: closing with {} alerts unsent ({} of them written, unacknowledged)",
                   name, queue.size() + unacked.size(), unacked.size());
    else if (!queue.empty())
      spdlog::warn("sink {}: closing with {} alerts unsent", name, queue.size());
    else
      spdlog::info("sink {}: closed", name);
    is_connected = false;
    ++gen;  // stale completions of the watcher and writer see a new generation
    recent.clear();
    recent_bytes = 0;
    boost::system::error_code ignored;
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
    resolver.cancel();
    wake.cancel();
    backoff.cancel();
    grace.cancel();
    if (done) asio::post(io, std::exchange(done, nullptr));
  }

  void prune(std::chrono::steady_clock::time_point now) {
    while (!recent.empty() &&
           (now - recent.front().at > opt.resend_window || recent_bytes > opt.queue.queue_bytes)) {
      recent_bytes -= recent.front().alert->json.size();
      recent.pop_front();
    }
  }

  /// Counts (and logs, rate-limited) a line of the receiver that is not a usable ack.
  void ack_error(const char* what, std::string_view text) {
    ++st.ack_errors;
    std::uint64_t quiet = 0;
    if (ack_log.allow(&quiet))
      spdlog::warn("sink {}: {} from {}:{}: '{}' ({} similar suppressed)", name, what, opt.host,
                   opt.port, text, quiet);
  }

  /// Applies the receiver's ack lines (see detail::AckWindow for the rules).
  void on_acks(std::string_view bytes) {
    unacked.feed(bytes);
    for (const auto& e : unacked.errors()) ack_error(e.what, e.text);
    for (const auto& a : unacked.acked()) {
      queued_bytes -= a->json.size();
      ++st.sent;
      if (on_sent) on_sent(a);
    }
    if (!unacked.acked().empty()) wake.cancel();
  }

  asio::awaitable<void> watch(std::shared_ptr<Impl> self, std::uint64_t g) {
    (void)self;  // held by the frame: keeps this Impl alive
    char buf[4096];
    if (opt.ack) unacked.new_connection();
    for (;;) {
      auto [ec, n] = co_await sock.async_read_some(asio::buffer(buf), use_tuple);
      if (g != gen || closed) co_return;
      if (opt.ack && n > 0) {
        on_acks(std::string_view(buf, n));
        if (g != gen || closed) co_return;  // an observer may have stopped us
      }
      if (ec) {
        drop("peer closed", ec, g);
        co_return;
      }
    }
  }

  asio::awaitable<bool> connect(std::shared_ptr<Impl> self) {
    auto [ec, results] =
        co_await resolver.async_resolve(opt.host, std::to_string(opt.port), use_tuple);
    if (closed) co_return false;
    if (!ec) {
      auto [ec2, ep] = co_await asio::async_connect(sock, results, use_tuple);
      if (closed) co_return false;
      ec = ec2;
    }
    if (ec) {
      ++st.failed;
      boost::system::error_code ignored;
      sock.close(ignored);
      std::uint64_t quiet = 0;
      if (connect_log.allow(&quiet))
        spdlog::warn("sink {}: cannot connect to {}:{}: {} ({} similar suppressed)", name, opt.host,
                     opt.port, ec.message(), quiet);
      co_return false;
    }
    boost::system::error_code ignored;
    sock.set_option(tcp::no_delay(true), ignored);
    is_connected = true;
    attempt = 0;
    ++gen;
    std::uint64_t quiet = 0;
    if (connect_log.allow(&quiet))
      spdlog::info("sink {}: connected to {}:{}", name, opt.host, opt.port);
    asio::co_spawn(io, watch(self, gen), asio::detached);
    co_return true;
  }

  asio::awaitable<void> wait_backoff() {
    using std::chrono::milliseconds;
    const auto shift = std::min(attempt++, 20u);
    const auto cap = std::min<milliseconds::rep>(opt.queue.backoff.max.count(),
                                                 opt.queue.backoff.initial.count() << shift);
    std::uniform_int_distribution<milliseconds::rep> pick(0, std::max<milliseconds::rep>(cap, 0));
    backoff.expires_after(milliseconds(pick(rng)));
    co_await backoff.async_wait(use_tuple);
    co_return;
  }

  /// Writes queued alerts on the current connection until it drops or we close.
  asio::awaitable<void> write_loop() {
    const std::uint64_t g = gen;
    std::vector<asio::const_buffer> bufs;
    std::vector<std::shared_ptr<const Alert>> batch;  // keeps the bytes alive
    while (!closed && is_connected && g == gen) {
      const std::size_t room = opt.ack ? unacked.room() : kBatchAlerts;
      if (queue.empty() || room == 0) {
        if (stopping && queue.empty() && unacked.empty()) {
          finish();
          co_return;
        }
        co_await wait_for_work(g);
        continue;
      }
      bufs.clear();
      batch.clear();
      std::size_t bytes = 0;
      for (std::size_t i = 0;
           i < queue.size() && i < kBatchAlerts && i < room && bytes < kBatchBytes; ++i) {
        batch.push_back(queue[i].alert);
        bufs.push_back(asio::buffer(batch.back()->json));
        bytes += batch.back()->json.size();
      }
      if (opt.ack) {
        // In the window before the write: an ack may come before the write completes.
        for (std::size_t i = 0; i < batch.size(); ++i) {
          unacked.push(std::move(queue.front().alert));
          queue.pop_front();
        }
      }
      auto [ec, n] = co_await asio::async_write(sock, bufs, use_tuple);
      if (closed || g != gen) co_return;
      if (ec) {
        drop("write failed", ec, g);
        co_return;
      }
      if (opt.ack) continue;  // counted sent when acknowledged (on_acks)
      const auto now = std::chrono::steady_clock::now();
      for (std::size_t i = 0; i < batch.size(); ++i) {
        Entry& e = queue.front();
        queued_bytes -= e.alert->json.size();
        if (!e.counted) {
          ++st.sent;
          if (on_sent) on_sent(e.alert);
        }
        if (opt.resend_window.count() > 0) {
          recent_bytes += e.alert->json.size();
          recent.push_back({std::move(e.alert), now});
        }
        queue.pop_front();
      }
      prune(now);
    }
    co_return;
  }

  /// Sleeps until submit(), an ack, a drop or stop() wakes the writer. With acks
  /// outstanding, also wakes after kAckStall without one, to warn about a receiver
  /// that does not acknowledge.
  asio::awaitable<void> wait_for_work(std::uint64_t g) {
    const bool waiting_acks = opt.ack && !unacked.empty();
    if (waiting_acks)
      wake.expires_at(std::max(unacked.last_progress(), stall_seen) + kAckStall);
    else
      wake.expires_at(asio::steady_timer::time_point::max());
    auto [ec] = co_await wake.async_wait(use_tuple);
    if (ec || closed || g != gen || !waiting_acks || unacked.empty()) co_return;
    const auto now = std::chrono::steady_clock::now();
    if (now - std::max(unacked.last_progress(), stall_seen) < kAckStall) co_return;
    stall_seen = now;
    std::uint64_t quiet = 0;
    if (stall_log.allow(&quiet))
      spdlog::warn(
          "sink {}: {} alerts written to {}:{} have had no ack for {} s; the output has "
          "ack = true: does the receiver answer each line with {{\"ack\":\"<alert id>\"}}? "
          "({} similar suppressed)",
          name, unacked.size(), opt.host, opt.port, kAckStall.count(), quiet);
    co_return;
  }

  asio::awaitable<void> run(std::shared_ptr<Impl> self) {
    while (!closed) {
      // Not `if (co_await ...)`: g++ 12 + UBSan miscompiles that (SIGILL).
      const bool up = co_await connect(self);
      if (up) co_await write_loop();
      if (closed) break;
      co_await wait_backoff();
    }
    co_return;  // explicit: g++ 12 with UBSan traps on falling off a coroutine
  }
};

TcpSink::TcpSink(asio::io_context& io, const std::string& name, TcpSinkOptions opts)
    : impl_(std::make_shared<Impl>(io, name, std::move(opts))) {
  impl_->on_sent = [this](const std::shared_ptr<const Alert>& a) { notify_sent(a); };
}

TcpSink::~TcpSink() {
  impl_->on_sent = nullptr;
  impl_->done = nullptr;
  impl_->finish();
}

const std::string& TcpSink::name() const {
  return impl_->name;
}

void TcpSink::start() {
  if (impl_->started || impl_->closed) return;
  impl_->started = true;
  asio::co_spawn(impl_->io, impl_->run(impl_), asio::detached);
}

bool TcpSink::submit(std::shared_ptr<const Alert> alert) {
  Impl& m = *impl_;
  const std::size_t n = alert->json.size();
  if (m.stopping || m.closed || m.queued_bytes + n > m.opt.queue.queue_bytes) {
    ++m.st.rejected;
    return false;
  }
  m.queued_bytes += n;
  m.queue.push_back({std::move(alert), false});
  ++m.st.accepted;
  m.wake.cancel();
  return true;
}

void TcpSink::stop(std::chrono::milliseconds grace, std::function<void()> done) {
  Impl& m = *impl_;
  if (m.stopping || m.closed) {
    if (done) asio::post(m.io, std::move(done));
    return;
  }
  m.stopping = true;
  m.done = std::move(done);
  if ((m.queue.empty() && m.unacked.empty()) || !m.started) {
    m.finish();
    return;
  }
  m.grace.expires_after(grace);
  m.grace.async_wait([self = impl_](const boost::system::error_code& ec) {
    if (!ec) self->finish();
  });
  m.wake.cancel();
}

SinkStats TcpSink::stats() const {
  SinkStats s = impl_->st;
  s.queued = impl_->queue.size() + impl_->unacked.size();
  s.unacked = impl_->unacked.size();
  s.queued_bytes = impl_->queued_bytes;
  return s;
}

bool TcpSink::connected() const {
  return impl_->is_connected;
}

}  // namespace newshound

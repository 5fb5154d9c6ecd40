// Stage: source. NDJSON over TCP: accept or dial, frame lines, hand batches to the
// consumer, and stop reading while too many batches are in flight (backpressure).
// A dialled feed that keeps closing at once is retried with a growing backoff
// (reset only once a connection proved healthy); repeating warnings are rate-limited.
// With tls, every connection is a TLS session (net::SocketStream): a client
// handshake after dialling, a server handshake after accepting. A little over
// 400 lines: accepting, dialling and the per-connection reader share Impl's state.
#include "newshound/source/tcp_input.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <list>

#include "newshound/net/listen.hpp"
#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_edge.hpp"
#include "newshound/source/ack_reply.hpp"
#include "newshound/source/line_framer.hpp"
#include "newshound/source/warn_limited.hpp"
#include "newshound/util/backoff.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
/// A dialled connection that lasted this long, or delivered a line, was healthy:
/// the reconnect backoff starts again from `reconnect_initial_ms` after it.
constexpr std::chrono::seconds kHealthyAfter{5};
/// A TLS handshake (either side) must finish within this.
constexpr std::chrono::seconds kHandshakeTimeout = net::kInputHandshakeTimeout;
using Stream = net::SocketStream;

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

double TcpInputStats::paused_seconds() const {
  const std::int64_t ongoing =
      static_cast<std::int64_t>(paused.load()) * steady_ns() - paused_start_sum_ns.load();
  return double(paused_ns_done.load() + ongoing) / 1e9;
}

struct TcpInput::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Mode m, TcpInputOptions o, LineConsumer& c)
      : io(io), mode(m), opt(std::move(o)), consumer(c), acceptor(io), retry(io) {}

  asio::io_context& io;
  Mode mode;
  TcpInputOptions opt;
  LineConsumer& consumer;
  tcp::acceptor acceptor;
  asio::steady_timer retry;
  TcpInputStats stats;
  bool stopping = false;
  std::list<std::weak_ptr<Stream>> sockets;
  /// With opt.tls.enabled: the edge's context (reloadable) and its handshake counts.
  std::shared_ptr<net::TlsEdge> tls;
  /// One per repeating message: a peer that fails or closes in a tight loop
  /// cannot flood the journal.
  RateLimiter accept_log, refuse_log, connect_fail_log, connected_log, closed_log, tls_log;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> connect_loop();
  asio::awaitable<void> read_loop(std::shared_ptr<Stream> sock, std::string peer);
  /// Connect mode: the TLS client handshake; "" or why it failed.
  asio::awaitable<std::string> start_tls(Stream& sock);
  struct Conn;
  void track(const std::shared_ptr<Stream>& s) {
    sockets.remove_if([](const auto& w) { return w.expired(); });
    sockets.push_back(s);
  }
};

TcpInput::TcpInput(asio::io_context& io, Mode mode, TcpInputOptions options, LineConsumer& consumer)
    : impl_(std::make_shared<Impl>(io, mode, std::move(options), consumer)) {}

TcpInput::~TcpInput() {
  stop();
}

const TcpInputOptions& TcpInput::options() const {
  return impl_->opt;
}
const TcpInputStats& TcpInput::stats() const {
  return impl_->stats;
}
void TcpInput::set_index(std::uint32_t input) {
  impl_->opt.input = input;
}

std::uint16_t TcpInput::local_port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::string TcpInput::bind() {
  if (impl_->mode != Mode::listen) return {};
  auto& opt = impl_->opt;
  if (opt.tls.enabled) {
    std::string error;
    impl_->tls = net::TlsEdge::make("input/" + opt.name, opt.tls, net::TlsRole::server, error);
    if (!impl_->tls) return "TLS: " + error;
  }
  return net::listen_on(impl_->acceptor, opt.host, opt.port);
}

void TcpInput::start() {
  auto self = impl_;
  if (impl_->mode == Mode::listen)
    asio::co_spawn(impl_->io, self->accept_loop(), asio::detached);
  else
    asio::co_spawn(impl_->io, self->connect_loop(), asio::detached);
}

void TcpInput::stop() {
  auto& i = *impl_;
  if (i.stopping) return;
  i.stopping = true;
  boost::system::error_code ec;
  i.acceptor.close(ec);
  i.retry.cancel();
  for (auto& w : i.sockets)
    if (auto s = w.lock()) s->close();
  i.sockets.clear();
}

bool TcpInput::busy() const {
  return impl_->stats.active.load() > 0;
}

asio::awaitable<void> TcpInput::Impl::accept_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    auto sock = std::make_shared<Stream>(io.get_executor());
    auto [ec] = co_await acceptor.async_accept(sock->socket(), use_tuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) break;
      warn_limited(accept_log, "input {}: accept failed: {}", opt.name, ec.message());
      retry.expires_after(std::chrono::milliseconds(100));
      co_await retry.async_wait(use_tuple);
      continue;
    }
    if (stats.active.load() >= opt.max_connections) {
      ++stats.refused;
      warn_limited(refuse_log,
                   "input {}: refusing connection: {} connections open (max_connections)", opt.name,
                   opt.max_connections);
      sock->close();
      continue;
    }
    boost::system::error_code pec;
    auto remote = sock->socket().remote_endpoint(pec);
    std::string peer =
        pec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
    track(sock);
    asio::co_spawn(io, read_loop(sock, std::move(peer)), asio::detached);
  }
}

asio::awaitable<void> TcpInput::Impl::connect_loop() {
  auto self = shared_from_this();
  Backoff backoff(opt.reconnect);
  tcp::resolver resolver(io);
  while (!stopping) {
    auto [rec, results] =
        co_await resolver.async_resolve(opt.host, std::to_string(opt.port), use_tuple);
    auto sock = std::make_shared<Stream>(io.get_executor());
    std::string why = rec ? rec.message() : "";
    if (!rec) {
      track(sock);
      auto [ec, ep] = co_await asio::async_connect(sock->socket(), results, use_tuple);
      why = ec ? ec.message() : "";
      if (!ec && opt.tls.enabled && !stopping) why = co_await start_tls(*sock);
    }
    if (stopping) break;
    if (!why.empty()) {
      ++stats.connect_failures;
      if (stats.connect_failures == 1 || backoff.bound() == opt.reconnect.max || opt.tls.enabled)
        warn_limited(connect_fail_log,
                     "input {}: cannot connect to {}:{}: {} (retrying, backoff up to {} ms)",
                     opt.name, opt.host, opt.port, why, opt.reconnect.max.count());
      retry.expires_after(backoff.next());
      co_await retry.async_wait(use_tuple);
      continue;
    }
    std::uint64_t suppressed = 0;
    if (connected_log.allow(&suppressed))
      spdlog::info("input {}: connected to {}:{}{}", opt.name, opt.host, opt.port,
                   suppressed ? fmt::format(" ({} similar messages suppressed)", suppressed) : "");
    const auto since = std::chrono::steady_clock::now();
    const std::uint64_t lines_before = stats.lines.load();
    co_await read_loop(sock, opt.host + ":" + std::to_string(opt.port));
    if (stopping) break;
    // Only a connection that delivered or lasted resets the backoff: a peer that
    // accepts and closes at once is retried ever more slowly, like one that refuses.
    if (stats.lines.load() > lines_before ||
        std::chrono::steady_clock::now() - since >= kHealthyAfter)
      backoff.reset();
    const auto delay = backoff.next();
    warn_limited(closed_log, "input {}: feed {}:{} closed the connection; reconnecting in {} ms",
                 opt.name, opt.host, opt.port, delay.count());
    retry.expires_after(delay);
    co_await retry.async_wait(use_tuple);
  }
}

asio::awaitable<std::string> TcpInput::Impl::start_tls(Stream& sock) {
  std::string error;
  if (!tls) tls = net::TlsEdge::make("input/" + opt.name, opt.tls, net::TlsRole::client, error);
  if (!tls) {
    sock.close();
    co_return "TLS not possible: " + error;
  }
  std::string_view reason;
  std::string why =
      co_await sock.handshake_client(tls->context(), opt.tls, opt.host, kHandshakeTimeout, &reason);
  if (why.empty()) co_return why;
  tls->count_failure(reason);
  co_return "TLS handshake failed: " + why;
}

/// The state of one connection shared with the consumer's callbacks: batches and
/// bytes in flight, the acknowledgement writer (ack mode) and the idle watchdog.
/// Reading waits on `wake`, which every change that may let it go on cancels.
struct TcpInput::Impl::Conn final : LineAcks, std::enable_shared_from_this<Conn> {
  Conn(std::shared_ptr<Impl> owner, std::shared_ptr<Stream> s)
      : impl(std::move(owner)), sock(std::move(s)), wake(impl->io), idle(impl->io) {}

  std::shared_ptr<Impl> impl;
  std::shared_ptr<Stream> sock;
  asio::steady_timer wake, idle;
  std::size_t batches = 0, bytes = 0;
  bool idled = false;  // the watchdog closed the connection
  // Acknowledged mode.
  std::uint64_t expected = 0, settled_lines = 0;
  std::string pending, writing;
  bool write_failed = false;

  void finished(std::size_t batch_bytes) {
    --batches;
    bytes -= batch_bytes;
    wake.cancel();
  }
  void settled(std::optional<std::string_view> article_id) override {
    ++settled_lines;
    if (article_id && !write_failed) {
      append_ack_reply(pending, *article_id);
      ++impl->stats.acks;
      flush();
    }
    wake.cancel();
  }
  void flush() {
    if (!writing.empty() || pending.empty() || write_failed) return;
    writing.swap(pending);
    asio::co_spawn(impl->io, write_acks(shared_from_this()), asio::detached);
  }
  static asio::awaitable<void> write_acks(std::shared_ptr<Conn> self) {
    auto [ec, n] = co_await self->sock->write(asio::buffer(self->writing));
    (void)n;
    self->writing.clear();
    if (ec) self->write_failed = true;
    self->flush();
    self->wake.cancel();
  }
  /// Acknowledgement bytes not yet written (bounded like the in-flight bytes).
  std::size_t ack_backlog() const { return pending.size() + writing.size(); }
  bool acks_done() const {
    return write_failed || (settled_lines == expected && writing.empty() && pending.empty());
  }
  /// Arms the idle watchdog before a read (no-op when idle_timeout is 0).
  void arm_idle() {
    if (impl->opt.idle_timeout.count() == 0) return;
    idled = false;
    idle.expires_after(impl->opt.idle_timeout);
    idle.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      // A stale expiry (the read completed meanwhile and the timer was re-armed) is ignored.
      if (ec || !self || self->idle.expiry() > asio::steady_timer::clock_type::now()) return;
      self->idled = true;
      boost::system::error_code ignored;
      self->sock->socket().cancel(ignored);
    });
  }
  asio::awaitable<void> wait() {
    wake.expires_at(asio::steady_timer::time_point::max());
    co_await wake.async_wait(use_tuple);
  }
};

asio::awaitable<void> TcpInput::Impl::read_loop(std::shared_ptr<Stream> sock, std::string peer) {
  auto self = shared_from_this();
  if (mode == Mode::listen && tls) {
    ++stats.active;  // a handshake holds a slot of max_connections too
    std::string_view reason;
    std::string why = co_await sock->handshake_server(tls->context(), kHandshakeTimeout, &reason);
    --stats.active;
    if (!why.empty()) {
      if (!stopping) tls->count_failure(reason);
      if (!stopping)
        warn_limited(tls_log, "input {}: TLS handshake with {} failed: {}", opt.name, peer, why);
      co_return;
    }
  }
  ++stats.connections;
  ++stats.active;
  spdlog::debug("input {}: connection from {}", opt.name, peer);
  LineFramer framer(opt.max_line_bytes);
  const std::uint64_t stream = new_stream_id();
  std::uint64_t seq = 0;
  auto conn = std::make_shared<Conn>(self, sock);
  std::shared_ptr<LineAcks> acks;
  if (opt.ack && mode == Mode::listen) acks = conn;
  const bool watch_idle = mode == Mode::listen;
  bool eof = false, clean_eof = false;
  while (!eof) {
    auto space = framer.prepare();
    if (watch_idle) conn->arm_idle();
    auto [ec, n] = co_await sock->read_some(asio::buffer(space.data(), space.size()));
    if (watch_idle) conn->idle.cancel();
    LineBatch batch;
    batch.received_at = Clock::now();
    batch.input = opt.input;
    batch.stream = stream;
    std::string_view line;
    LineFramer::Event ev;
    if (ec) {
      eof = true;
      if (conn->idled) {
        ++stats.idle_timeouts;
        spdlog::info("input {}: closed {}: nothing received for {} ms (idle_timeout_ms)", opt.name,
                     peer, opt.idle_timeout.count());
      } else if (ec != asio::error::eof && ec != asio::error::operation_aborted && !stopping) {
        spdlog::debug("input {}: connection from {} failed: {}", opt.name, peer, ec.message());
      }
      if (ec == asio::error::eof) {  // a last line without '\n' still counts
        clean_eof = true;
        while ((ev = framer.finish(line)) != LineFramer::Event::need_more) {
          if (ev == LineFramer::Event::line)
            batch.add(line);
          else
            ++batch.oversize;
        }
      }
    } else {
      stats.bytes += n;
      framer.commit(n);
      while ((ev = framer.next(line)) != LineFramer::Event::need_more) {
        if (ev == LineFramer::Event::line)
          batch.add(line);
        else
          ++batch.oversize;
      }
    }
    if (batch.empty()) continue;
    stats.lines += batch.lines.size();
    stats.oversize += batch.oversize;
    batch.seq = seq++;
    batch.acks = acks;
    conn->expected += batch.lines.size();
    const std::size_t batch_bytes = batch.bytes.size();
    ++conn->batches;
    conn->bytes += batch_bytes;
    consumer.consume(std::move(batch), [conn, batch_bytes] { conn->finished(batch_bytes); });
    // Backpressure: stop reading while too much of this connection is in flight
    // (or its acknowledgements are not being read); TCP flow control does the rest.
    auto over = [&] {
      return conn->batches >= opt.max_inflight_batches || conn->bytes >= opt.max_inflight_bytes ||
             conn->ack_backlog() >= opt.max_inflight_bytes;
    };
    if (over() && !stopping) {
      const std::int64_t since = steady_ns();
      ++stats.paused;
      stats.paused_start_sum_ns += since;
      while (over() && !stopping && !conn->write_failed) co_await conn->wait();
      stats.paused_start_sum_ns -= since;
      --stats.paused;
      stats.paused_ns_done += steady_ns() - since;
    }
  }
  // Acknowledged mode: the feed may have half-closed its side and still wait for
  // the acknowledgements of what it sent.
  while (acks && clean_eof && !stopping && !conn->acks_done()) co_await conn->wait();
  // A TLS session we end (the feed closed, or idled out) gets a close_notify;
  // stopping closes at once.
  if (!stopping && sock->tls()) co_await sock->shutdown();
  sock->close();
  --stats.active;
  consumer.end_stream(stream);
  spdlog::debug("input {}: connection from {} closed", opt.name, peer);
}

}  // namespace newshound

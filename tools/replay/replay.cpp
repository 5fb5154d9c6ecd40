// Tool: newshound-replay, sends an NDJSON feed file to a newshound TCP input,
// optionally at a fixed rate and in a loop. Retries the connection until the
// daemon is up (bounded by --wait). With --ack it speaks the acknowledged mode
// (`ack = true` on the input): it keeps every article the daemon has not yet
// acknowledged with {"ack":"<id>"}, and after a lost connection reconnects and
// sends those again, until all are acknowledged, or until --timeout bounds the
// whole wait (then it exits 1 saying how many lines were not acknowledged).
// With --tls-ca / --tls-cert / --tls-key the feed goes over TLS (the daemon's own
// layer, net::SocketStream). One io_context on one thread: in ack mode the writer
// and the ack reader are two coroutines on the same connection (and TLS session).
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_context.hpp"
#include "newshound/util/use_tuple.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using newshound::use_tuple;
using newshound::net::SocketStream;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7301;
  double rate = 0;
  double wait_s = 10;
  double timeout_s = 0;
  std::string id_pointer = "/uri";
  newshound::net::TlsOptions tls;                   ///< enabled by any --tls-* option
  std::shared_ptr<asio::ssl::context> tls_context;  ///< built from `tls` at start
};

/// Connects (and with TLS, handshakes), retrying the connection until `wait_s`
/// passes. False (with a message) on failure; a failed handshake is not retried.
asio::awaitable<bool> connect(SocketStream& sock, const Options& o) {
  auto ex = co_await asio::this_coro::executor;
  const auto give_up = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(o.wait_s));
  for (;;) {
    tcp::resolver r(ex);
    auto [ec, eps] = co_await r.async_resolve(o.host, std::to_string(o.port), use_tuple);
    if (!ec)
      std::tie(ec, std::ignore) = co_await asio::async_connect(sock.socket(), eps, use_tuple);
    if (!ec) break;
    boost::system::error_code ignored;
    sock.socket().close(ignored);
    if (Clock::now() > give_up) {
      std::fprintf(stderr,
                   "newshound-replay: cannot connect to %s:%u: %s (is the daemon running? raise "
                   "--wait)\n",
                   o.host.c_str(), o.port, ec.message().c_str());
      co_return false;
    }
    asio::steady_timer t(ex, std::chrono::milliseconds(100));
    co_await t.async_wait(use_tuple);
  }
  if (!o.tls.enabled) co_return true;
  const std::string why =
      co_await sock.handshake_client(o.tls_context, o.tls, o.host, std::chrono::seconds(10));
  if (why.empty()) co_return true;
  std::fprintf(stderr, "newshound-replay: TLS handshake with %s:%u failed: %s\n", o.host.c_str(),
               o.port, why.c_str());
  co_return false;
}

/// Best effort: the article id the daemon will acknowledge ("" when not found).
std::string article_id(const std::string& line, const std::string& pointer) {
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec) return {};
  const auto* id = v.find_pointer(pointer, ec);
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

/// Writes lines, coalesced into writes of up to 256 KiB. A real feed at full
/// speed sends in bulk; one write per article would measure the replayer's
/// system calls and the kernel's small segments rather than the daemon. With a
/// rate, each line goes out when it is due (one write per line while on
/// schedule); lines that fall behind schedule go out together.
class LineWriter {
 public:
  LineWriter(SocketStream& sock, double rate) : sock_(sock), rate_(rate) {
    out_.reserve(kWriteBytes);
  }
  /// Queues one line (writing what is due first). False once a write failed.
  asio::awaitable<bool> add(const std::string& line) {
    if (rate_ > 0) {
      const auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(double(lines_) / rate_));
      if (due > Clock::now()) {
        if (!co_await flush()) co_return false;
        asio::steady_timer t(co_await asio::this_coro::executor, due);
        co_await t.async_wait(use_tuple);
      }
    }
    out_ += line;
    ++lines_;
    co_return out_.size() < kWriteBytes || co_await flush();
  }
  /// Writes what is queued. False on a write error (then error() says which).
  asio::awaitable<bool> flush() {
    if (!out_.empty()) std::tie(ec_, std::ignore) = co_await sock_.write(asio::buffer(out_));
    out_.clear();
    co_return !ec_;
  }
  const boost::system::error_code& error() const { return ec_; }

 private:
  static constexpr std::size_t kWriteBytes = 256 * 1024;
  SocketStream& sock_;
  double rate_;
  std::string out_;
  std::uint64_t lines_ = 0;
  boost::system::error_code ec_;
  const Clock::time_point start_ = Clock::now();
};

/// Sends `batch` on `sock` and half-closes (unless `half_close` is false);
/// counts lines into `sent`.
asio::awaitable<bool> send_lines(SocketStream& sock, const std::vector<const std::string*>& batch,
                                 double rate, std::uint64_t& sent, boost::system::error_code& ec,
                                 bool half_close = true) {
  LineWriter out(sock, rate);
  for (const std::string* line : batch) {
    if (!co_await out.add(*line)) {
      ec = out.error();
      co_return false;
    }
    ++sent;
  }
  if (!co_await out.flush()) {
    ec = out.error();
    co_return false;
  }
  if (half_close)
    sock.socket().shutdown(tcp::socket::shutdown_send, ec);  // TLS too: the daemon reads EOF
  co_return true;
}

/// How long plain mode over TLS waits for the daemon's close_notify.
constexpr std::chrono::minutes kByeTimeout{2};

/// Runs `f` (a coroutine returning int) on a fresh io_context; its result.
template <class F>
int run(F f) {
  asio::io_context io(1);
  int rc = 2;
  asio::co_spawn(io, f(), [&](std::exception_ptr e, int r) {
    if (!e) rc = r;
  });
  io.run();
  return rc;
}

/// Plain mode: send every line `loops` times, then half-close.
asio::awaitable<int> send_plain(const std::vector<std::string>& lines, unsigned loops,
                                const Options& o) {
  SocketStream sock(co_await asio::this_coro::executor);
  if (!co_await connect(sock, o)) co_return 2;
  std::vector<const std::string*> batch;
  for (unsigned l = 0; l < loops; ++l)
    for (const auto& line : lines) batch.push_back(&line);
  std::uint64_t sent = 0;
  boost::system::error_code ec;
  if (!co_await send_lines(sock, batch, o.rate, sent, ec, !o.tls.enabled)) {
    std::fprintf(stderr, "newshound-replay: write failed after %llu lines: %s\n",
                 static_cast<unsigned long long>(sent), ec.message().c_str());
    co_return 2;
  }
  // TLS: end with close_notify and wait for the daemon's, which it sends once it
  // read everything. Closing at once could reset the connection (the daemon's
  // unread TLS 1.3 session tickets sit in our receive buffer) and the daemon
  // would lose what it had not read yet.
  if (o.tls.enabled) co_await sock.shutdown(kByeTimeout);
  std::fprintf(stderr, "newshound-replay: sent %llu lines to %s:%u%s\n",
               static_cast<unsigned long long>(sent), o.host.c_str(), o.port,
               o.tls.enabled ? " (TLS)" : "");
  co_return 0;
}

/// Acknowledged mode: one round per connection; each round sends what is still
/// unacknowledged, half-closes, and reads acks until the daemon closes.
asio::awaitable<int> send_acked(const std::vector<std::string>& lines, const Options& o) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::size_t> unacked;  // id -> copies not yet acknowledged
  std::size_t untracked = 0;
  for (const auto& l : lines) {
    ids.push_back(article_id(l, o.id_pointer));
    if (ids.back().empty())
      ++untracked;
    else
      ++unacked[ids.back()];
  }
  if (untracked)
    std::fprintf(stderr,
                 "newshound-replay: %zu line(s) have no string at %s: sent once, not tracked\n",
                 untracked, o.id_pointer.c_str());
  // --timeout bounds the whole wait for acks, across reconnects.
  std::optional<Clock::time_point> deadline;
  if (o.timeout_s > 0)
    deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.timeout_s));
  std::uint64_t sent = 0, acked = 0, rounds = 0;
  bool first = true, late = false;
  auto gave_up = [&] {
    std::size_t lines_left = 0;
    for (const auto& [id, copies] : unacked) lines_left += copies;
    std::fprintf(stderr,
                 "newshound-replay: %zu line(s) not acknowledged within --timeout %g s (%llu "
                 "acknowledged); is `ack = true` set on the daemon's input, and are its outputs "
                 "delivering?\n",
                 lines_left, o.timeout_s, static_cast<unsigned long long>(acked));
    return 1;
  };
  while (!unacked.empty() || first) {
    if (late || (deadline && Clock::now() > *deadline)) co_return gave_up();
    auto sock = std::make_shared<SocketStream>(ex);
    if (!co_await connect(*sock, o)) co_return 2;
    ++rounds;
    // What to send this round: the untracked lines only the first time.
    auto batch = std::make_shared<std::vector<const std::string*>>();
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (ids[i].empty() ? first : unacked.count(ids[i]) != 0) batch->push_back(&lines[i]);
    first = false;
    // The writer runs beside the reader on this thread (one connection, one session).
    auto writing = std::make_shared<bool>(true);
    asio::co_spawn(
        ex,
        [sock, batch, writing, &sent, rate = o.rate]() -> asio::awaitable<void> {
          boost::system::error_code ec;  // the reader sees the connection go too
          co_await send_lines(*sock, *batch, rate, sent, ec);
          *writing = false;
        },
        asio::detached);
    // --timeout: the deadline closes the connection under the reader.
    asio::steady_timer timer(ex);
    if (deadline) {
      timer.expires_at(*deadline);
      timer.async_wait([sock, &late](boost::system::error_code ec) {
        if (ec) return;
        late = true;
        sock->close();
      });
    }
    std::string pending;
    char chunk[4096];
    for (;;) {  // ends when closed (all settled, or the daemon went away) or at the deadline
      auto [ec, n] = co_await sock->read_some(asio::buffer(chunk));
      if (ec) break;
      pending.append(chunk, n);
      for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
        const std::string id = article_id(pending.substr(0, nl), "/ack");
        pending.erase(0, nl + 1);
        auto it = unacked.find(id);
        if (it == unacked.end()) continue;
        ++acked;
        if (--it->second == 0) unacked.erase(it);
      }
    }
    timer.cancel();
    sock->close();      // also ends a writer still waiting
    while (*writing) {  // the writer lets go of the batch before the next round
      asio::steady_timer t(ex, std::chrono::milliseconds(1));
      co_await t.async_wait(use_tuple);
    }
    if (late) co_return gave_up();
    if (!unacked.empty()) {
      std::fprintf(stderr,
                   "newshound-replay: connection closed with %zu article(s) unacknowledged; "
                   "reconnecting to send them again\n",
                   unacked.size());
      asio::steady_timer t(ex, std::chrono::milliseconds(100));
      co_await t.async_wait(use_tuple);
    }
  }
  std::fprintf(stderr,
               "newshound-replay: sent %llu lines in %llu connection(s), %llu acknowledged\n",
               static_cast<unsigned long long>(sent), static_cast<unsigned long long>(rounds),
               static_cast<unsigned long long>(acked));
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"newshound-replay: send an NDJSON feed to a newshound TCP input"};
  std::string file;
  Options o;
  unsigned loops = 1;
  bool ack = false;
  app.add_option("file", file, "NDJSON file, one article per line ('-' for stdin)")->required();
  app.add_option("--host", o.host, "Daemon host")->capture_default_str();
  app.add_option("--port", o.port, "Daemon input port")->capture_default_str();
  app.add_option("--rate", o.rate, "Articles per second (0 = as fast as possible)");
  app.add_option("--loops", loops, "Send the file this many times (not with --ack)")
      ->capture_default_str();
  app.add_option("--wait", o.wait_s, "Seconds to keep retrying each connection")
      ->capture_default_str();
  app.add_flag("--ack", ack,
               "Acknowledged mode (input with ack = true): resend what was not acknowledged after "
               "a reconnect; exit 0 once everything is acknowledged");
  app.add_option("--id-pointer", o.id_pointer,
                 "With --ack: JSON Pointer of the article id the daemon acknowledges")
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_s,
                 "With --ack: give up (exit 1, saying how many lines were not acknowledged) "
                 "when not everything is acknowledged this many seconds after the start, "
                 "reconnects included; 0 = wait forever")
      ->capture_default_str();
  app.add_option("--tls-ca", o.tls.ca_file,
                 "Speak TLS, verifying the daemon's certificate (and --host) against this PEM CA; "
                 "without it, TLS verifies against the system trust store");
  app.add_option("--tls-cert", o.tls.crt_file,
                 "Speak TLS, presenting this PEM client certificate (mutual TLS; with --tls-key)");
  app.add_option("--tls-key", o.tls.key_file, "PEM private key of --tls-cert");
  CLI11_PARSE(app, argc, argv);
  o.tls.enabled = !o.tls.ca_file.empty() || !o.tls.crt_file.empty() || !o.tls.key_file.empty();
  if (o.tls.enabled) {
    auto built = newshound::net::make_tls_context(o.tls, newshound::net::TlsRole::client);
    if (!built.context) {
      std::fprintf(stderr, "newshound-replay: TLS: %s\n", built.error.c_str());
      return 2;
    }
    o.tls_context = std::move(built.context);
  }

  std::vector<std::string> lines;
  {
    std::ifstream f;
    std::istream* in = &std::cin;
    if (file != "-") {
      f.open(file, std::ios::binary);
      if (!f) {
        std::fprintf(stderr, "newshound-replay: cannot open %s (check the path)\n", file.c_str());
        return 2;
      }
      in = &f;
    }
    for (std::string l; std::getline(*in, l);) lines.push_back(l + "\n");
  }
  return ack ? run([&] { return send_acked(lines, o); })
             : run([&] { return send_plain(lines, loops, o); });
}

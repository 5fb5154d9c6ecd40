// Tool: newshound-replay, sends an NDJSON feed file to a newshound TCP input,
// optionally at a fixed rate and in a loop. Retries the connection until the
// daemon is up (bounded by --wait). With --ack it speaks the acknowledged mode
// (`ack = true` on the input): it keeps every article the daemon has not yet
// acknowledged with {"ack":"<id>"}, and after a lost connection reconnects and
// sends those again, until all are acknowledged, or until --timeout bounds the
// whole wait (then it exits 1 saying how many lines were not acknowledged).
#include <poll.h>
#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7301;
  double rate = 0;
  double wait_s = 10;
  double timeout_s = 0;
  std::string id_pointer = "/uri";
};

/// Connects, retrying until `wait_s` passes. False (with a message) on failure.
bool connect(tcp::socket& sock, const Options& o) {
  asio::io_context& io = static_cast<asio::io_context&>(sock.get_executor().context());
  auto give_up = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.wait_s);
  for (;;) {
    boost::system::error_code ec;
    tcp::resolver r(io);
    auto eps = r.resolve(o.host, std::to_string(o.port), ec);
    if (!ec) asio::connect(sock, eps, ec);
    if (!ec) return true;
    boost::system::error_code ignored;
    sock.close(ignored);  // not into `ec`: that would say "Success" below
    if (std::chrono::steady_clock::now() > give_up) {
      std::fprintf(stderr,
                   "newshound-replay: cannot connect to %s:%u: %s (is the daemon running? raise "
                   "--wait)\n",
                   o.host.c_str(), o.port, ec.message().c_str());
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

/// Best effort: the article id the daemon will acknowledge ("" when not found).
std::string article_id(const std::string& line, const std::string& pointer) {
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec) return {};
  const auto* id = v.find_pointer(pointer, ec);
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

/// Reads one '\n'-terminated line into `line` (without the newline). False when
/// the connection ended, or when `deadline` (if any) passed first (`*late` set).
bool read_line(tcp::socket& sock, std::string& pending, std::string& line,
               const std::optional<std::chrono::steady_clock::time_point>& deadline, bool* late) {
  for (;;) {
    if (const auto nl = pending.find('\n'); nl != std::string::npos) {
      line.assign(pending, 0, nl);
      pending.erase(0, nl + 1);
      return true;
    }
    if (deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
      pollfd p{sock.native_handle(), POLLIN, 0};
      const int ready =
          left.count() <= 0
              ? 0
              : ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
      if (ready == 0) {
        *late = true;
        return false;
      }
      if (ready < 0 && errno != EINTR) return false;
      if (ready < 0) continue;
    }
    char chunk[4096];
    boost::system::error_code ec;
    const std::size_t n = sock.read_some(asio::buffer(chunk), ec);
    if (ec) return false;
    pending.append(chunk, n);
  }
}

/// Writes lines to the socket, coalesced into writes of up to 256 KiB. A real feed
/// at full speed sends in bulk; one write per article would measure the
/// replayer's system calls and the kernel's small segments rather than the daemon.
/// With a rate, each line goes out when it is due (one write per line while on
/// schedule); lines that fall behind schedule go out together.
class LineWriter {
 public:
  LineWriter(tcp::socket& sock, double rate) : sock_(sock), rate_(rate) {
    out_.reserve(kWriteBytes);
  }
  /// Queues one line (writing what is due first). False once a write failed.
  bool add(const std::string& line, boost::system::error_code& ec) {
    if (rate_ > 0) {
      const auto due = start_ + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::duration<double>(double(lines_) / rate_));
      if (due > std::chrono::steady_clock::now()) {
        if (!flush(ec)) return false;
        std::this_thread::sleep_until(due);
      }
    }
    out_ += line;
    ++lines_;
    return out_.size() < kWriteBytes || flush(ec);
  }
  /// Writes what is queued. False on a write error.
  bool flush(boost::system::error_code& ec) {
    if (!out_.empty()) asio::write(sock_, asio::buffer(out_), ec);
    out_.clear();
    return !ec;
  }

 private:
  static constexpr std::size_t kWriteBytes = 256 * 1024;
  tcp::socket& sock_;
  double rate_;
  std::string out_;
  std::uint64_t lines_ = 0;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Plain mode: send every line `loops` times, then half-close.
int send_plain(const std::vector<std::string>& lines, unsigned loops, const Options& o) {
  asio::io_context io;
  tcp::socket sock(io);
  if (!connect(sock, o)) return 2;
  LineWriter writer(sock, o.rate);
  std::uint64_t sent = 0;
  boost::system::error_code ec;
  auto failed = [&] {
    std::fprintf(stderr, "newshound-replay: write failed after %llu lines: %s\n",
                 static_cast<unsigned long long>(sent), ec.message().c_str());
    return 2;
  };
  for (unsigned l = 0; l < loops; ++l)
    for (const auto& line : lines) {
      if (!writer.add(line, ec)) return failed();
      ++sent;
    }
  if (!writer.flush(ec)) return failed();
  sock.shutdown(tcp::socket::shutdown_send, ec);
  std::fprintf(stderr, "newshound-replay: sent %llu lines to %s:%u\n",
               static_cast<unsigned long long>(sent), o.host.c_str(), o.port);
  return 0;
}

/// Acknowledged mode: one round per connection; each round sends what is still
/// unacknowledged, half-closes, and reads acks until the daemon closes.
int send_acked(const std::vector<std::string>& lines, const Options& o) {
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
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (o.timeout_s > 0)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(o.timeout_s));
  std::uint64_t sent = 0, acked = 0, rounds = 0;
  bool first = true, late = false;
  std::mutex mu;
  auto gave_up = [&] {
    std::size_t lines_left = 0;
    {
      std::lock_guard l(mu);
      for (const auto& [id, copies] : unacked) lines_left += copies;
    }
    std::fprintf(stderr,
                 "newshound-replay: %zu line(s) not acknowledged within --timeout %g s (%llu "
                 "acknowledged); is `ack = true` set on the daemon's input, and are its outputs "
                 "delivering?\n",
                 lines_left, o.timeout_s, static_cast<unsigned long long>(acked));
    return 1;
  };
  while (!unacked.empty() || first) {
    if (late || (deadline && std::chrono::steady_clock::now() > *deadline)) return gave_up();
    asio::io_context io;
    tcp::socket sock(io);
    if (!connect(sock, o)) return 2;
    ++rounds;
    // What to send this round: the untracked lines only the first time.
    std::vector<const std::string*> batch;
    {
      std::lock_guard l(mu);
      for (std::size_t i = 0; i < lines.size(); ++i)
        if (ids[i].empty() ? first : unacked.count(ids[i]) != 0) batch.push_back(&lines[i]);
    }
    first = false;
    std::thread writer([&sock, &batch, &sent, &o] {
      LineWriter out(sock, o.rate);
      boost::system::error_code ec;
      for (const std::string* line : batch) {
        if (!out.add(*line, ec)) return;  // the reader sees the connection go too
        ++sent;
      }
      if (out.flush(ec)) sock.shutdown(tcp::socket::shutdown_send, ec);
    });
    std::string pending, reply;
    // Ends when closed (all settled, or the daemon went away) or at the deadline.
    while (read_line(sock, pending, reply, deadline, &late)) {
      const std::string id = article_id(reply, "/ack");
      std::lock_guard l(mu);
      auto it = unacked.find(id);
      if (it == unacked.end()) continue;
      ++acked;
      if (--it->second == 0) unacked.erase(it);
    }
    boost::system::error_code ec;
    sock.shutdown(tcp::socket::shutdown_both, ec);  // also ends a writer still blocked
    writer.join();
    if (late) return gave_up();
    if (!unacked.empty()) {
      std::fprintf(stderr,
                   "newshound-replay: connection closed with %zu article(s) unacknowledged; "
                   "reconnecting to send them again\n",
                   unacked.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  std::fprintf(stderr,
               "newshound-replay: sent %llu lines in %llu connection(s), %llu acknowledged\n",
               static_cast<unsigned long long>(sent), static_cast<unsigned long long>(rounds),
               static_cast<unsigned long long>(acked));
  return 0;
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
  CLI11_PARSE(app, argc, argv);

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
  return ack ? send_acked(lines, o) : send_plain(lines, loops, o);
}

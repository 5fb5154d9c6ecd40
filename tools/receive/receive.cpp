// Tool: newshound-receive, a TCP alert receiver: listens, serves every connection,
// and appends every received line to stdout (or a file). With --ack it speaks the
// acknowledged delivery of a tcp output with `ack = true`: it answers each alert
// line with {"ack":"<alert id>"} once the line is written (and flushed, or synced
// with --fsync) to its output. With --stats it counts alert ids, duplicates among
// them (including the lines already in the --out file), and prints a summary on
// SIGTERM or SIGINT. With --tls-cert and --tls-key it serves TLS (and with
// --tls-ca requires client certificates from that CA), like a TLS alert receiver,
// and answers a close_notify with its own.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_set>

#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_context.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxLine = 64u << 20;  ///< a connection sending longer lines is dropped

struct Receiver {
  int fd = 1;
  std::string out_name = "stdout";
  bool ack = false, fsync = false, track = false;
  std::unordered_set<std::string> seen;     ///< alert ids (with --stats or --ack)
  std::shared_ptr<asio::ssl::context> tls;  ///< with --tls-cert: serve TLS
  std::uint64_t lines = 0, dups = 0, no_id = 0, connections = 0, preloaded = 0;

  /// The alert id of an NDJSON alert line, or "" when it has none.
  static std::string id_of(std::string_view line) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) return {};
    const auto* id = v.get_object().if_contains("id");
    return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
  }

  /// Counts one line's id; returns it ("" when none).
  std::string count(std::string_view line) {
    std::string id = id_of(line);
    if (id.empty())
      ++no_id;
    else if (!seen.insert(id).second)
      ++dups;
    return id;
  }

  /// Reads the ids already in the output file, and ends a partial last line (a
  /// previous run killed mid-write) so that new lines start clean.
  bool preload(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::string line;
    bool partial = false;
    while (std::getline(f, line)) {
      partial = f.eof();  // the last line had no newline
      if (track) count(line);
      ++preloaded;
    }
    if (partial) {
      std::fprintf(stderr,
                   "newshound-receive: %s ended in a partial line (a run killed while writing); "
                   "ending it with a newline\n",
                   path.c_str());
      return write_all("\n");
    }
    return true;
  }

  bool write_all(std::string_view s) {
    while (!s.empty()) {
      const ssize_t w = ::write(fd, s.data(), s.size());
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        std::fprintf(stderr, "newshound-receive: cannot write to %s: %s\n", out_name.c_str(),
                     std::strerror(errno));
        return false;
      }
      s.remove_prefix(static_cast<std::size_t>(w));
    }
    return !fsync || ::fsync(fd) == 0 || errno == EINVAL;  // EINVAL: a pipe
  }

  void summary() const {
    std::fprintf(stderr,
                 "newshound-receive: summary: lines=%llu ids=%zu duplicates=%llu no_id=%llu "
                 "connections=%llu (counts include %llu line(s) already in %s)\n",
                 static_cast<unsigned long long>(lines + preloaded), seen.size(),
                 static_cast<unsigned long long>(dups), static_cast<unsigned long long>(no_id),
                 static_cast<unsigned long long>(connections),
                 static_cast<unsigned long long>(preloaded), out_name.c_str());
  }

  /// One connection: whole lines are written out as they come, then acknowledged.
  asio::awaitable<void> serve(std::shared_ptr<newshound::net::SocketStream> s) {
    auto& sock = *s;
    if (tls) {
      const std::string why = co_await sock.handshake_server(tls, std::chrono::seconds(30));
      if (!why.empty()) {
        std::fprintf(stderr, "newshound-receive: TLS handshake failed: %s\n", why.c_str());
        co_return;
      }
    }
    ++connections;
    std::string buf, out, acks;
    std::vector<char> chunk(1u << 16);
    for (;;) {
      auto [ec, n] = co_await sock.read_some(asio::buffer(chunk));
      buf.append(chunk.data(), n);
      out.clear();
      acks.clear();
      std::size_t start = 0, nl;
      while ((nl = buf.find('\n', start)) != std::string::npos) {
        const std::string_view line(buf.data() + start, nl - start + 1);
        out.append(line);
        ++lines;
        if (track) {
          const std::string id = count(line);
          if (ack && !id.empty()) acks.append("{\"ack\":\"").append(id).append("\"}\n");
        }
        start = nl + 1;
      }
      buf.erase(0, start);
      if (!out.empty() && !write_all(out)) std::exit(2);
      if (!acks.empty()) {
        auto [wec, wn] = co_await sock.write(asio::buffer(acks));
        if (wec) break;
      }
      if (ec) break;
      if (buf.size() > kMaxLine) {
        std::fprintf(stderr, "newshound-receive: a line longer than %zu bytes; dropping the peer\n",
                     kMaxLine);
        break;
      }
    }
    // TLS: our close_notify back (the sender's end, or ours after an error).
    if (sock.tls()) co_await sock.shutdown();
    co_return;
  }

  asio::awaitable<void> accept(tcp::acceptor& acceptor) {
    for (;;) {
      auto sock = std::make_shared<newshound::net::SocketStream>(acceptor.get_executor());
      auto [ec] = co_await acceptor.async_accept(sock->socket(), use_tuple);
      if (ec) co_return;
      asio::co_spawn(acceptor.get_executor(), serve(std::move(sock)), asio::detached);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"newshound-receive: print alert lines that a newshound tcp output sends"};
  std::string host = "127.0.0.1", out_path;
  std::uint16_t port = 7302;
  bool stats = false;
  Receiver r;
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port to listen on")->capture_default_str();
  app.add_option("--out", out_path, "Append lines to this file instead of stdout");
  app.add_flag("--ack", r.ack,
               "Answer each alert line with {\"ack\":\"<alert id>\"} once it is written (for a tcp "
               "output with ack = true)");
  app.add_flag("--fsync", r.fsync, "fsync the output before acknowledging (with --out)");
  app.add_flag("--stats", stats,
               "Count alert ids and duplicates (including lines already in --out); print a "
               "summary on SIGTERM or SIGINT");
  newshound::net::TlsOptions tls = newshound::net::server_tls_defaults();
  app.add_option("--tls-cert", tls.crt_file,
                 "Serve TLS with this PEM certificate (with --tls-key)");
  app.add_option("--tls-key", tls.key_file, "PEM private key of --tls-cert");
  app.add_option("--tls-ca", tls.ca_file,
                 "Require client certificates from this PEM CA (mutual TLS; with --tls-cert)");
  CLI11_PARSE(app, argc, argv);
  r.track = stats || r.ack;
  if (!tls.crt_file.empty() || !tls.key_file.empty() || !tls.ca_file.empty()) {
    tls.verify_certificate = !tls.ca_file.empty();
    auto built = newshound::net::make_tls_context(tls, newshound::net::TlsRole::server);
    if (!built.context) {
      std::fprintf(stderr, "newshound-receive: %s\n", built.error.c_str());
      return 2;
    }
    r.tls = std::move(built.context);
  }

  if (!out_path.empty()) {
    r.out_name = out_path;
    r.fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (r.fd < 0) {
      std::fprintf(stderr, "newshound-receive: cannot open %s: %s (check the path)\n",
                   out_path.c_str(), std::strerror(errno));
      return 2;
    }
    if (!r.preload(out_path)) return 2;
  }
  asio::io_context io;
  boost::system::error_code ec;
  tcp::acceptor acceptor(io);
  tcp::endpoint ep(asio::ip::make_address(host, ec), port);
  if (!ec) acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "newshound-receive: cannot listen on %s:%u: %s\n", host.c_str(), port,
                 ec.message().c_str());
    return 2;
  }
  std::fprintf(stderr, "newshound-receive: listening on %s:%u%s\n", host.c_str(),
               acceptor.local_endpoint().port(), r.tls ? " (TLS)" : "");
  std::signal(SIGPIPE, SIG_IGN);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& e, int) {
    if (e) return;
    if (stats) r.summary();
    io.stop();
  });
  asio::co_spawn(io, r.accept(acceptor), asio::detached);
  io.run();
  return 0;
}

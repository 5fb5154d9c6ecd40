// Benchmark (not a test): the CPU cost of net::SocketStream alone, TLS or plain,
// over 127.0.0.1: one thread writes MB megabytes as the tcp output does (batches
// of 1 KiB alert lines gathered into one write of `batch` lines), another reads
// them as the tcp input does (read_some into 64 KiB and more). Each side's CPU
// seconds (CLOCK_THREAD_CPUTIME_ID, after the handshake) are printed, so a busy
// shared machine disturbs the figure far less than wall time. Built and run by
// tools/bench/tls_stream_bench.sh (against this tree and an older revision).
//
//   tls_stream_bench CERT_DIR MB TLS(0|1) [BATCH_LINES]
#include <time.h>

#include <boost/asio.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "newshound/net/socket_stream.hpp"
#include "newshound/net/tls_context.hpp"
#include "newshound/util/use_tuple.hpp"

namespace asio = boost::asio;
using newshound::use_tuple;
using newshound::net::SocketStream;

namespace {

double thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

newshound::net::TlsOptions tls_opts(const std::string& dir, bool server) {
  newshound::net::TlsOptions o =
      server ? newshound::net::server_tls_defaults() : newshound::net::TlsOptions{};
  o.enabled = true;
  if (server) {
    o.crt_file = dir + "/server.pem";
    o.key_file = dir + "/server.key";
  } else {
    o.ca_file = dir + "/ca.pem";
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: tls_stream_bench CERT_DIR MB TLS(0|1) [BATCH_LINES]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::size_t total = std::strtoull(argv[2], nullptr, 10) * 1000000;
  const bool tls = std::atoi(argv[3]) != 0;
  const std::size_t batch = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 256;
  auto sctx =
      newshound::net::make_tls_context(tls_opts(dir, true), newshound::net::TlsRole::server);
  auto cctx =
      newshound::net::make_tls_context(tls_opts(dir, false), newshound::net::TlsRole::client);
  if (!sctx.context || !cctx.context) {
    std::fprintf(stderr, "%s%s\n", sctx.error.c_str(), cctx.error.c_str());
    return 2;
  }
  asio::io_context sio(1), cio(1);
  asio::ip::tcp::acceptor acc(sio, {asio::ip::address_v4::loopback(), 0});
  const auto port = acc.local_endpoint().port();
  double read_cpu = 0, write_cpu = 0;
  std::size_t got = 0;
  std::thread reader([&] {
    SocketStream s(sio.get_executor());
    asio::co_spawn(
        sio,
        [&]() -> asio::awaitable<void> {
          co_await acc.async_accept(s.socket(), use_tuple);
          if (tls && !(co_await s.handshake_server(sctx.context, std::chrono::seconds(10))).empty())
            co_return;
          const double start = thread_cpu();
          std::vector<char> buf(256 * 1024);
          for (;;) {
            auto [ec, n] = co_await s.read_some(asio::buffer(buf.data(), 64 * 1024));
            got += n;
            if (ec) break;
          }
          read_cpu = thread_cpu() - start;
          if (tls) co_await s.shutdown();
        },
        asio::detached);
    sio.run();
  });
  std::thread writer([&] {
    SocketStream s(cio.get_executor());
    asio::co_spawn(
        cio,
        [&]() -> asio::awaitable<void> {
          co_await s.socket().async_connect({asio::ip::address_v4::loopback(), port}, use_tuple);
          if (tls && !(co_await s.handshake_client(cctx.context, tls_opts(dir, false), "127.0.0.1",
                                                   std::chrono::seconds(10)))
                          .empty())
            co_return;
          const double start = thread_cpu();
          std::string line(1023, 'x');
          line += '\n';
          std::vector<asio::const_buffer> bufs(batch, asio::buffer(line));
          for (std::size_t sent = 0; sent < total; sent += batch * line.size()) {
            auto [ec, n] = co_await s.write(bufs);
            if (ec) break;
          }
          write_cpu = thread_cpu() - start;
          if (tls)
            co_await s.shutdown(std::chrono::seconds(30));
          else
            s.close();
        },
        asio::detached);
    cio.run();
  });
  writer.join();
  reader.join();
  const double mb = static_cast<double>(got) / 1e6;
  std::printf(
      "%s: %.0f MB; read side %.3f CPU s (%.0f MB per CPU second), write side %.3f CPU s (%.0f MB "
      "per CPU second)\n",
      tls ? "tls" : "plain", mb, read_cpu, mb / read_cpu, write_cpu, mb / write_cpu);
  return got >= total ? 0 : 1;
}

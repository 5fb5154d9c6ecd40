// Tool: newshound-receive, a TCP alert receiver: listens, accepts connections
// one after another, and prints every received line to stdout (or a file).
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <cstdio>
#include <istream>
#include <string>

namespace asio = boost::asio;
using asio::ip::tcp;

int main(int argc, char** argv) {
  CLI::App app{"newshound-receive: print alert lines that a newshound tcp output sends"};
  std::string host = "127.0.0.1", out_path;
  std::uint16_t port = 7302;
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port to listen on")->capture_default_str();
  app.add_option("--out", out_path, "Append lines to this file instead of stdout");
  CLI11_PARSE(app, argc, argv);

  std::FILE* out = stdout;
  if (!out_path.empty() && !(out = std::fopen(out_path.c_str(), "a"))) {
    std::fprintf(stderr, "newshound-receive: cannot open %s\n", out_path.c_str());
    return 2;
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
  for (;;) {
    tcp::socket sock(io);
    acceptor.accept(sock, ec);
    if (ec) continue;
    asio::streambuf buf;
    for (;;) {
      std::size_t n = asio::read_until(sock, buf, '\n', ec);
      if (ec) break;
      std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + n);
      buf.consume(n);
      std::fputs(line.c_str(), out);
      std::fflush(out);
    }
  }
}

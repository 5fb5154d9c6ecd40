// Tool: newshound-replay, sends an NDJSON feed file to a newshound TCP input,
// optionally at a fixed rate and in a loop. Retries the connection until the
// daemon is up (bounded by --wait).
#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;

int main(int argc, char** argv) {
  CLI::App app{"newshound-replay: send an NDJSON feed to a newshound TCP input"};
  std::string file, host = "127.0.0.1";
  std::uint16_t port = 7301;
  double rate = 0;
  unsigned loops = 1;
  double wait_s = 10;
  app.add_option("file", file, "NDJSON file, one article per line ('-' for stdin)")->required();
  app.add_option("--host", host, "Daemon host")->capture_default_str();
  app.add_option("--port", port, "Daemon input port")->capture_default_str();
  app.add_option("--rate", rate, "Articles per second (0 = as fast as possible)");
  app.add_option("--loops", loops, "Send the file this many times")->capture_default_str();
  app.add_option("--wait", wait_s, "Seconds to keep retrying the connection")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> lines;
  {
    std::ifstream f;
    std::istream* in = &std::cin;
    if (file != "-") {
      f.open(file, std::ios::binary);
      if (!f) {
        std::fprintf(stderr, "newshound-replay: cannot open %s\n", file.c_str());
        return 2;
      }
      in = &f;
    }
    for (std::string l; std::getline(*in, l);) lines.push_back(l + "\n");
  }

  asio::io_context io;
  tcp::socket sock(io);
  auto give_up = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_s);
  for (;;) {
    boost::system::error_code ec;
    tcp::resolver r(io);
    auto eps = r.resolve(host, std::to_string(port), ec);
    if (!ec) asio::connect(sock, eps, ec);
    if (!ec) break;
    if (std::chrono::steady_clock::now() > give_up) {
      std::fprintf(stderr, "newshound-replay: cannot connect to %s:%u: %s\n", host.c_str(), port,
                   ec.message().c_str());
      return 2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sent = 0;
  for (unsigned l = 0; l < loops; ++l)
    for (const auto& line : lines) {
      if (rate > 0)
        std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                  std::chrono::duration<double>(sent / rate)));
      boost::system::error_code ec;
      asio::write(sock, asio::buffer(line), ec);
      if (ec) {
        std::fprintf(stderr, "newshound-replay: write failed after %llu lines: %s\n",
                     static_cast<unsigned long long>(sent), ec.message().c_str());
        return 2;
      }
      ++sent;
    }
  boost::system::error_code ec;
  sock.shutdown(tcp::socket::shutdown_send, ec);
  std::fprintf(stderr, "newshound-replay: sent %llu lines to %s:%u\n",
               static_cast<unsigned long long>(sent), host.c_str(), port);
  return 0;
}

// Tests (end-to-end): a downstream TCP receiver that stalls until told to read,
// for tests of backpressure (an output that cannot deliver). Only 127.0.0.1.
#pragma once

#include <sys/socket.h>

#include <set>

#include "e2e/harness.hpp"
#include "e2e/hostile_util.hpp"

namespace e2e {

/// A downstream that accepts the daemon's connection but reads nothing until
/// start_reading(); then it collects the article ids of the alerts it receives.
class StalledReceiver {
 public:
  StalledReceiver() : acceptor_(io_) {
    acceptor_.open(tcp::v4());
    // A small receive buffer, set before listen() so the accepted socket has it:
    // the stall reaches the daemon after a few kilobytes, not megabytes.
    acceptor_.set_option(asio::socket_base::receive_buffer_size(4096));
    acceptor_.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    acceptor_.listen();
    thread_ = std::thread([this] { serve(); });
  }
  ~StalledReceiver() {
    stop_ = true;
    reading_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (sock_) ::shutdown(sock_->native_handle(), SHUT_RDWR);
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void start_reading() { reading_ = true; }
  std::size_t distinct() {
    std::lock_guard l(mu_);
    return ids_.size();
  }

 private:
  void serve() {
    sock_ = std::make_shared<tcp::socket>(io_);
    boost::system::error_code ec;
    acceptor_.accept(*sock_, ec);
    if (ec) return;
    while (!reading_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    asio::streambuf buf;
    while (!stop_) {
      std::size_t n = asio::read_until(*sock_, buf, '\n', ec);
      if (ec) return;
      std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + n - 1);
      buf.consume(n);
      std::lock_guard l(mu_);
      ids_.insert(hostile::article_of(line));
    }
  }
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<tcp::socket> sock_;
  std::thread thread_;
  std::atomic<bool> reading_{false}, stop_{false};
  std::mutex mu_;
  std::set<std::string> ids_;
};

}  // namespace e2e

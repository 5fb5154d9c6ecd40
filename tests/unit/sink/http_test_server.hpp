// Stage: sink tests (also used by tests/e2e). A scripted HTTP/1.1 server on
// 127.0.0.1 (Boost.Beast, blocking, one thread per connection) that records every
// request and answers as the test's script says: status, headers, body, closing
// the connection, answering late, or never answering. With a TLS context it
// serves HTTPS (Boost.Asio SSL), counts the handshakes that failed and the
// clients that ended their session with a close_notify.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sinktest {

/// One request as the server received it.
struct HttpExchange {
  std::string method, target, body;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::size_t connection = 0;                  ///< 1-based connection number
};

/// What to answer.
struct HttpReply {
  int status = 200;
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
  bool close = false;                  ///< send "Connection: close" and close afterwards
  bool hang = false;                   ///< send nothing; wait until the client gives up
  std::chrono::milliseconds delay{0};  ///< wait this long before answering
};

/// A port that was free a moment ago on 127.0.0.1.
inline std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

class HttpTestServer {
 public:
  /// Called for each request with its 0-based index over the server's life.
  using Script = std::function<HttpReply(std::size_t index, const HttpExchange&)>;

  explicit HttpTestServer(Script script = {}, std::uint16_t port = 0,
                          std::shared_ptr<boost::asio::ssl::context> tls = nullptr)
      : script_(std::move(script)),
        tls_(std::move(tls)),
        acceptor_(io_,
                  boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), port)) {
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~HttpTestServer() {
    stop_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);  // wakes accept()
    accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard l(mu_);
      for (auto& s : sockets_) ::shutdown(s->native_handle(), SHUT_RDWR);
      threads = std::move(threads_);
    }
    for (auto& t : threads) t.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t connections() const { return connections_; }
  /// With TLS: connections whose handshake failed (nothing was read from them).
  std::size_t tls_failures() const { return tls_failures_; }
  /// With TLS: sessions that ended with a close_notify exchange (the server sends
  /// its own when the exchange is over and counts the client's answer).
  std::size_t tls_clean_closes() const { return tls_clean_closes_; }
  std::vector<HttpExchange> requests() {
    std::lock_guard l(mu_);
    return requests_;
  }
  /// Waits until at least `n` requests arrived (or `timeout`); returns the count.
  std::size_t wait_for(std::size_t n,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (requests().size() < n && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return requests().size();
  }

 private:
  void accept_loop() {
    while (!stop_) {
      auto sock = std::make_shared<boost::asio::ip::tcp::socket>(io_);
      boost::system::error_code ec;
      acceptor_.accept(*sock, ec);
      if (ec || stop_) return;
      const std::size_t number = ++connections_;
      std::lock_guard l(mu_);
      sockets_.push_back(sock);
      threads_.emplace_back([this, sock, number] { serve(*sock, number); });
    }
  }

  void serve(boost::asio::ip::tcp::socket& sock, std::size_t number) {
    if (!tls_) {
      exchange(sock, sock, number);
    } else {
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> s(sock, *tls_);
      boost::system::error_code ec;
      s.handshake(boost::asio::ssl::stream_base::server, ec);
      if (ec) {
        ++tls_failures_;
      } else {
        exchange(s, sock, number);
        s.shutdown(ec);  // close_notify both ways; fails at once if the client just closed
        if (!ec) ++tls_clean_closes_;
      }
    }
    boost::system::error_code ignored;
    sock.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  }

  template <class Stream>
  void exchange(Stream& sock, boost::asio::ip::tcp::socket&, std::size_t number) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      boost::system::error_code ec;
      http::read(sock, buf, req, ec);
      if (ec) break;
      HttpExchange ex;
      ex.method = std::string(req.method_string());
      ex.target = std::string(req.target());
      ex.body = req.body();
      ex.connection = number;
      for (const auto& f : req) {
        std::string k(f.name_string());
        for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        ex.headers[k] = std::string(f.value());
      }
      std::size_t index = 0;
      {
        std::lock_guard l(mu_);
        index = requests_.size();
        requests_.push_back(ex);
      }
      const HttpReply r = script_ ? script_(index, ex) : HttpReply{};
      if (r.hang) {
        char c;
        sock.read_some(boost::asio::buffer(&c, 1), ec);  // until the client closes
        break;
      }
      if (r.delay.count() > 0) std::this_thread::sleep_for(r.delay);
      http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
      for (const auto& [k, v] : r.headers) res.set(k, v);
      res.body() = r.body;
      res.keep_alive(!r.close && req.keep_alive());
      res.prepare_payload();
      http::write(sock, res, ec);
      if (ec || !res.keep_alive()) break;
    }
  }

  Script script_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::atomic<std::size_t> tls_failures_{0};
  std::atomic<std::size_t> tls_clean_closes_{0};
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread accept_thread_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::mutex mu_;
  std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::vector<std::thread> threads_;
  std::vector<HttpExchange> requests_;
};

}  // namespace sinktest

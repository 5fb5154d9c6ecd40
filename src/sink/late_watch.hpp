// Stage: sink (private). WebhookSink's late-answer watch: a timed-out request's
// connection (plain or TLS), kept open up to kLateWatch for an answer the
// receiver may still send, and the count of late 2xx answers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>

#include "newshound/util/use_tuple.hpp"
#include "response_prefix.hpp"

namespace newshound::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

/// A webhook connection over TLS.
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

/// How long a timed-out request's connection stays open for a late answer.
inline constexpr std::chrono::seconds kLateWatch{60};

/// A timed-out request's connection, kept open up to kLateWatch for the answer
/// the receiver may still send: a late 2xx means the receiver took the alerts
/// (which are posted again anyway). Shared by the link and the watching coroutine,
/// so either may go first.
struct LateWatch {
  explicit LateWatch(asio::ip::tcp::socket s) : plain(std::move(s)) {}
  LateWatch(std::unique_ptr<TlsStream> t, std::shared_ptr<asio::ssl::context> c)
      : plain(t->get_executor()), ctx(std::move(c)), tls(std::move(t)) {}
  beast::tcp_stream plain;                  ///< the connection, when not TLS
  std::shared_ptr<asio::ssl::context> ctx;  ///< outlives tls
  std::unique_ptr<TlsStream> tls;           ///< the connection, when TLS
  beast::flat_buffer buffer;
  beast::tcp_stream& transport() { return tls ? tls->next_layer() : plain; }
  void close() {
    boost::system::error_code ignored;
    transport().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    transport().close();
  }
};

/// Late 2xx answers: shared by the link and its LateWatch coroutines.
struct LateCount {
  std::uint64_t ok = 0;
};

/// Waits for the late answer on `w`, counts a 2xx, closes.
inline asio::awaitable<void> watch_late(std::shared_ptr<LateWatch> w,
                                        std::shared_ptr<LateCount> count) {
  http::response_parser<PrefixBody> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  w->transport().expires_after(kLateWatch);
  auto [ec, n] = w->tls ? co_await http::async_read_header(*w->tls, w->buffer, parser, use_tuple)
                        : co_await http::async_read_header(w->plain, w->buffer, parser, use_tuple);
  (void)n;
  if (!ec && parser.is_header_done()) {
    const auto status = parser.get().result_int();
    if (status >= 200 && status < 300) ++count->ok;
  }
  w->close();
  co_return;
}

}  // namespace newshound::detail

// Stage: source. HttpInput's listener and lifecycle: bind (and the TLS edge with
// tls), accept within max_connections, the TLS server handshake, stop; the room
// for bodies (http_input_impl.hpp). Each connection is served by http_session.cpp.
#include "newshound/source/http_input.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "http_input_impl.hpp"
#include "newshound/net/beast_tls.hpp"
#include "newshound/net/listen.hpp"
#include "newshound/source/input_metrics.hpp"
#include "newshound/source/warn_limited.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

HttpInput::HttpInput(asio::io_context& io, TcpInputOptions listen, HttpInputOptions options,
                     LineConsumer& consumer)
    : impl_(std::make_shared<Impl>(io, std::move(listen), std::move(options), consumer)) {}

HttpInput::~HttpInput() {
  stop();
}

const HttpInputStats& HttpInput::stats() const {
  return impl_->stats;
}

void HttpInput::set_index(std::uint32_t input) {
  impl_->opt.input = input;
}

std::uint16_t HttpInput::local_port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::string HttpInput::bind() {
  auto& opt = impl_->opt;
  if (opt.tls.enabled) {
    std::string error;
    impl_->tls = net::TlsEdge::make("input/" + opt.name, opt.tls, net::TlsRole::server, error);
    if (!impl_->tls) return "TLS: " + error;
  }
  return net::listen_on(impl_->acceptor, opt.host, opt.port);
}

void HttpInput::start() {
  if (!impl_->acceptor.is_open() || impl_->stopping) return;
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
}

void HttpInput::stop() {
  auto& i = *impl_;
  if (i.stopping) return;
  i.stopping = true;
  boost::system::error_code ec;
  i.acceptor.close(ec);
  i.retry.cancel();
  for (auto& w : i.streams)
    if (auto s = w.lock()) s->socket().close(ec);
  i.streams.clear();
  i.wake_all();
}

bool HttpInput::busy() const {
  return impl_->stats.active.load() > 0;
}

asio::awaitable<void> HttpInput::Impl::wait(asio::steady_timer& timer,
                                            std::chrono::steady_clock::time_point deadline) {
  if (stopping) co_return;
  timer.expires_at(deadline);
  waiting.insert(&timer);
  co_await timer.async_wait(use_tuple);
  waiting.erase(&timer);
}

asio::awaitable<void> HttpInput::Impl::accept_loop() {
  auto self = shared_from_this();
  while (!stopping) {
    auto [ec, sock] = co_await acceptor.async_accept(use_tuple);
    if (stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
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
      sock.close(ec);
      continue;
    }
    boost::system::error_code pec;
    const auto remote = sock.remote_endpoint(pec);
    std::string peer =
        pec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
    auto stream = std::make_shared<beast::tcp_stream>(std::move(sock));
    streams.remove_if([](const auto& w) { return w.expired(); });
    streams.push_back(stream);
    asio::co_spawn(io, serve(std::move(stream), std::move(peer)), asio::detached);
  }
}

namespace {
/// One HTTPS connection's TLS state, with the context it started with (a reload
/// swaps the edge's context; this connection keeps its own).
struct HttpTlsConn {
  HttpTlsConn(std::shared_ptr<asio::ssl::context> c, std::shared_ptr<beast::tcp_stream> t)
      : ctx(std::move(c)), tcp(std::move(t)), tls(*tcp, *ctx) {}
  std::shared_ptr<asio::ssl::context> ctx;
  std::shared_ptr<beast::tcp_stream> tcp;
  HttpTlsStream tls;
};
}  // namespace

asio::awaitable<void> HttpInput::Impl::serve(std::shared_ptr<beast::tcp_stream> stream,
                                             std::string peer) {
  auto self = shared_from_this();
  if (!tls) {
    co_await session(std::move(stream), std::move(peer));
    co_return;
  }
  auto conn = std::make_shared<HttpTlsConn>(tls->context(), std::move(stream));
  ++stats.active;  // a handshake holds a slot of max_connections too
  const net::TlsHandshakeResult r = co_await net::beast_tls_handshake(
      conn->tls, asio::ssl::stream_base::server, net::kInputHandshakeTimeout);
  --stats.active;
  if (!r.ok()) {
    if (!stopping) {
      tls->count_failure(r.reason);
      warn_limited(tls_log, "input {}: TLS handshake with {} failed: {}", opt.name, peer, r.why);
    }
    boost::system::error_code ec;
    conn->tcp->socket().close(ec);
    co_return;
  }
  // Outside the co_await expression: GCC 12 mishandles its non-trivial temporaries.
  std::shared_ptr<HttpTlsStream> tls_stream(conn, &conn->tls);
  co_await session(std::move(tls_stream), std::move(peer));
}

}  // namespace newshound

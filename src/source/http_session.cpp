// Stage: source. One connection of an http input (HttpInput::Impl::session):
// Beast parses each request within bounds (header 16 KiB, body max_body_bytes,
// the idle timeout on every read); path, method, token and Content-Type are
// checked before the body is read, and the body only once the input has room
// for it (else 503); its records go to the consumer as one acknowledged batch,
// and the answer waits until each one settled (accept_timeout_ms, else 503).
// A template on the stream type: plain (beast::tcp_stream) or TLS over it
// (HttpTlsStream); a TLS session we end on purpose gets a close_notify.
#include <spdlog/spdlog.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <vector>

#include "http_input_impl.hpp"
#include "newshound/net/beast_tls.hpp"
#include "newshound/source/push_body.hpp"
#include "newshound/source/warn_limited.hpp"
#include "newshound/util/bearer.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using SteadyClock = std::chrono::steady_clock;

namespace {

/// A request waits this long at most for room before it gets 503.
constexpr std::chrono::milliseconds kRoomWait{1000};
/// Seconds a 503 asks the client to wait (Retry-After).
constexpr int kRetryAfter = 1;
/// After an error answer: how long and how much of the rest we discard so the
/// client reads the answer before the connection closes.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr std::chrono::seconds kWriteTime{30};

using Response = http::response<http::string_body>;

Response json_response(http::status status, unsigned version, std::string body) {
  Response res{status, version};
  res.set(http::field::server, "newshound");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response error_response(http::status status, unsigned version, std::string_view error,
                        std::string_view message) {
  return json_response(
      status, version,
      "{\"error\":\"" + std::string(error) + "\",\"message\":\"" + std::string(message) + "\"}\n");
}

Response unavailable(unsigned version, std::string_view message) {
  Response res = error_response(http::status::service_unavailable, version, "unavailable", message);
  res.set(http::field::retry_after, std::to_string(kRetryAfter));
  return res;
}

template <class Stream>
void set_deadline(Stream& s, std::chrono::milliseconds d) {
  auto& lowest = beast::get_lowest_layer(s);
  if (d.count() > 0)
    lowest.expires_after(d);
  else
    lowest.expires_never();
}

/// The channel the ledger settles one request's records through.
struct PushAcks final : LineAcks {
  PushAcks(asio::io_context& io, std::vector<std::uint32_t> n) : wake(io), numbers(std::move(n)) {}
  asio::steady_timer wake;
  std::vector<std::uint32_t> numbers;
  std::size_t done = 0, accepted = 0;
  std::vector<PushRejected> rejected;

  bool complete() const { return done == numbers.size(); }
  void settled(std::optional<std::string_view> article_id) override {
    // No id: the matcher failed on it, or a reload removed the output it was routed
    // to before it delivered.
    if (!article_id) return refused("not_delivered");
    ++accepted;
    next();
  }
  void refused(std::string_view reason) override {
    if (done < numbers.size()) rejected.push_back({numbers[done], reason});
    next();
  }
  void next() {
    ++done;
    if (complete()) wake.cancel();
  }
};

std::string result_json(std::size_t accepted, std::vector<PushRejected> rejected) {
  std::stable_sort(rejected.begin(), rejected.end(),
                   [](const auto& a, const auto& b) { return a.line < b.line; });
  std::string out = "{\"accepted\":" + std::to_string(accepted) + ",\"rejected\":[";
  for (std::size_t i = 0; i < rejected.size(); ++i)
    out += (i ? "," : "") + std::string("{\"line\":") + std::to_string(rejected[i].line) +
           ",\"reason\":\"" + std::string(rejected[i].reason) + "\"}";
  return out + "]}\n";
}

/// Writes `res` (closing after it unless `keep`); false when the write failed.
/// By reference: a coroutine parameter built from a temporary is a GCC 12 hazard.
template <class Stream>
asio::awaitable<bool> write(Stream& stream, Response& res, bool keep) {
  res.keep_alive(keep);
  res.prepare_payload();
  set_deadline(stream, kWriteTime);
  auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
  co_return !ec;
}

/// Half-closes, discards what the client still sends (bounded), closes. The
/// bytes are discarded as they come off the socket (under TLS too: no
/// close_notify here, the client may still be sending its body).
template <class Stream>
asio::awaitable<void> linger_close(Stream& stream) {
  auto& lowest = beast::get_lowest_layer(stream);
  auto& sock = lowest.socket();
  boost::system::error_code ec;
  sock.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (!ec) {
    set_deadline(stream, kLingerTime);
    char sink[4096];
    for (std::size_t discarded = 0; discarded < kLingerBytes;) {
      auto [rec, n] = co_await lowest.async_read_some(asio::buffer(sink), use_tuple);
      if (rec) break;
      discarded += n;
    }
  }
  sock.close(ec);
}

}  // namespace

template <class Stream>
asio::awaitable<void> HttpInput::Impl::session(std::shared_ptr<Stream> stream, std::string peer) {
  auto self = shared_from_this();
  ++stats.connections;
  ++stats.active;
  beast::flat_buffer buffer(kHttpBufferLimit);
  // An error answer, written after the loop (with the request unread, so the
  // connection closes). Built outside any co_await expression: GCC 12 destroys
  // some temporaries of a co_await expression twice.
  std::optional<Response> refusal;
  // Reads end at idle_timeout without closing the socket: a TLS session that
  // idled out still gets its close_notify below.
  net::ReadDeadline idle(beast::get_lowest_layer(*stream).get_executor());
  while (!stopping) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHttpHeaderLimit);
    parser.body_limit(http.max_body_bytes);
    idle.arm(beast::get_lowest_layer(*stream), opt.idle_timeout);
    auto [ec, hn] = co_await http::async_read_header(*stream, buffer, parser, use_tuple);
    if (idle.disarm() && ec) ec = beast::error::timeout;
    if (stopping) break;
    if (ec == beast::error::timeout) {
      ++stats.idle_timeouts;
      spdlog::debug("input {}: closed {}: no complete request for {} ms (idle_timeout_ms)",
                    opt.name, peer, opt.idle_timeout.count());
      break;
    }
    const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
    if (ec == http::error::body_limit) {  // Content-Length over the limit
      refusal.emplace(error_response(http::status::payload_too_large, version, "too_large",
                                     "the body is larger than max_body_bytes"));
      break;
    }
    if (ec) {
      // Clean close or reset: nothing to answer. Bad requests get a status.
      if (ec.category() != http::make_error_code(http::error::bad_method).category() ||
          ec == http::error::end_of_stream || ec == http::error::partial_message)
        break;
      warn_limited(request_log, "input {}: bad request from {}: {}", opt.name, peer, ec.message());
      refusal.emplace(ec == http::error::header_limit
                          ? error_response(http::status::request_header_fields_too_large, version,
                                           "header_too_large", "the request header is too large")
                          : error_response(http::status::bad_request, version, "bad_request",
                                           "not an HTTP/1.1 request"));
      break;
    }
    const auto& req = parser.get();
    std::string_view target = req.target();
    target = target.substr(0, target.find('?'));
    if (target != http.path) {
      refusal.emplace(error_response(http::status::not_found, version, "not_found",
                                     "POST articles to the input's path"));
      break;
    }
    if (req.method() != http::verb::post) {
      Response res = error_response(http::status::method_not_allowed, version, "method_not_allowed",
                                    "use POST");
      res.set(http::field::allow, "POST");
      refusal = std::move(res);
      break;
    }
    const auto auth = req.find(http::field::authorization);
    if (const AuthFailure f = check_bearer(
            http.token, auth == req.end() ? std::string_view() : std::string_view(auth->value()));
        f != AuthFailure::none) {
      warn_limited(auth_log, "input {}: refused a push from {} (401): {}", opt.name, peer,
                   f == AuthFailure::missing ? "no bearer token" : "wrong bearer token");
      Response res = error_response(http::status::unauthorized, version, "unauthorized",
                                    "send Authorization: Bearer <token of token_file>");
      res.set(http::field::www_authenticate,
              f == AuthFailure::missing ? "Bearer realm=\"newshound\""
                                        : "Bearer realm=\"newshound\", error=\"invalid_token\"");
      refusal = std::move(res);
      break;
    }
    const PushFormat format = push_format(req[http::field::content_type]);
    if (format == PushFormat::unknown) {
      refusal.emplace(error_response(http::status::unsupported_media_type, version,
                                     "unsupported_media_type",
                                     "send application/x-ndjson, application/json or a NewsML-G2 "
                                     "document (application/vnd.iptc.g2.newsitem+xml)"));
      break;
    }
    if (parser.content_length().value_or(0) > http.max_body_bytes) {
      refusal.emplace(error_response(http::status::payload_too_large, version, "too_large",
                                     "the body is larger than max_body_bytes"));
      break;
    }
    // Room for the body (its length, or the limit when chunked): none while the
    // pipeline is stalled, and the client is told to come back.
    const std::size_t want = std::min<std::uint64_t>(
        parser.content_length().value_or(http.max_body_bytes), http.max_body_bytes);
    asio::steady_timer room_timer(io);
    const auto room_by = SteadyClock::now() + std::min(kRoomWait, http.accept_timeout);
    while (!fits(want) && !stopping && SteadyClock::now() < room_by)
      co_await wait(room_timer, room_by);
    if (stopping) break;
    if (!fits(want)) {
      warn_limited(request_log, "input {}: answering 503: the outputs are behind (backpressure)",
                   opt.name);
      refusal.emplace(unavailable(version, "the outputs are behind; retry later"));
      break;
    }
    held += want;
    std::size_t reserved = want;
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, version};
      set_deadline(*stream, kWriteTime);
      co_await http::async_write(*stream, cont, use_tuple);
    }
    idle.arm(beast::get_lowest_layer(*stream), opt.idle_timeout);
    auto [bec, bn] = co_await http::async_read(*stream, buffer, parser, use_tuple);
    if (idle.disarm() && bec) bec = beast::error::timeout;
    if (bec) {
      release(reserved);
      if (stopping) break;
      if (bec == http::error::body_limit)
        refusal.emplace(error_response(http::status::payload_too_large, version, "too_large",
                                       "the body is larger than max_body_bytes"));
      else if (bec == beast::error::timeout)
        ++stats.idle_timeouts;
      else if (bec.category() == http::make_error_code(http::error::bad_method).category() &&
               bec != http::error::partial_message)
        refusal.emplace(error_response(http::status::bad_request, version, "bad_request",
                                       "the body could not be read: " + bec.message()));
      break;
    }
    const bool keep = parser.get().keep_alive();
    std::string body = std::move(parser.get().body());
    stats.bytes += body.size();
    PushRecords recs = split_push_body(format, body, opt.max_line_bytes);
    std::string().swap(body);
    auto acks = std::make_shared<PushAcks>(io, std::move(recs.numbers));
    const std::uint64_t stream_id = new_stream_id();
    if (!acks->numbers.empty()) {
      LineBatch& batch = recs.batch;
      batch.received_at = Clock::now();
      batch.input = opt.input;
      batch.stream = stream_id;
      batch.acks = acks;
      ++batches;
      consumer.consume(std::move(batch), [self, reserved] {
        --self->batches;
        self->release(reserved);
      });
      reserved = 0;
    } else {
      release(reserved);
    }
    const auto accept_by = SteadyClock::now() + http.accept_timeout;
    while (!acks->complete() && !stopping && SteadyClock::now() < accept_by)
      co_await wait(acks->wake, accept_by);
    if (!acks->numbers.empty()) consumer.end_stream(stream_id);
    if (stopping) break;
    if (!acks->complete()) {
      warn_limited(request_log,
                   "input {}: answering 503: {} article(s) not accepted by the outputs within "
                   "accept_timeout_ms (the client sends them again)",
                   opt.name, acks->numbers.size() - acks->done);
      stats.count_status(503);
      Response res =
          unavailable(version, "the articles were not accepted in time; send them again");
      if (!co_await write(*stream, res, keep) || !keep) break;
      continue;
    }
    recs.rejected.insert(recs.rejected.end(), acks->rejected.begin(), acks->rejected.end());
    stats.accepted += acks->accepted;
    stats.rejected += recs.rejected.size();
    stats.count_status(200);
    Response res =
        json_response(http::status::ok, version, result_json(acks->accepted, recs.rejected));
    if (!co_await write(*stream, res, keep) || !keep) break;
  }
  bool linger = false;
  if (refusal && !stopping) {
    stats.count_status(static_cast<unsigned>(refusal->result_int()));
    linger = co_await write(*stream, *refusal, false);
  }
  if (linger && !stopping) {
    co_await linger_close(*stream);
  } else {
    if constexpr (std::is_same_v<Stream, HttpTlsStream>)
      if (!stopping) co_await net::beast_tls_shutdown(*stream);
    boost::system::error_code ec;
    beast::get_lowest_layer(*stream).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    beast::get_lowest_layer(*stream).socket().close(ec);
  }
  --stats.active;
}

template asio::awaitable<void> HttpInput::Impl::session(std::shared_ptr<beast::tcp_stream>,
                                                        std::string);
template asio::awaitable<void> HttpInput::Impl::session(std::shared_ptr<HttpTlsStream>,
                                                        std::string);

}  // namespace newshound

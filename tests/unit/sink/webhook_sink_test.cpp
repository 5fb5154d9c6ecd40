// Stage: sink tests. WebhookSink against a scripted in-process HTTP server on
// 127.0.0.1: delivery, retries (5xx, 429 with Retry-After, timeouts, server down),
// dead letters, batching, keep-alive; and the Retry-After and dead-letter helpers
// (the URL parser is the config's: tests/unit/config/webhook_url_test.cpp).
#include <boost/json/src.hpp>  // header-only Boost.JSON, in this one file of unit_sink
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "http_test_server.hpp"
#include "newshound/sink/webhook_sink.hpp"
#include "newshound/util/retry_after.hpp"
#include "sink/dead_letter.hpp"
#include "sink_test_util.hpp"

using namespace newshound;
using namespace std::chrono_literals;
using sinktest::HttpExchange;
using sinktest::HttpReply;
using sinktest::HttpTestServer;
using sinktest::make_alert;
using sinktest::run_until;

namespace {

WebhookSinkOptions options_for(std::uint16_t port, const std::string& path = "/hook") {
  WebhookSinkOptions o;
  o.url_text = "http://127.0.0.1:" + std::to_string(port) + path;
  o.url = {"127.0.0.1", port, path, "127.0.0.1:" + std::to_string(port)};  // url_text, parsed
  o.queue.backoff.initial = 5ms;
  o.queue.backoff.max = 50ms;
  o.timeout = 2000ms;
  return o;
}

std::string without_newline(const std::string& s) {
  return s.substr(0, s.size() - 1);
}

std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void stop_sink(boost::asio::io_context& io, Sink& sink) {
  bool done = false;
  sink.stop(100ms, [&] { done = true; });
  REQUIRE(run_until(io, [&] { return done; }));
}

}  // namespace

TEST_CASE("WebhookSink POSTs each alert as a JSON object with the configured headers",
          "[sink][webhook]") {
  HttpTestServer server;
  boost::asio::io_context io;
  auto opt = options_for(server.port(), "/alerts?desk=politics");
  opt.headers = {{"Authorization", "Bearer s3cret"}, {"X-Desk", "politics"}};
  WebhookSink sink(io, "webhook:test", opt);
  std::vector<std::string> notified;
  sink.set_sent_callback([&](const std::shared_ptr<const Alert>& a) { notified.push_back(a->id); });
  sink.start();
  for (int i = 0; i < 3; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 3; }));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);
  for (int i = 0; i < 3; ++i) {
    INFO(i);
    CHECK(reqs[i].method == "POST");
    CHECK(reqs[i].target == "/alerts?desk=politics");
    CHECK(reqs[i].body == without_newline(make_alert(i)->json));
    CHECK(boost::json::parse(reqs[i].body).at("id").as_string() == "id-" + std::to_string(i));
    CHECK(reqs[i].headers.at("content-type") == "application/json");
    CHECK(reqs[i].headers.at("authorization") == "Bearer s3cret");
    CHECK(reqs[i].headers.at("x-desk") == "politics");
    CHECK(reqs[i].headers.at("host") == "127.0.0.1:" + std::to_string(server.port()));
  }
  CHECK(notified == std::vector<std::string>{"id-0", "id-1", "id-2"});
  const auto ws = sink.webhook_stats();
  CHECK(ws.sink.accepted == 3);
  CHECK(ws.sink.queued == 0);
  CHECK(ws.sink.queued_bytes == 0);
  CHECK(ws.requests == 3);
  CHECK(ws.retries == 0);
  CHECK(ws.last_status == 200);
  stop_sink(io, sink);
}

TEST_CASE("WebhookSink retries a 500 and delivers the alert once", "[sink][webhook]") {
  HttpTestServer server([](std::size_t i, const HttpExchange&) {
    return HttpReply{.status = i == 0 ? 500 : 200, .body = i == 0 ? "try later" : "ok"};
  });
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:retry", options_for(server.port()));
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  sinktest::run_for(io, 50ms);  // nothing more goes out
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].body == reqs[1].body);
  const auto ws = sink.webhook_stats();
  CHECK(ws.retries == 1);
  CHECK(ws.sink.failed == 1);
  CHECK(ws.sink.sent == 1);
  CHECK(ws.dead_lettered == 0);
  CHECK(ws.last_status == 200);
}

TEST_CASE("WebhookSink waits as long as a 429's Retry-After says", "[sink][webhook]") {
  std::vector<std::chrono::steady_clock::time_point> at;
  std::mutex mu;
  HttpTestServer server([&](std::size_t i, const HttpExchange&) {
    {
      std::lock_guard l(mu);
      at.push_back(std::chrono::steady_clock::now());
    }
    if (i == 0) return HttpReply{.status = 429, .headers = {{"Retry-After", "1"}}};
    return HttpReply{};
  });
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:429", options_for(server.port()));  // backoff alone: 5 ms
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  std::lock_guard l(mu);
  REQUIRE(at.size() == 2);
  // A lower bound, not a speed measurement: the retry must not come sooner.
  CHECK(at[1] - at[0] >= 1000ms);
  CHECK(sink.webhook_stats().retries == 1);
}

TEST_CASE("WebhookSink dead-letters a 400 with the response and does not retry it",
          "[sink][webhook]") {
  sinktest::TempDir tmp;
  HttpTestServer server([](std::size_t i, const HttpExchange&) {
    if (i == 0) return HttpReply{.status = 400, .body = "field \"headline\" is required\n"};
    return HttpReply{};
  });
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.dead_letter = tmp.path / "dead" / "webhook.ndjson";
  WebhookSink sink(io, "webhook:dlq", opt);
  int notified = 0;
  sink.set_sent_callback([&](const std::shared_ptr<const Alert>&) { ++notified; });
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.webhook_stats().dead_lettered == 1; }));
  REQUIRE(sink.submit(make_alert(2)));  // the next alert is not held up
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  CHECK(server.requests().size() == 2);
  CHECK(notified == 1);
  const auto ws = sink.webhook_stats();
  CHECK(ws.retries == 0);
  CHECK(ws.sink.queued == 0);

  const auto lines = lines_of(opt.dead_letter);
  REQUIRE(lines.size() == 1);
  const auto rec = boost::json::parse(lines[0]).as_object();
  CHECK(rec.at("status") == 400);
  CHECK(rec.at("response") == "field \"headline\" is required\n");
  CHECK(rec.at("response_truncated") == false);
  CHECK(rec.at("url").as_string() == opt.url_text);
  CHECK(rec.at("time").as_string().size() == 24);  // 2026-01-02T03:04:05.678Z
  REQUIRE(rec.at("alerts").as_array().size() == 1);
  CHECK(rec.at("alerts").as_array()[0].at("id") == "id-1");
}

TEST_CASE("WebhookSink keeps alerts while the server is down and delivers them after",
          "[sink][webhook]") {
  const auto port = sinktest::free_port();
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:down", options_for(port));
  sink.start();
  for (int i = 0; i < 3; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return sink.stats().failed >= 2; }));
  CHECK(sink.stats().sent == 0);
  CHECK(sink.stats().queued == 3);
  HttpTestServer server({}, port);
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 3; }));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(reqs[i].body == without_newline(make_alert(i)->json));
  CHECK(sink.webhook_stats().retries >= 2);
}

TEST_CASE("WebhookSink retries after a timeout", "[sink][webhook]") {
  HttpTestServer server(
      [](std::size_t i, const HttpExchange&) { return HttpReply{.hang = i == 0}; });
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.timeout = 200ms;
  WebhookSink sink(io, "webhook:slow", opt);
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  CHECK(server.requests().size() == 2);
  CHECK(server.connections() == 2);  // the timed-out connection is not reused
  CHECK(sink.webhook_stats().retries == 1);
}

TEST_CASE("WebhookSink backs off after timeouts and counts them in a row", "[sink][webhook]") {
  HttpTestServer server([](std::size_t, const HttpExchange&) { return HttpReply{.hang = true}; });
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.timeout = 100ms;
  opt.queue.backoff.initial = 100ms;
  opt.queue.backoff.max = 800ms;
  WebhookSink sink(io, "webhook:hangs", opt);
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  io.run_for(2000ms);
  const auto ws = sink.webhook_stats();
  // Posted again after each timeout, but not in a loop: re-posting at once would
  // make 20 requests in 2 s of 100 ms timeouts; the backoff (mean wait 50, 100,
  // 200, 400, 400 ms...) leaves about 6.
  CHECK(ws.timeouts >= 2);
  CHECK(ws.timeouts <= 12);
  CHECK(ws.timeouts_in_a_row == ws.timeouts);
  CHECK(ws.requests <= ws.timeouts + 1);
  CHECK(ws.sink.sent == 0);
  CHECK(ws.sink.queued == 1);
  CHECK(ws.late_answers == 0);
}

TEST_CASE("WebhookSink counts a 2xx that arrives after the timeout as a late answer",
          "[sink][webhook]") {
  HttpTestServer server(
      [](std::size_t i, const HttpExchange&) { return HttpReply{.delay = i == 0 ? 600ms : 0ms}; });
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.timeout = 150ms;
  WebhookSink sink(io, "webhook:late", opt);
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  REQUIRE(run_until(io, [&] { return sink.webhook_stats().late_answers == 1; }));
  const auto ws = sink.webhook_stats();
  CHECK(ws.timeouts == 1);
  CHECK(ws.timeouts_in_a_row == 0);  // the retry was answered in time
  // At-least-once: the receiver got the alert twice, with the same id.
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].body == reqs[1].body);
}

TEST_CASE("WebhookSink dead-letters the start of a 64 MB 4xx body, marked truncated",
          "[sink][webhook]") {
  sinktest::TempDir tmp;
  std::string huge(64u << 20, 'x');
  huge.replace(0, 12, "bad request:");
  HttpTestServer server([&](std::size_t i, const HttpExchange&) {
    if (i == 0) return HttpReply{.status = 422, .body = huge};
    return HttpReply{};
  });
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.dead_letter = tmp.path / "dead.ndjson";
  WebhookSink sink(io, "webhook:huge", opt);
  sink.start();
  REQUIRE(sink.submit(make_alert(1)));
  REQUIRE(run_until(io, [&] { return sink.webhook_stats().dead_lettered == 1; }));
  REQUIRE(sink.submit(make_alert(2)));  // on a new connection: the rest was never read
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 1; }));
  const auto lines = lines_of(opt.dead_letter);
  REQUIRE(lines.size() == 1);
  const auto rec = boost::json::parse(lines[0]).as_object();
  CHECK(rec.at("status") == 422);
  CHECK(rec.at("response").as_string() == huge.substr(0, opt.dead_letter_body_bytes));
  CHECK(rec.at("response_truncated") == true);
  CHECK(server.connections() == 2);
}

TEST_CASE("dead-letter files are created 0640", "[sink][webhook]") {
  sinktest::TempDir tmp;
  const mode_t old = ::umask(022);
  const auto path = tmp.path / "dead.ndjson";
  const std::string err = detail::append_dead_letter(path, "{}\n");
  ::umask(old);
  REQUIRE(err.empty());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("WebhookSink batches up to batch_max alerts as JSON arrays", "[sink][webhook]") {
  HttpTestServer server;
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.batch_max = 4;
  WebhookSink sink(io, "webhook:batch", opt);
  for (int i = 0; i < 10; ++i) REQUIRE(sink.submit(make_alert(i)));  // queued before start
  sink.start();
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 10; }));
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);  // ceil(10 / 4)
  std::vector<std::size_t> sizes;
  int next = 0;
  for (const auto& r : reqs) {
    const auto arr = boost::json::parse(r.body).as_array();
    sizes.push_back(arr.size());
    for (const auto& a : arr) CHECK(a.at("id").as_string() == "id-" + std::to_string(next++));
  }
  CHECK(sizes == std::vector<std::size_t>{4, 4, 2});
}

TEST_CASE("WebhookSink caps a batch at batch_bytes but always sends one alert", "[sink][webhook]") {
  HttpTestServer server;
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  opt.batch_max = 100;
  const std::size_t one = make_alert(0)->json.size();
  opt.batch_bytes = 2 * one;  // two alerts fit (their newlines are not sent)
  WebhookSink sink(io, "webhook:bytes", opt);
  for (int i = 0; i < 5; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(sink.submit(make_alert(5, 3 * one)));  // larger than batch_bytes on its own
  sink.start();
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 6; }));
  std::vector<std::size_t> sizes;
  for (const auto& r : server.requests())
    sizes.push_back(boost::json::parse(r.body).as_array().size());
  CHECK(sizes == std::vector<std::size_t>{2, 2, 1, 1});
}

TEST_CASE("WebhookSink keeps one connection alive for many requests", "[sink][webhook]") {
  HttpTestServer server;
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:ka", options_for(server.port()));
  sink.start();
  for (int i = 0; i < 20; ++i) {
    REQUIRE(sink.submit(make_alert(i)));
    REQUIRE(run_until(io, [&] { return sink.stats().sent == std::uint64_t(i + 1); }));
  }
  CHECK(server.requests().size() == 20);
  CHECK(server.connections() == 1);
  CHECK(sink.webhook_stats().connections == 1);
}

TEST_CASE("WebhookSink reconnects when the server closes after each answer", "[sink][webhook]") {
  HttpTestServer server([](std::size_t, const HttpExchange&) { return HttpReply{.close = true}; });
  boost::asio::io_context io;
  WebhookSink sink(io, "webhook:close", options_for(server.port()));
  sink.start();
  for (int i = 0; i < 5; ++i) REQUIRE(sink.submit(make_alert(i)));
  REQUIRE(run_until(io, [&] { return sink.stats().sent == 5; }));
  CHECK(server.requests().size() == 5);
  CHECK(server.connections() == 5);
  CHECK(sink.webhook_stats().retries == 0);
}

TEST_CASE("WebhookSink queue is bounded in bytes, and stop() delivers what is queued",
          "[sink][webhook]") {
  HttpTestServer server;
  boost::asio::io_context io;
  auto opt = options_for(server.port());
  const auto one = make_alert(1)->json.size();
  opt.queue.queue_bytes = 2 * one;
  WebhookSink sink(io, "webhook:bounded", opt);
  CHECK(sink.submit(make_alert(1)));
  CHECK(sink.submit(make_alert(2)));
  CHECK_FALSE(sink.submit(make_alert(3)));
  CHECK(sink.stats().rejected == 1);
  CHECK(sink.stats().queued_bytes == 2 * one);
  sink.start();
  bool done = false;
  sink.stop(5000ms, [&] { done = true; });
  CHECK_FALSE(sink.submit(make_alert(4)));
  REQUIRE(run_until(io, [&] { return done; }));
  CHECK(sink.stats().sent == 2);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("parse_retry_after reads seconds and HTTP-dates", "[sink][webhook]") {
  using detail::parse_retry_after;
  // Sun, 06 Nov 1994 08:49:37 GMT
  const auto now = std::chrono::system_clock::from_time_t(784111777);
  CHECK(parse_retry_after("1", now) == 1000ms);
  CHECK(parse_retry_after(" 120 ", now) == 120000ms);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now) == 10000ms);
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:40 GMT", now) == 3000ms);
  CHECK(parse_retry_after("Sun Nov  6 08:49:38 1994", now) == 1000ms);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == 0ms);  // in the past
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("-1", now));
  CHECK_FALSE(parse_retry_after("1.5", now));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT trailing", now));
}

TEST_CASE("parse_retry_after caps every form at the documented hour", "[sink][webhook]") {
  using detail::parse_retry_after;
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // 1994
  CHECK(parse_retry_after("3600", now) == 3600000ms);
  CHECK(parse_retry_after("3601", now) == 3600000ms);
  CHECK(parse_retry_after("315360000", now) == 3600000ms);                         // ten years
  CHECK(parse_retry_after("99999999999999999999999999999999", now) == 3600000ms);  // overflow
  CHECK(parse_retry_after("Sun, 06 Nov 1994 10:49:37 GMT", now) == 3600000ms);     // two hours
  CHECK(parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now) == 3600000ms);
  // Past the clock's nanosecond range (year 2262): must not wrap into the past.
  CHECK(parse_retry_after("Wed, 01 Jan 3000 00:00:00 GMT", now) == 3600000ms);
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now) == 3600000ms);
  // A smaller cap (retry_after_max) applies the same way.
  CHECK(parse_retry_after("10", now, 5000ms) == 5000ms);
  CHECK(parse_retry_after("4", now, 5000ms) == 4000ms);
}

TEST_CASE("dead-letter records are valid JSON whatever the response holds", "[sink][webhook]") {
  const std::vector<std::shared_ptr<const Alert>> alerts{make_alert(1), make_alert(2)};
  const std::string body = std::string("bad\x01\"\\ \xff\xfe tail \xE2\x80\x94", 18) + "xxxx";
  const auto rec = detail::dead_letter_record(std::chrono::system_clock::from_time_t(0),
                                              "http://h/", 422, body, 16, alerts);
  REQUIRE(rec.back() == '\n');
  const auto v = boost::json::parse(rec).as_object();
  CHECK(v.at("time") == "1970-01-01T00:00:00.000Z");
  CHECK(v.at("status") == 422);
  CHECK(v.at("response_truncated") == true);
  CHECK(v.at("response") == "bad\x01\"\\ \xEF\xBF\xBD\xEF\xBF\xBD tail \xEF\xBF\xBD");
  REQUIRE(v.at("alerts").as_array().size() == 2);
  CHECK(v.at("alerts").as_array()[1].at("id") == "id-2");
}

// Tests (pipeline): digests in the dispatcher, without sockets: an output with
// stories = "digest" gets nothing at once and one digest per story when the
// digests are flushed (as at shutdown); the articles folded into it are
// acknowledged only once that digest is delivered, in line order.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "newshound/daemon/dispatcher.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;

namespace {

std::string digest_dispatch_text(int n) {
  std::string t = "Blinken statement number " + std::to_string(n) + ":";
  for (int w = 0; w < 40; ++w) t += " v" + std::to_string(n * 1000 + w * 11);
  return t + ".";
}

Route digest_dispatch_route(Sink* s) {
  Route r(s);
  r.digests = Route::Digests{true, std::chrono::hours(1), 0, "digests", std::size_t{1} << 20};
  return r;
}

}  // namespace

TEST_CASE("digest dispatch: a digest output's articles are acknowledged with its digest") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink all, digests;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {Route(&all), digest_dispatch_route(&digests)});
  d.set_stories(std::make_shared<StoryStage>(StoryOptions{}));
  auto acks = std::make_shared<RecordingAcks>();
  int done = 0;
  auto b = batch(3, 0,
                 {article("a1", digest_dispatch_text(1)), article("a2", digest_dispatch_text(1)),
                  article("b1", digest_dispatch_text(2)), article("n", "Nothing.")});
  b.acks = acks;
  d.consume(std::move(b), [&] { ++done; });
  while (done < 1) io.run_one();
  REQUIRE(all.alerts.size() == 3);
  CHECK(digests.alerts.empty());  // nothing at once
  CHECK(d.digest_counts(digests).pending == 2);
  CHECK(d.digest_counts(digests).pending_copies == 3);
  for (const auto& a : all.alerts) d.on_sent(&all, a);
  CHECK(acks->replies.empty());  // a1 waits for its digest
  d.flush_digests();
  REQUIRE(digests.alerts.size() == 2);
  const auto first = boost::json::parse(digests.alerts[0]->json).as_object();
  CHECK(first.at("reason") == "story");
  CHECK(first.at("copies") == 2);
  CHECK(first.at("items").as_array()[1].at("article") == "a2");
  CHECK(first.at("items").as_array()[1].at("duplicate_of") == "a1");
  d.on_sent(&digests, digests.alerts[1]);  // b1's digest first: still behind a1 and a2
  CHECK(acks->replies.empty());
  d.on_sent(&digests, digests.alerts[0]);
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"a1\"}\n", "{\"ack\":\"a2\"}\n",
                                                  "{\"ack\":\"b1\"}\n", "{\"ack\":\"n\"}\n"});
  CHECK(d.digest_counts(digests).sent == 2);
  CHECK(d.digest_counts(digests).folded_story == 3);
  d.end_stream(3);
}

TEST_CASE("digest dispatch: a throttled output sends a list's first alerts and folds the rest") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink out;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Route r(&out);
  r.digests = Route::Digests{false, std::chrono::hours(1), 2, "throttled", std::size_t{1} << 20};
  Dispatcher d(io, 1, {FieldMap{}}, rules, {r});
  int done = 0;
  std::vector<std::string> lines;
  for (int i = 0; i < 5; ++i)
    lines.push_back(article("t" + std::to_string(i), digest_dispatch_text(10 + i)));
  d.consume(batch(4, 0, lines), [&] { ++done; });
  while (done < 1) io.run_one();
  REQUIRE(out.alerts.size() == 2);
  d.flush_digests();
  REQUIRE(out.alerts.size() == 3);
  const auto digest = boost::json::parse(out.alerts[2]->json).as_object();
  CHECK(digest.at("reason") == "throttle");
  CHECK(digest.at("list") == "people");
  CHECK(digest.at("copies") == 3);
  CHECK(d.throttle().throttled_counts().at({&out, "people"}) == 3);
  d.end_stream(4);
}

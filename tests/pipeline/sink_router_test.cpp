// Tests (pipeline): the sink router on its own: routes resolved against the rules,
// a full sink's alerts held in order and offered again, and a reload giving up
// what was held for a removed sink.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "newshound/dispatch/sink_router.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;

namespace {
std::shared_ptr<const Alert> alert_of(const std::string& article,
                                      std::vector<std::uint32_t> lists = {0}) {
  auto a = std::make_shared<Alert>();
  a->article = article;
  a->lists = std::move(lists);
  return a;
}
using Names = std::vector<std::string>;

/// A router over a sink with room and a full one, with one alert held.
struct HeldAlert {
  boost::asio::io_context io;
  std::atomic<std::uint64_t> rejected{0};
  RecordingSink ok, slow;
  SinkRouter router{io, {&ok, &slow}, rejected};
  std::shared_ptr<SinkRouter::Hold> hold;
  bool done = false;
  HeldAlert() {
    slow.full = true;
    auto a = alert_of("a");
    router.deliver(&ok, a, hold);
    router.deliver(&slow, a, hold);
  }
};
}  // namespace

TEST_CASE("dispatcher: sink router sends an alert where its lists are routed") {
  boost::asio::io_context io;
  std::atomic<std::uint64_t> rejected{0};
  RecordingSink people, orgs, all;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"},
                                          {"orgs", "North Atlantic Treaty Organization|NATO\n"}});
  SinkRouter router(io,
                    {Route(&people, Names{"people"}, std::nullopt),
                     Route(&orgs, std::nullopt, Names{"orgs"}), Route(&all)},
                    rejected);
  std::vector<Sink*> out;
  router.route(*alert_of("p", {0}), rules, out);
  CHECK(out == std::vector<Sink*>{&people, &all});
  router.route(*alert_of("po", {0, 1}), rules, out);
  CHECK(out == std::vector<Sink*>{&people, &orgs, &all});
  router.route(*alert_of("o", {1}), nullptr, out);  // no rules: every sink
  CHECK(out == std::vector<Sink*>{&people, &orgs, &all});
  router.set_routes({Route(&orgs, Names{"people"}, std::nullopt)});
  router.route(*alert_of("p", {0}), rules, out);
  CHECK(out == std::vector<Sink*>{&orgs});
}

TEST_CASE_METHOD(HeldAlert, "dispatcher: sink router holds a full sink's alerts in order") {
  router.deliver(&ok, alert_of("b"), hold);
  router.deliver(&slow, alert_of("b"), hold);
  SinkRouter::when_released(hold, [&] { done = true; });
  CHECK(ok.alerts.size() == 2);
  CHECK(router.held() == 2);
  io.run_for(std::chrono::milliseconds(60));  // retries, still full
  CHECK_FALSE(done);
  slow.full = false;
  io.run_for(std::chrono::milliseconds(60));  // the retry timer offers them again
  CHECK(done);
  CHECK(router.held() == 0);
  REQUIRE(slow.alerts.size() == 2);
  CHECK(slow.alerts[0]->article == "a");
  CHECK(slow.alerts[1]->article == "b");

  // Without a hold, `done` runs at once.
  std::shared_ptr<SinkRouter::Hold> none;
  bool now = false;
  SinkRouter::when_released(none, [&] { now = true; });
  CHECK(now);
}

TEST_CASE_METHOD(HeldAlert, "dispatcher: sink router gives up alerts held for a removed sink") {
  SinkRouter::when_released(hold, [&] { done = true; });
  const auto removed = router.set_routes({&ok});
  CHECK(removed == std::vector<const Sink*>{&slow});
  CHECK(done);
  CHECK(router.held() == 0);
  CHECK(rejected == 1);
}

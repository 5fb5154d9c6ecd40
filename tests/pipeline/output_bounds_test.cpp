// Tests (pipeline): per-output alert bounds. Outputs with smaller
// max_matches_per_alert / max_alert_bytes get the alert cut for them, the others
// the whole one; acknowledgements settle once every output sent its own copy. An
// output with snippets = false gets its copy without snippets.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "newshound/daemon/dispatcher.hpp"
#include "newshound/dispatch/alert_bounds.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;

namespace {

AlertLimits limits(std::size_t matches, std::size_t bytes) {
  AlertLimits l;
  l.max_matches = matches;
  l.max_bytes = bytes;
  return l;
}

AlertLimits bare(AlertLimits l) {
  l.snippets = false;
  return l;
}

// How many of the alert's matches carry a "snippet".
std::size_t with_snippets(const Alert& a) {
  std::size_t n = 0;
  const boost::json::value v = boost::json::parse(a.json);
  for (const auto& m : v.at("matches").as_array()) n += m.as_object().contains("snippet") ? 1 : 0;
  return n;
}

std::size_t listed(const Alert& a) {
  return boost::json::parse(a.json).as_object().at("matches").as_array().size();
}

std::uint64_t truncated_field(const Alert& a) {
  const auto o = boost::json::parse(a.json).as_object();
  return o.contains("truncated") ? o.at("truncated").to_number<std::uint64_t>() : 0;
}

// An article naming Blinken `n` times.
std::string many_mentions(const std::string& id, int n) {
  std::string body;
  for (int i = 0; i < n; ++i) body += "Blinken spoke. ";
  return article(id, body);
}

}  // namespace

TEST_CASE("alert bounds: outputs group into classes, the widest first") {
  std::vector<std::uint32_t> class_of;
  const AlertLimits global = limits(1000, 1 << 20);
  SECTION("no outputs: the global bounds, no cuts") {
    const auto b = plan_alert_bounds(global, {}, class_of);
    CHECK(b.widest == global);
    CHECK(b.cuts.empty());
    CHECK(class_of.empty());
  }
  SECTION("all alike: one class") {
    const std::vector<AlertLimits> outs{global, global};
    const auto b = plan_alert_bounds(global, outs, class_of);
    CHECK(b.widest == global);
    CHECK(b.cuts.empty());
    CHECK(class_of == std::vector<std::uint32_t>{0, 0});
  }
  SECTION("larger and smaller: the widest takes the largest of each bound") {
    const std::vector<AlertLimits> outs{limits(5000, 4096), global, limits(2, 1 << 20),
                                        limits(2, 1 << 20)};
    const auto b = plan_alert_bounds(global, outs, class_of);
    CHECK(b.widest.max_matches == 5000);
    CHECK(b.widest.max_bytes == std::size_t{1} << 20);
    REQUIRE(b.cuts.size() == 3);  // no output has the widest bounds itself
    CHECK(class_of == std::vector<std::uint32_t>{1, 2, 3, 3});
    CHECK(b.cuts[0] == limits(5000, 4096));
    CHECK(b.cuts[2] == limits(2, 1 << 20));
  }
}

TEST_CASE("alert bounds: a worker cuts only for classes the alert does not fit") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  PipelineWorker w({FieldMap{}}, rules);
  w.set_limits(AlertBounds{limits(1000, 1 << 20), {limits(3, 1 << 20), limits(1000, 1 << 20)}});
  auto o = w.process(many_mentions("many", 10), Clock::now());
  REQUIRE(o.kind == Outcome::Kind::alert);
  const auto& whole = o.alert;
  CHECK(whole->listed == 10);
  CHECK(listed(*whole) == 10);
  CHECK(whole->truncated == 0);
  REQUIRE(whole->cuts.size() == 2);
  REQUIRE(whole->cuts[0]);
  CHECK(whole->cuts[1] == nullptr);  // the whole alert fits that class
  const Alert& cut = *whole->cuts[0];
  CHECK(listed(cut) == 3);
  CHECK(truncated_field(cut) == 7);
  CHECK(cut.id == whole->id);  // the same alert, for receivers that deduplicate
  CHECK(alert_for_class(whole, 1) == whole->cuts[0]);
  CHECK(alert_for_class(whole, 2) == whole);
  CHECK(alert_for_class(whole, 9) == whole);  // unknown class: the whole alert

  auto few = w.process(many_mentions("few", 2), Clock::now());
  REQUIRE(few.kind == Outcome::Kind::alert);
  CHECK(few.alert->cuts.empty());  // fits every class: encoded once
}

TEST_CASE("alert bounds: each output gets its cut, acks wait for every copy") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink whole, small, tiny;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(
      io, 1, {FieldMap{}}, rules,
      {Route(&whole, std::nullopt, std::nullopt, 0), Route(&small, std::nullopt, std::nullopt, 1),
       Route(&tiny, std::nullopt, std::nullopt, 2)});
  d.set_limits(AlertBounds{limits(1000, 1 << 20), {limits(4, 1 << 20), limits(1000, 4096)}});
  auto acks = std::make_shared<RecordingAcks>();
  bool done = false;
  auto b = batch(9, 0, {many_mentions("a1", 200), article("n1", "Nothing.")});
  b.acks = acks;
  d.consume(std::move(b), [&] { done = true; });
  while (!done) io.run_one();
  REQUIRE(whole.alerts.size() == 1);
  REQUIRE(small.alerts.size() == 1);
  REQUIRE(tiny.alerts.size() == 1);
  CHECK(listed(*whole.alerts[0]) == 200);
  CHECK(truncated_field(*whole.alerts[0]) == 0);
  CHECK(listed(*small.alerts[0]) == 4);
  CHECK(truncated_field(*small.alerts[0]) == 196);
  CHECK(tiny.alerts[0]->json.size() <= 4096);
  CHECK(truncated_field(*tiny.alerts[0]) == 200 - listed(*tiny.alerts[0]));
  CHECK(d.alerts_cut(small) == 1);
  CHECK(d.alerts_cut(tiny) == 1);
  CHECK(d.alerts_cut(whole) == 0);

  // Each output reports its own copy sent; the line settles after the last one.
  d.on_sent(&small, small.alerts[0]);
  d.on_sent(&whole, whole.alerts[0]);
  CHECK(acks->replies.empty());
  d.on_sent(&tiny, tiny.alerts[0]);
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"a1\"}\n", "{\"ack\":\"n1\"}\n"});
  d.end_stream(9);
}

TEST_CASE("alert bounds: snippets = false is a class of its own") {
  std::vector<std::uint32_t> class_of;
  const AlertLimits global = limits(1000, 1 << 20);
  SECTION("some outputs want snippets: the widest has them, the others get a class") {
    const std::vector<AlertLimits> outs{bare(global), global, bare(limits(5, 1 << 20)),
                                        bare(global)};
    const auto b = plan_alert_bounds(global, outs, class_of);
    CHECK(b.widest == global);
    CHECK(b.widest.snippets);
    REQUIRE(b.cuts.size() == 2);
    CHECK(b.cuts[0] == bare(global));
    CHECK(b.cuts[1] == bare(limits(5, 1 << 20)));
    CHECK(class_of == std::vector<std::uint32_t>{1, 0, 2, 1});
  }
  SECTION("no output wants snippets: the widest has none, one class") {
    const std::vector<AlertLimits> outs{bare(global), bare(global)};
    const auto b = plan_alert_bounds(global, outs, class_of);
    CHECK(b.widest == bare(global));
    CHECK(b.cuts.empty());
    CHECK(class_of == std::vector<std::uint32_t>{0, 0});
  }
}

TEST_CASE("alert bounds: a class without snippets always gets its own copy") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  PipelineWorker w({FieldMap{}}, rules);
  const AlertLimits global = limits(1000, 1 << 20);
  w.set_limits(AlertBounds{global, {bare(global), bare(limits(3, 1 << 20))}});
  auto o = w.process(many_mentions("few", 2), Clock::now());
  REQUIRE(o.kind == Outcome::Kind::alert);
  const auto& whole = o.alert;
  CHECK(with_snippets(*whole) == 2);
  REQUIRE(whole->cuts.size() == 2);
  REQUIRE(whole->cuts[0]);  // fits, but has snippets: a copy without
  REQUIRE(whole->cuts[1]);
  CHECK(listed(*whole->cuts[0]) == 2);
  CHECK(with_snippets(*whole->cuts[0]) == 0);
  CHECK(whole->cuts[0]->id == whole->id);
  CHECK(listed(*whole->cuts[1]) == 2);
  CHECK(with_snippets(*whole->cuts[1]) == 0);

  // No output wants snippets: the one alert has none, and is encoded once.
  w.set_limits(bare(global));
  auto none = w.process(many_mentions("none", 10), Clock::now());
  REQUIRE(none.kind == Outcome::Kind::alert);
  CHECK(listed(*none.alert) == 10);
  CHECK(with_snippets(*none.alert) == 0);
  CHECK(none.alert->cuts.empty());
}

TEST_CASE("alert bounds: an output without snippets gets its copy, not counted as cut") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink whole, plain;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(
      io, 1, {FieldMap{}}, rules,
      {Route(&whole, std::nullopt, std::nullopt, 0), Route(&plain, std::nullopt, std::nullopt, 1)});
  const AlertLimits global = limits(1000, 1 << 20);
  d.set_limits(AlertBounds{global, {bare(global)}});
  auto acks = std::make_shared<RecordingAcks>();
  bool done = false;
  auto b = batch(9, 0, {many_mentions("a1", 3)});
  b.acks = acks;
  d.consume(std::move(b), [&] { done = true; });
  while (!done) io.run_one();
  REQUIRE(whole.alerts.size() == 1);
  REQUIRE(plain.alerts.size() == 1);
  CHECK(with_snippets(*whole.alerts[0]) == 3);
  CHECK(with_snippets(*plain.alerts[0]) == 0);
  CHECK(listed(*plain.alerts[0]) == 3);
  CHECK(d.alerts_cut(plain) == 0);
  CHECK(d.alerts_cut(whole) == 0);
  d.on_sent(&plain, plain.alerts[0]);
  CHECK(acks->replies.empty());
  d.on_sent(&whole, whole.alerts[0]);
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"a1\"}\n"});
  d.end_stream(9);
}

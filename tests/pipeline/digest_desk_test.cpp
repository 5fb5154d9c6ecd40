// Tests (pipeline): the digest desk with the time given (no timers, no sleeps):
// which outputs fold an alert (stories = "digest", a throttled list's excess),
// when a digest is due, what it lists and how it stays within its bytes, its
// bounds (sent early, never dropped), and the alerts whose acknowledgement waits
// for a digest's delivery.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "newshound/dispatch/digest_desk.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;
using namespace std::chrono_literals;

namespace {

const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(24 * 20000);

// An alert as the encoder writes it, as far as a digest reads it.
std::shared_ptr<const Alert> desk_alert(const std::string& article, const std::string& story,
                                        std::vector<std::uint32_t> lists = {0},
                                        const std::string& headline = "Blinken meets Wang") {
  auto a = std::make_shared<Alert>();
  a->id = "alert-" + article;
  a->article = article;
  a->lists = std::move(lists);
  boost::json::object o;
  o["id"] = a->id;
  o["article"] = article;
  o["headline"] = headline;
  o["matches"] = boost::json::array{boost::json::object{{"entity", "Antony Blinken"}},
                                    boost::json::object{{"entity", "Wang Yi"}},
                                    boost::json::object{{"entity", "Antony Blinken"}}};
  o["lists"] = boost::json::array{"people"};
  o["received_at"] = "2026-12-07T08:00:00.000Z";
  o["story_id"] = story;
  o["duplicate_of"] = nullptr;
  a->json = boost::json::serialize(o) + "\n";
  return a;
}

Route desk_route(Sink* s, bool stories, std::uint32_t per_minute,
                 std::optional<std::vector<std::string>> lists = std::nullopt) {
  Route r(s, std::move(lists), std::nullopt);
  r.digests = Route::Digests{stories, 10min, per_minute, "out", std::size_t{1} << 20};
  return r;
}

// sort() on one alert for `routes`: the sinks it goes to at once, `folds` the rest.
std::vector<Sink*> desk_sort(DigestDesk& desk, const Alert& a, const Rules& rules,
                             const std::vector<Route>& routes, Clock::time_point now,
                             std::vector<DigestDesk::Fold>& folds) {
  std::vector<Sink*> targets;
  std::vector<std::uint32_t> classes;
  std::vector<const Route*> which;
  for (const auto& r : routes) {
    targets.push_back(r.sink);
    classes.push_back(0);
    which.push_back(&r);
  }
  desk.sort(a, rules, targets, classes, which, now, folds);
  REQUIRE(classes.size() == targets.size());
  REQUIRE(which.size() == targets.size());
  return targets;
}

boost::json::object desk_json(const Alert& a) {
  return boost::json::parse(a.json).as_object();
}

}  // namespace

TEST_CASE("digest desk: a digest output folds every copy of a story into one digest") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  RecordingSink now_sink, digest_sink;
  const std::vector<Route> routes{Route(&now_sink), desk_route(&digest_sink, true, 0)};
  DigestDesk desk;
  std::vector<DigestDesk::Fold> folds;
  for (int i = 0; i < 3; ++i) {
    auto a = desk_alert("copy-" + std::to_string(i), "0123456789abcdef");
    const auto targets = desk_sort(desk, *a, *rules, routes, kT0 + i * 1s, folds);
    CHECK(targets == std::vector<Sink*>{&now_sink});
    REQUIRE(folds.size() == 1);
    CHECK(folds[0].sink == &digest_sink);
    desk.fold(folds, a, true, kT0 + i * 1s);
  }
  auto other = desk_alert("other", "fedcba9876543210");
  desk_sort(desk, *other, *rules, routes, kT0 + 5s, folds);
  desk.fold(folds, other, false, kT0 + 5s);
  CHECK(desk.counts(&digest_sink).pending == 2);
  CHECK(desk.counts(&digest_sink).pending_copies == 4);
  REQUIRE(desk.next_due() == kT0 + 10min);

  std::vector<DigestDesk::Ready> ready;
  desk.take_due(kT0 + 10min - 1ms, false, ready);
  CHECK(ready.empty());  // nothing before its interval ends
  desk.take_due(kT0 + 10min, false, ready);
  REQUIRE(ready.size() == 1);  // the other story's digest is due 5 s later
  CHECK(ready[0].sink == &digest_sink);
  CHECK(ready[0].folded.size() == 3);
  CHECK_FALSE(ready[0].early);
  const auto d = desk_json(*ready[0].alert);
  CHECK(d.at("type") == "digest");
  CHECK(d.at("reason") == "story");
  CHECK(d.at("story_id") == "0123456789abcdef");
  CHECK(d.at("list").is_null());
  CHECK(d.at("copies") == 3);
  CHECK(d.at("left_out") == 0);
  const auto& items = d.at("items").as_array();
  REQUIRE(items.size() == 3);
  CHECK(items[0].at("article") == "copy-0");
  CHECK(items[2].at("article") == "copy-2");
  CHECK(items[0].at("alert_id") == "alert-copy-0");
  CHECK(items[0].at("headline") == "Blinken meets Wang");
  CHECK(items[0].at("entities") == boost::json::array{"Antony Blinken", "Wang Yi"});
  CHECK(items[0].at("lists") == boost::json::array{"people"});
  CHECK(ready[0].alert->json.back() == '\n');
  CHECK(desk.counts(&digest_sink).sent == 1);
  // Shutdown: the rest goes at once, whether due or not.
  desk.take_due(kT0 + 10min, true, ready);
  REQUIRE(ready.size() == 2);
  CHECK(ready[1].folded.empty());  // not an acknowledged stream's
  CHECK_FALSE(desk.next_due());
  CHECK(desk.counts(&digest_sink).pending == 0);
  CHECK(desk.counts(&digest_sink).folded_story == 4);
}

TEST_CASE("digest desk: a digest stays within max_alert_bytes and says how many it left out") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  RecordingSink sink;
  std::vector<Route> routes{desk_route(&sink, true, 0)};
  routes[0].digests.max_bytes = 2048;
  DigestDesk desk;
  std::vector<DigestDesk::Fold> folds;
  const std::string headline(150, 'h');
  for (int i = 0; i < 40; ++i) {
    auto a = desk_alert("copy-" + std::to_string(i), "0123456789abcdef", {0}, headline);
    desk_sort(desk, *a, *rules, routes, kT0, folds);
    desk.fold(folds, a, true, kT0);
  }
  std::vector<DigestDesk::Ready> ready;
  desk.take_due(kT0 + 10min, false, ready);
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].alert->json.size() <= 2048);
  CHECK(ready[0].folded.size() == 40);  // every one is acknowledged with the digest
  const auto d = desk_json(*ready[0].alert);
  const auto listed = d.at("items").as_array().size();
  CHECK(listed >= 3);  // about 350 bytes each, 2048 in all
  CHECK(listed < 40);
  CHECK(d.at("copies") == 40);
  CHECK(d.at("left_out").as_int64() == static_cast<std::int64_t>(40 - listed));
  CHECK(d.at("items").as_array()[0].at("article") == "copy-0");  // oldest first
}

TEST_CASE("digest desk: a throttled list folds its excess per minute and per list") {
  auto rules =
      pipeline_test::rules_from({{"noisy", "Antony Blinken|Blinken\n"}, {"quiet", "Wang Yi\n"}});
  RecordingSink sink;
  const std::vector<Route> routes{desk_route(&sink, false, 2)};
  DigestDesk desk;
  std::vector<DigestDesk::Fold> folds;
  int sent = 0;
  for (int i = 0; i < 5; ++i) {
    auto a = desk_alert("n" + std::to_string(i), "s" + std::to_string(i), {0});
    if (!desk_sort(desk, *a, *rules, routes, kT0 + i * 1s, folds).empty()) ++sent;
    desk.fold(folds, a, false, kT0 + i * 1s);
  }
  CHECK(sent == 2);
  // An alert of both lists goes out while the quiet one has room.
  auto both = desk_alert("both", "sb", {0, 1});
  CHECK(desk_sort(desk, *both, *rules, routes, kT0 + 6s, folds).size() == 1);
  CHECK(folds.empty());
  // A new minute, new room.
  auto later = desk_alert("later", "sl", {0});
  CHECK(desk_sort(desk, *later, *rules, routes, kT0 + 61s, folds).size() == 1);
  CHECK(desk.counts(&sink).folded_throttle == 3);
  const auto& throttled = desk.throttle().throttled_counts();
  REQUIRE(throttled.size() == 1);
  CHECK(throttled.begin()->first.second == "noisy");
  CHECK(throttled.begin()->second == 3);
  std::vector<DigestDesk::Ready> ready;
  desk.take_due(kT0 + 11min, false, ready);
  REQUIRE(ready.size() == 1);  // one digest for the list, whatever the stories
  const auto d = desk_json(*ready[0].alert);
  CHECK(d.at("reason") == "throttle");
  CHECK(d.at("list") == "noisy");
  CHECK(d.at("story_id").is_null());
  CHECK(d.at("copies") == 3);
  CHECK(d.at("items").as_array()[0].at("article") == "n2");
}

TEST_CASE("digest desk: past its bounds the desk sends the oldest digest early, dropping nothing") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  RecordingSink sink;
  const std::vector<Route> routes{desk_route(&sink, true, 0)};
  DigestDesk desk(
      DigestDeskLimits{.max_digests = 3, .max_kept_alerts = 100, .max_item_bytes = 1 << 20});
  std::vector<DigestDesk::Fold> folds;
  std::vector<DigestDesk::Ready> ready;
  for (int i = 0; i < 5; ++i) {
    auto a = desk_alert("a" + std::to_string(i), "story" + std::to_string(i));
    desk_sort(desk, *a, *rules, routes, kT0 + i * 1s, folds);
    desk.fold(folds, a, true, kT0 + i * 1s);
    desk.take_due(kT0 + i * 1s, false, ready);
  }
  REQUIRE(ready.size() == 2);
  CHECK(ready[0].early);
  CHECK(desk_json(*ready[0].alert).at("story_id") == "story0");
  CHECK(desk_json(*ready[1].alert).at("story_id") == "story1");
  CHECK(desk.counts(&sink).pending == 3);
  CHECK(desk.counts(&sink).sent_early == 2);
}

TEST_CASE("digest desk: a digest's delivery settles the alerts folded into it, once") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  RecordingSink sink, other;
  const std::vector<Route> routes{desk_route(&sink, true, 0)};
  DigestDesk desk;
  std::vector<DigestDesk::Fold> folds;
  auto a = desk_alert("a", "s");
  auto b = desk_alert("b", "s");
  for (const auto& x : {a, b}) {
    desk_sort(desk, *x, *rules, routes, kT0, folds);
    desk.fold(folds, x, true, kT0);
  }
  std::vector<DigestDesk::Ready> ready;
  desk.take_due(kT0 + 10min, false, ready);
  REQUIRE(ready.size() == 1);
  const auto digest = ready[0].alert;
  desk.sending(std::move(ready[0]));
  std::vector<const Alert*> settled;
  auto settle = [&](const Alert* x) { settled.push_back(x); };
  desk.delivered(&other, digest.get(), settle);  // not its sink
  desk.delivered(&sink, a.get(), settle);        // not a digest
  CHECK(settled.empty());
  desk.delivered(&sink, digest.get(), settle);
  CHECK(settled == std::vector<const Alert*>{a.get(), b.get()});
  desk.delivered(&sink, digest.get(), settle);
  CHECK(settled.size() == 2);
}

TEST_CASE("digest desk: a removed output's pending digests are given up and counted") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  RecordingSink sink;
  const std::vector<Route> routes{desk_route(&sink, true, 0)};
  DigestDesk desk;
  std::vector<DigestDesk::Fold> folds;
  for (int i = 0; i < 3; ++i) {
    auto a = desk_alert("a" + std::to_string(i), "s");
    desk_sort(desk, *a, *rules, routes, kT0, folds);
    desk.fold(folds, a, true, kT0);
  }
  const Sink* removed[] = {&sink};
  CHECK(desk.forget_sinks(removed) == 3);
  CHECK_FALSE(desk.next_due());
  CHECK(desk.counts(&sink).pending == 0);
}

TEST_CASE("digest desk: the alerts nothing resends are kept for the store and read back") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  RecordingSink digest_sink;
  const std::vector<Route> routes{desk_route(&digest_sink, true, 0)};
  DigestDesk desk;
  std::vector<DigestDesk::Fold> folds;
  std::vector<DigestRecord> up;
  std::vector<DigestKey> removed;
  // An acknowledged alert (kept): its feed resends it, nothing to store.
  auto acked = desk_alert("acked", "0123456789abcdef");
  desk_sort(desk, *acked, *rules, routes, kT0, folds);
  desk.fold(folds, acked, true, kT0);
  desk.take_changes(up, removed);
  CHECK(up.empty());
  CHECK(removed.empty());
  // Two without acknowledgement: stored, the acknowledged one left out.
  for (int i = 0; i < 2; ++i) {
    auto a = desk_alert("plain-" + std::to_string(i), "0123456789abcdef");
    desk_sort(desk, *a, *rules, routes, kT0 + 1s, folds);
    desk.fold(folds, a, false, kT0 + 1s);
  }
  desk.take_changes(up, removed);
  REQUIRE(up.size() == 1);
  CHECK(removed.empty());
  CHECK(up[0].key.output == "out");
  CHECK(up[0].key.list.empty());
  CHECK(up[0].key.group == "0123456789abcdef");
  CHECK(up[0].story_id == "0123456789abcdef");
  CHECK(up[0].copies == 2);
  CHECK(up[0].opened == kT0);
  CHECK(up[0].due == kT0 + 10min);
  REQUIRE(up[0].items.size() == 2);
  CHECK(boost::json::parse(up[0].items[0]).at("article") == "plain-0");

  // Read back by a new desk (a restart): due at its time, listing those two.
  DigestDesk after;
  CHECK(after.restore(up[0], &digest_sink, routes[0]));
  CHECK_FALSE(after.restore(up[0], &digest_sink, routes[0]));  // already there
  CHECK(after.next_due() == kT0 + 10min);
  std::vector<DigestDesk::Ready> ready;
  after.take_due(kT0 + 10min, false, ready);
  REQUIRE(ready.size() == 1);
  const auto digest = desk_json(*ready[0].alert);
  CHECK(digest.at("copies") == 2);
  CHECK(digest.at("items").as_array().size() == 2);
  // Sent: removed from the store.
  after.take_changes(up, removed);
  CHECK(up.empty());
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].group == "0123456789abcdef");
}

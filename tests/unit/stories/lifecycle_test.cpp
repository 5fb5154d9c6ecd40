// Tests (stories): the lifecycle decisions (one test per row of the table in
// docs/stories.md), holds and their release, the version order, the bounds, the
// change list the store writes, and the match fingerprint.
#include <catch2/catch.hpp>
#include <string>

#include "newshound/stories/lifecycle.hpp"
#include "newshound/stories/match_hash.hpp"

using namespace newshound;

namespace {

const Clock::time_point kNow = Clock::time_point(std::chrono::hours(24 * 365 * 56));
constexpr std::uint64_t kM1 = 0x1111, kM2 = 0x2222;

Arrival lifecycle_arrival(std::string_view id, std::string_view version, std::uint64_t matches,
                          std::string_view alert) {
  Arrival a;
  a.article_id = id;
  a.version = version;
  a.matches = matches;
  a.alert_id = alert;
  return a;
}

Arrival killed(std::string_view id, std::string_view version,
               PubStatus status = PubStatus::canceled) {
  Arrival a = lifecycle_arrival(id, version, 0, "k");
  a.pubstatus = status;
  return a;
}

}  // namespace

TEST_CASE("lifecycle: the first matching version is new, an unmatched one is nothing") {
  Lifecycle l;
  const LifecycleDecision none = l.decide(lifecycle_arrival("x", "1", kNoMatches, "ax"), kNow);
  CHECK(none.event == LifecycleEvent::none);
  CHECK(none.reason == LifecycleReason::no_match);
  CHECK_FALSE(l.known("x"));

  const LifecycleDecision d = l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  CHECK(d.event == LifecycleEvent::new_alert);
  CHECK(d.reason == LifecycleReason::first);
  CHECK(std::string(lifecycle_event_name(d.event)) == "new");
  CHECK(l.known("a"));
}

TEST_CASE("lifecycle: a newer version is an update only when its matches changed") {
  Lifecycle l;
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  const LifecycleDecision same = l.decide(lifecycle_arrival("a", "2", kM1, "a2"), kNow);
  CHECK(same.event == LifecycleEvent::none);
  CHECK(same.reason == LifecycleReason::unchanged);

  const LifecycleDecision upd = l.decide(lifecycle_arrival("a", "3", kM2, "a3"), kNow);
  CHECK(upd.event == LifecycleEvent::update);
  CHECK(upd.previous_alert == "a1");
  const LifecycleDecision upd2 = l.decide(lifecycle_arrival("a", "4", kM1, "a4"), kNow);
  CHECK(upd2.event == LifecycleEvent::update);
  CHECK(upd2.previous_alert == "a3");
}

TEST_CASE("lifecycle: the same or an older version again is nothing") {
  Lifecycle l;
  l.decide(lifecycle_arrival("a", "2", kM1, "a1"), kNow);
  const LifecycleDecision replay = l.decide(lifecycle_arrival("a", "2", kM2, "a2"), kNow);
  CHECK(replay.event == LifecycleEvent::none);
  CHECK(replay.reason == LifecycleReason::replay);
  const LifecycleDecision stale = l.decide(lifecycle_arrival("a", "1", kM2, "a3"), kNow);
  CHECK(stale.event == LifecycleEvent::none);
  CHECK(stale.reason == LifecycleReason::stale);
  CHECK(l.counts().decisions[static_cast<std::size_t>(LifecycleReason::replay)] == 1);
  CHECK(l.counts().decisions[static_cast<std::size_t>(LifecycleReason::stale)] == 1);
}

TEST_CASE("lifecycle: a replay says whether its alert is still in force") {
  Lifecycle l;
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  // The alerted version again (a resend): its alert is in force, nothing before it.
  const LifecycleDecision again = l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  CHECK(again.reason == LifecycleReason::replay);
  CHECK(again.in_force);
  CHECK(again.previous_alert.empty());
  l.decide(lifecycle_arrival("a", "2", kM2, "a2"), kNow);  // an update
  const LifecycleDecision upd = l.decide(lifecycle_arrival("a", "2", kM2, "a2"), kNow);
  CHECK(upd.in_force);
  CHECK(upd.previous_alert == "a1");
  // A version whose alert was never sent (unchanged matches) is not in force.
  l.decide(lifecycle_arrival("a", "3", kM2, "a3"), kNow);
  CHECK_FALSE(l.decide(lifecycle_arrival("a", "3", kM2, "a3"), kNow).in_force);
  // The same version under another alert id (other rules): an update of the one in force.
  Arrival other_rules = lifecycle_arrival("a", "3", kM1, "a3-r2");
  CHECK(l.decide(other_rules, kNow).reason == LifecycleReason::replay);  // not told: a replay
  other_rules.rules_in_matches = true;
  const LifecycleDecision rules = l.decide(other_rules, kNow);
  CHECK(rules.event == LifecycleEvent::update);
  CHECK(rules.reason == LifecycleReason::rules_changed);
  CHECK(rules.previous_alert == "a2");
  CHECK(l.decide(other_rules, kNow).in_force);
  // Nor one retracted since.
  l.decide(lifecycle_arrival("a", "4", kNoMatches, "a4"), kNow);
  CHECK_FALSE(l.decide(lifecycle_arrival("a", "4", kM2, "a2"), kNow).in_force);
}

TEST_CASE("lifecycle: a newer version that matches nothing retracts every alert in force") {
  Lifecycle l;
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  l.decide(lifecycle_arrival("a", "2", kM2, "a2"), kNow);
  const LifecycleDecision r = l.decide(lifecycle_arrival("a", "3", kNoMatches, "a3"), kNow);
  CHECK(r.event == LifecycleEvent::retraction);
  CHECK(r.reason == LifecycleReason::unmatched);
  CHECK(r.retracts == std::vector<std::string>{"a1", "a2"});
  // Nothing left to retract; a later matching version is new again.
  CHECK(l.decide(lifecycle_arrival("a", "4", kNoMatches, "a4"), kNow).reason ==
        LifecycleReason::no_match);
  const LifecycleDecision again = l.decide(lifecycle_arrival("a", "5", kM1, "a5"), kNow);
  CHECK(again.event == LifecycleEvent::new_alert);
}

TEST_CASE("lifecycle: canceled or withheld retracts an alerted article, even at its version") {
  for (const PubStatus status : {PubStatus::canceled, PubStatus::withheld}) {
    Lifecycle l;
    l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
    const LifecycleDecision r = l.decide(killed("a", "1", status), kNow);
    CHECK(r.event == LifecycleEvent::retraction);
    CHECK(r.reason == LifecycleReason::killed);
    CHECK(r.retracts == std::vector<std::string>{"a1"});
    // The kill repeated takes back nothing.
    const LifecycleDecision twice = l.decide(killed("a", "2", status), kNow);
    CHECK(twice.event == LifecycleEvent::none);
    CHECK(twice.reason == LifecycleReason::nothing_to_retract);
  }
}

TEST_CASE("lifecycle: a kill arriving first is remembered: the older copy stays quiet") {
  Lifecycle l;
  CHECK(l.decide(killed("a", "2"), kNow).reason == LifecycleReason::nothing_to_retract);
  CHECK(l.known("a"));
  CHECK(l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow).reason == LifecycleReason::stale);
}

TEST_CASE("lifecycle: an embargoed version is held and released at its time") {
  Lifecycle l;
  Arrival a = lifecycle_arrival("a", "1", kM1, "a1");
  a.embargo = kNow + std::chrono::hours(2);
  a.payload = "{\"alert\":1}";
  const LifecycleDecision h = l.decide(a, kNow);
  CHECK(h.event == LifecycleEvent::hold);
  CHECK(h.release_at == kNow + std::chrono::hours(2));
  CHECK(l.counts().held == 1);
  REQUIRE(l.next_due());
  CHECK(*l.next_due() == kNow + std::chrono::hours(2));

  std::vector<Release> out;
  l.due(kNow + std::chrono::hours(1), out);
  CHECK(out.empty());
  // The held version again is a replay; the hold stays.
  CHECK(l.decide(a, kNow + std::chrono::minutes(5)).reason == LifecycleReason::replay);
  l.due(kNow + std::chrono::hours(2), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].article_id == "a");
  CHECK(out[0].alert_id == "a1");
  CHECK(out[0].payload == "{\"alert\":1}");
  CHECK(out[0].decision.event == LifecycleEvent::new_alert);
  CHECK(l.counts().held == 0);
  CHECK(l.counts().released == 1);
  // Released: a kill now retracts the released alert.
  CHECK(l.decide(killed("a", "2"), kNow + std::chrono::hours(3)).retracts ==
        std::vector<std::string>{"a1"});
}

TEST_CASE("lifecycle: a past embargo is no hold, a newer version replaces or drops a hold") {
  Lifecycle l;
  Arrival past = lifecycle_arrival("p", "1", kM1, "p1");
  past.embargo = kNow - std::chrono::minutes(1);
  CHECK(l.decide(past, kNow).event == LifecycleEvent::new_alert);

  Arrival a = lifecycle_arrival("a", "1", kM1, "a1");
  a.embargo = kNow + std::chrono::hours(2);
  l.decide(a, kNow);
  Arrival b = lifecycle_arrival("a", "2", kM2, "a2");
  b.embargo = kNow + std::chrono::hours(3);
  CHECK(l.decide(b, kNow).event == LifecycleEvent::hold);
  CHECK(l.counts().held == 1);
  std::vector<Release> out;
  l.due(kNow + std::chrono::hours(2), out);
  CHECK(out.empty());
  l.due(kNow + std::chrono::hours(3), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].version == "2");
  CHECK(out[0].alert_id == "a2");

  // A kill of a held, never alerted article drops the hold and sends nothing.
  Arrival c = lifecycle_arrival("c", "1", kM1, "c1");
  c.embargo = kNow + std::chrono::hours(2);
  l.decide(c, kNow);
  CHECK(l.decide(killed("c", "1"), kNow).reason == LifecycleReason::nothing_to_retract);
  l.due(kNow + std::chrono::hours(5), out);
  CHECK(out.empty());
}

TEST_CASE("lifecycle: a held update of an alerted article is decided at release") {
  Lifecycle l;
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  Arrival b = lifecycle_arrival("a", "2", kM2, "a2");
  b.embargo = kNow + std::chrono::hours(1);
  CHECK(l.decide(b, kNow).event == LifecycleEvent::hold);
  std::vector<Release> out;
  l.due(kNow + std::chrono::hours(1), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].decision.event == LifecycleEvent::update);
  CHECK(out[0].decision.previous_alert == "a1");
}

TEST_CASE("lifecycle: versions order by dotted numeric parts") {
  CHECK(compare_versions("2", "10") < 0);
  CHECK(compare_versions("10", "2") > 0);
  CHECK(compare_versions("1.9", "1.10") < 0);
  CHECK(compare_versions("007", "7") == 0);
  CHECK(compare_versions("", "1") < 0);
  CHECK(compare_versions("1", "1.1") < 0);
  CHECK(compare_versions("", "") == 0);
  CHECK(compare_versions("2026-12-07T10:00:00Z", "2026-12-07T09:00:00Z") > 0);
  CHECK(compare_versions("99999999999999999999999", "100000000000000000000000") < 0);
  Article art;
  art.versioncreated = "2026-12-07T10:00:00Z";
  CHECK(lifecycle_version(art) == "2026-12-07T10:00:00Z");
  art.version = "3";
  CHECK(lifecycle_version(art) == "3");
}

TEST_CASE("lifecycle: options are checked") {
  CHECK(lifecycle_options_error({}).empty());
  LifecycleOptions o;
  o.max_articles = 0;
  CHECK(lifecycle_options_error(o).find("max_articles") != std::string::npos);
  o = {};
  o.window = std::chrono::seconds(0);
  CHECK(lifecycle_options_error(o).find("window") != std::string::npos);
}

TEST_CASE("lifecycle: bounded by a cap (LRU) and a window, with counts") {
  LifecycleOptions o;
  o.max_articles = 2;
  o.window = std::chrono::hours(1);
  Lifecycle l(o);
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  Arrival h = lifecycle_arrival("b", "1", kM1, "b1");
  h.embargo = kNow + std::chrono::hours(10);
  l.decide(h, kNow);
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);  // a is the most recent
  l.decide(lifecycle_arrival("c", "1", kM1, "c1"), kNow);  // evicts b, held
  CHECK_FALSE(l.known("b"));
  CHECK(l.counts().evicted == 1);
  CHECK(l.counts().holds_dropped == 1);
  CHECK(l.counts().held == 0);
  l.decide(lifecycle_arrival("x", "1", kNoMatches, ""), kNow + std::chrono::hours(2));
  CHECK(l.counts().articles == 0);
  CHECK(l.counts().expired == 2);
}

TEST_CASE("lifecycle: changes list what the store must write, removals first") {
  LifecycleOptions o;
  o.max_articles = 1;
  Lifecycle l(o);
  l.track_changes(true);
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  l.decide(lifecycle_arrival("b", "1", kM1, "b1"), kNow);  // evicts a
  std::vector<ArticleRecord> up;
  std::vector<std::string> removed;
  l.take_changes(up, removed);
  CHECK(removed == std::vector<std::string>{"a"});
  REQUIRE(up.size() == 1);
  CHECK(up[0].id == "b");
  CHECK(up[0].alerts == std::vector<std::string>{"b1"});
  l.take_changes(up, removed);
  CHECK(up.empty());
  CHECK(removed.empty());

  Lifecycle back(o);
  ArticleRecord r;
  r.id = "b";
  r.version = "1";
  r.matches = kM1;
  r.alerts = {"b1"};
  r.last_seen = kNow;
  back.restore(r);
  CHECK(back.decide(lifecycle_arrival("b", "1", kM1, "b1"), kNow).reason ==
        LifecycleReason::replay);
  CHECK(back.decide(killed("b", "2"), kNow).retracts == std::vector<std::string>{"b1"});
}

TEST_CASE("lifecycle: changes taken into records of an earlier batch keep nothing of them") {
  Lifecycle l;
  l.track_changes(true);
  Arrival held = lifecycle_arrival("h", "1", kM1, "h1");
  held.embargo = kNow + std::chrono::hours(1);
  const std::string payload = "{\"held\":true}";
  held.payload = payload;
  l.decide(held, kNow);
  l.decide(lifecycle_arrival("u", "1", kM1, "u1"), kNow);
  l.decide(lifecycle_arrival("u", "2", kM2, "u2"), kNow);  // two alerts in force
  l.took("u", "u2", {"desk"});
  std::vector<ArticleRecord> up;
  std::vector<std::string> removed;
  l.take_changes(up, removed);
  REQUIRE(up.size() == 2);
  // The next batch reuses those records: a plain new article lands in them.
  l.decide(lifecycle_arrival("p", "7", kM2, "p7"), kNow);
  l.take_changes(up, removed);
  REQUIRE(up.size() == 1);
  const ArticleRecord& r = up[0];
  CHECK(r.id == "p");
  CHECK(r.version == "7");
  CHECK(r.matches == kM2);
  CHECK(r.alerts == std::vector<std::string>{"p7"});
  REQUIRE(r.alert_outputs.size() == 1);
  CHECK(r.alert_outputs[0].names.empty());
  CHECK_FALSE(r.held);
  CHECK(r.hold_alert.empty());
  CHECK(r.payload.empty());
  CHECK(r.release_at == Clock::time_point{});
  CHECK(r.fresh);
}

TEST_CASE("lifecycle: the match fingerprint counts entities and topics, not positions") {
  std::vector<std::uint64_t> scratch;
  MatchSet none;
  CHECK(match_hash(none, scratch) == kNoMatches);
  MatchSet a;
  a.matches.push_back({7, 0, Field::headline, 0, 3, 0, 3, 0});
  a.matches.push_back({3, 1, Field::body, 10, 13, 10, 13, 1});
  MatchSet b;  // the same entities, other places, one twice
  b.matches.push_back({3, 1, Field::headline, 0, 3, 0, 3, 0});
  b.matches.push_back({7, 0, Field::body, 20, 23, 20, 23, 1});
  b.matches.push_back({7, 2, Field::body, 40, 43, 40, 43, 1});
  CHECK(match_hash(a, scratch) == match_hash(b, scratch));
  CHECK(match_hash(a, scratch) != kNoMatches);
  MatchSet c = a;
  c.topics.push_back({3, 0, 0});  // topic 3 is not entity 3
  CHECK(match_hash(c, scratch) != match_hash(a, scratch));
  MatchSet d;
  d.topics.push_back({3, 0, 0});
  MatchSet e;
  e.matches.push_back({3, 1, Field::headline, 0, 3, 0, 3, 0});
  CHECK(match_hash(d, scratch) != match_hash(e, scratch));
}

TEST_CASE("lifecycle: a retraction names the outputs that took the alerts it retracts") {
  Lifecycle l;
  l.decide(lifecycle_arrival("a", "1", kM1, "a1"), kNow);
  l.took("a", "a1", {"wire", "desk"});
  l.took("a", "a1", {"desk"});  // a replay sent to one of them again
  l.decide(lifecycle_arrival("a", "2", kM2, "a2"), kNow);
  l.took("a", "a2", {"web"});
  l.took("a", "nope", {"other"});  // not an alert in force: nothing
  l.took("b", "b1", {"other"});    // not an article known: nothing
  const LifecycleDecision r = l.decide(killed("a", "3"), kNow);
  CHECK(r.event == LifecycleEvent::retraction);
  CHECK(r.retract_to.known());
  CHECK(r.retract_to.names == std::vector<std::string>{"desk", "web", "wire"});

  // An alert no router reported (as in scan): every output.
  l.decide(lifecycle_arrival("c", "1", kM1, "c1"), kNow);
  l.decide(lifecycle_arrival("c", "2", kM2, "c2"), kNow);
  l.took("c", "c2", {"web"});
  const LifecycleDecision all = l.decide(killed("c", "3"), kNow);
  CHECK_FALSE(all.retract_to.known());
  CHECK(all.retract_to.names.empty());

  // Routed to no output at all: the retraction goes nowhere.
  l.decide(lifecycle_arrival("d", "1", kM1, "d1"), kNow);
  l.took("d", "d1", {});
  const LifecycleDecision none = l.decide(lifecycle_arrival("d", "2", kNoMatches, "d2"), kNow);
  CHECK(none.event == LifecycleEvent::retraction);
  CHECK(none.retract_to.known());
  CHECK(none.retract_to.names.empty());
}

TEST_CASE("lifecycle: an alert restored without outputs (an older store) retracts everywhere") {
  Lifecycle l;
  ArticleRecord r;
  r.id = "a";
  r.version = "1";
  r.matches = kM1;
  r.alerts = {"a1"};
  r.last_seen = kNow;
  r.used = 1;
  l.restore(r);
  l.took("a", "a1", {"web"});  // a replay after the upgrade: still not known where a1 went
  const LifecycleDecision d = l.decide(killed("a", "2"), kNow);
  CHECK(d.retracts == std::vector<std::string>{"a1"});
  CHECK_FALSE(d.retract_to.known());
}

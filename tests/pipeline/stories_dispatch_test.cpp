// Tests (pipeline): the story stage in the dispatcher, without sockets. Articles are
// filed in each stream's order however the workers race, so a story's first copy
// is the one that arrived first; an output taking first copies only does not get
// later copies, and their lines are still acknowledged like lines routed nowhere.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "newshound/daemon/dispatcher.hpp"
#include "newshound/dispatch/held_alert.hpp"
#include "newshound/encode/alert_encoder.hpp"
#include "pipeline/dispatch_util.hpp"
#include "pipeline/pipeline_util.hpp"

using namespace newshound;
using namespace dispatch_test;

namespace {

// A story of its own per `n` (long enough for a stable signature), all naming Blinken.
std::string stories_dispatch_text(int n) {
  std::string t = "Blinken report number " + std::to_string(n) + ":";
  for (int w = 0; w < 40; ++w) t += " w" + std::to_string(n * 1000 + w * 7);
  return t + ".";
}

std::string stories_dispatch_field(const Alert& a, const char* key) {
  const auto v = boost::json::parse(a.json).at(key);
  return v.is_null()     ? "null"
         : v.is_string() ? std::string(v.as_string())
                         : std::to_string(v.as_int64());
}

}  // namespace

TEST_CASE("stories dispatch: copies across batches get the earlier article as first copy") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink first, all;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 2, {FieldMap{}}, rules,
               {Route(&first, std::nullopt, std::nullopt, 0, true), Route(&all)});
  auto stage = std::make_shared<StoryStage>(StoryOptions{});
  d.set_stories(stage);
  // Batch s: twenty articles of story s (its first copy last), then in batch s + 1
  // the copy of story s first: the copy's worker usually files it before the
  // original's worker gets to the end of its batch, were filing not in order.
  const int batches = 40;
  std::size_t done = 0;
  for (int s = 0; s < batches; ++s) {
    std::vector<std::string> lines;
    if (s > 0)
      lines.push_back(article("copy-" + std::to_string(s - 1), stories_dispatch_text(s - 1)));
    for (int i = 0; i < 20; ++i)
      lines.push_back(article("filler-" + std::to_string(s) + "-" + std::to_string(i),
                              stories_dispatch_text(1000 + s * 100 + i)));
    lines.push_back(article("orig-" + std::to_string(s), stories_dispatch_text(s)));
    auto b = batch(1, static_cast<std::uint64_t>(s), lines);
    d.consume(std::move(b), [&] { ++done; });
  }
  d.end_stream(1);
  while (done < batches) io.run_one();
  const std::size_t per_batch = 21;
  REQUIRE(all.alerts.size() == batches * per_batch + (batches - 1));
  REQUIRE(first.alerts.size() == batches * per_batch);
  int copies = 0;
  for (const auto& a : all.alerts) {
    INFO(a->json);
    if (a->article.rfind("copy-", 0) == 0) {
      ++copies;
      CHECK(a->duplicate);
      CHECK(stories_dispatch_field(*a, "duplicate_of") == "orig-" + a->article.substr(5));
      CHECK(stories_dispatch_field(*a, "copies") == "2");
    } else {
      CHECK_FALSE(a->duplicate);
      CHECK(stories_dispatch_field(*a, "duplicate_of") == "null");
      CHECK(stories_dispatch_field(*a, "copies") == "1");
      CHECK(stories_dispatch_field(*a, "story_id").size() == 16);
    }
  }
  CHECK(copies == batches - 1);
  for (const auto& a : first.alerts) CHECK(a->article.rfind("copy-", 0) != 0);
  CHECK(d.duplicates_skipped(first) == batches - 1);
  CHECK(d.duplicates_skipped(all) == 0);
  CHECK(stage->counts().copies == batches - 1);
  CHECK(stage->counts().index.stories == batches * per_batch);
}

TEST_CASE("stories dispatch: a copy skipped for the only output is still acknowledged") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink first;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {Route(&first, std::nullopt, std::nullopt, 0, true)});
  d.set_stories(std::make_shared<StoryStage>(StoryOptions{}));
  auto acks = std::make_shared<RecordingAcks>();
  int done = 0;
  auto b = batch(2, 0,
                 {article("a1", stories_dispatch_text(1)), article("a2", stories_dispatch_text(1)),
                  article("a1", stories_dispatch_text(1)), article("n", "Nothing.")});
  b.acks = acks;
  d.consume(std::move(b), [&] { ++done; });
  while (done < 1) io.run_one();
  // a1, then a1 again (the first copy resent: the same alert); a2 skipped.
  REQUIRE(first.alerts.size() == 2);
  CHECK(first.alerts[0]->article == "a1");
  CHECK(first.alerts[1]->article == "a1");
  CHECK(first.alerts[1]->id == first.alerts[0]->id);
  CHECK(stories_dispatch_field(*first.alerts[1], "copies") == "1");
  CHECK(acks->replies.empty());  // a1 not sent yet: nothing settles before it
  d.on_sent(&first, first.alerts[0]);
  // a1 settled, a2 (skipped: routed nowhere) settles at once behind it.
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"a1\"}\n", "{\"ack\":\"a2\"}\n"});
  d.on_sent(&first, first.alerts[1]);
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"a1\"}\n", "{\"ack\":\"a2\"}\n",
                                                  "{\"ack\":\"a1\"}\n", "{\"ack\":\"n\"}\n"});
  CHECK(d.duplicates_skipped(first) == 1);
  d.end_stream(2);
}

namespace {

// A ninjs line of article `id` at `version`, with extra members (pubstatus, embargoed).
std::string lifecycle_dispatch_line(const std::string& id, const std::string& version,
                                    const std::string& body, boost::json::object extra = {}) {
  boost::json::object o = std::move(extra);
  o["uri"] = id;
  o["version"] = version;
  o["body_text"] = body;
  return boost::json::serialize(o);
}

std::vector<std::string> lifecycle_dispatch_retracts(const Alert& a) {
  std::vector<std::string> out;
  const boost::json::value alert = boost::json::parse(a.json);
  for (const auto& v : alert.at("retracts").as_array()) out.emplace_back(v.as_string());
  return out;
}

}  // namespace

TEST_CASE("stories dispatch: versions raise new, update and retractions, routed by rule") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink people, orgs;
  auto rules =
      pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}, {"orgs", "NATO\n"}});
  Dispatcher d(io, 2, {FieldMap{}}, rules,
               {Route(&people, std::vector<std::string>{"people"}, std::nullopt),
                Route(&orgs, std::vector<std::string>{"orgs"}, std::nullopt)});
  auto stage = std::make_shared<StoryStage>(StoryOptions{});
  d.set_stories(stage);
  auto acks = std::make_shared<RecordingAcks>();
  boost::json::object kill;
  kill["pubstatus"] = "canceled";
  auto b = batch(3, 0,
                 {lifecycle_dispatch_line("a", "1", stories_dispatch_text(1)),
                  // Same matches: nothing. Then Blinken and NATO: an update.
                  lifecycle_dispatch_line("a", "2", stories_dispatch_text(1) + " More."),
                  lifecycle_dispatch_line("a", "3", stories_dispatch_text(1) + " NATO too."),
                  // Matches nothing any more: every alert of `a` taken back.
                  lifecycle_dispatch_line("a", "4", "Nothing to see."),
                  lifecycle_dispatch_line("b", "1", stories_dispatch_text(2)),
                  // A kill that matches nothing; an unknown article's kill: nothing.
                  lifecycle_dispatch_line("b", "1", "Withdrawn.", kill),
                  lifecycle_dispatch_line("c", "1", "Withdrawn.", kill)});
  b.acks = acks;
  int done = 0;
  d.consume(std::move(b), [&] { ++done; });
  while (done < 1) io.run_one();
  // people: a1, a3 (update), retraction of a, b1, retraction of b; orgs: a3 and the
  // two retractions (a retraction goes to every output).
  REQUIRE(people.alerts.size() == 5);
  REQUIRE(orgs.alerts.size() == 3);
  const auto& a1 = *people.alerts[0];
  const auto& a3 = *people.alerts[1];
  CHECK(stories_dispatch_field(a1, "event") == "new");
  CHECK(stories_dispatch_field(a1, "previous_alert") == "null");
  CHECK(stories_dispatch_field(a3, "event") == "update");
  CHECK(stories_dispatch_field(a3, "previous_alert") == a1.id);
  CHECK(a3.id != a1.id);
  CHECK(orgs.alerts[0] == people.alerts[1]);
  const auto& ra = *people.alerts[2];
  CHECK(ra.article == "a");
  CHECK(stories_dispatch_field(ra, "event") == "retraction");
  CHECK(lifecycle_dispatch_retracts(ra) == std::vector<std::string>{a1.id, a3.id});
  CHECK(boost::json::parse(ra.json).at("matches").as_array().empty());
  CHECK(orgs.alerts[1] == people.alerts[2]);
  const auto& b1 = *people.alerts[3];
  const auto& rb = *people.alerts[4];
  CHECK(stories_dispatch_field(rb, "event") == "retraction");
  CHECK(lifecycle_dispatch_retracts(rb) == std::vector<std::string>{b1.id});
  CHECK(orgs.alerts[2] == people.alerts[4]);
  // Every line is acknowledged once what was sent for it is delivered.
  for (const auto& a : people.alerts) d.on_sent(&people, a);
  for (const auto& a : orgs.alerts) d.on_sent(&orgs, a);
  CHECK(acks->replies.size() == 7);
  const auto c = stage->counts().lifecycle;
  CHECK(c.decisions[static_cast<std::size_t>(LifecycleReason::unchanged)] == 1);
  CHECK(c.decisions[static_cast<std::size_t>(LifecycleReason::matches_changed)] == 1);
  CHECK(c.decisions[static_cast<std::size_t>(LifecycleReason::unmatched)] == 1);
  CHECK(c.decisions[static_cast<std::size_t>(LifecycleReason::killed)] == 1);
  CHECK(c.decisions[static_cast<std::size_t>(LifecycleReason::nothing_to_retract)] == 1);
  d.end_stream(3);
}

TEST_CASE("stories dispatch: an embargoed alert is held, acknowledged and sent at its time") {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  RecordingSink out;
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  Dispatcher d(io, 1, {FieldMap{}}, rules, {Route(&out)});
  auto stage = std::make_shared<StoryStage>(StoryOptions{});
  d.set_stories(stage);
  auto acks = std::make_shared<RecordingAcks>();
  // Two seconds ahead, at a whole second (the date reader reads seconds).
  const auto embargo =
      std::chrono::ceil<std::chrono::seconds>(Clock::now()) + std::chrono::seconds(2);
  boost::json::object extra;
  extra["embargoed"] = format_time(embargo);
  auto b = batch(4, 0, {lifecycle_dispatch_line("e", "1", stories_dispatch_text(3), extra)});
  b.acks = acks;
  int done = 0;
  d.consume(std::move(b), [&] { ++done; });
  while (done < 1) io.run_one();
  CHECK(out.alerts.empty());
  CHECK(acks->replies == std::vector<std::string>{"{\"ack\":\"e\"}\n"});  // held = accepted
  CHECK(stage->counts().lifecycle.held == 1);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.alerts.empty() && std::chrono::steady_clock::now() < until)
    io.run_one_for(std::chrono::milliseconds(50));
  REQUIRE(out.alerts.size() == 1);
  CHECK(Clock::now() >= embargo);
  CHECK(out.alerts[0]->article == "e");
  CHECK(stories_dispatch_field(*out.alerts[0], "event") == "new");
  CHECK(stories_dispatch_field(*out.alerts[0], "story_id").size() == 16);
  CHECK(stage->counts().lifecycle.held == 0);
  CHECK(stage->counts().lifecycle.released == 1);
  d.end_stream(4);
}

TEST_CASE("stories dispatch: a held alert's payload keeps its bytes, cuts and list names") {
  auto rules = pipeline_test::rules_from({{"people", "Antony Blinken|Blinken\n"}});
  auto later =
      pipeline_test::rules_from({{"other", "X\n"}, {"people", "Antony Blinken|Blinken\n"}});
  Alert a;
  a.id = "00112233445566778899aabbccddeeff";
  a.article = "urn:1";
  a.json = "{\"id\":1,\"x\":\"y\"}\n";
  a.story_at = 9;
  a.lists = {0};
  a.listed = 3;
  a.truncated = 2;
  auto cut = std::make_shared<Alert>(a);
  cut->json = "{\"cut\":1}\n";
  a.cuts = {nullptr, cut};
  ArticleVersion v;
  v.article_id = "urn:1";
  v.version = "7";
  v.headline = "Head: line\n";
  v.urgency = 4;
  const std::string payload =
      pack_held(&a, rules.get(), {"0123456789abcdef", "urn:0", 3}, v, "abc");
  auto h = unpack_held(payload);
  REQUIRE(h);
  REQUIRE(h->alert);
  CHECK(h->alert->json == a.json);
  CHECK(h->alert->story_at == 9);
  CHECK(h->alert->listed == 3);
  CHECK(h->alert->truncated == 2);
  REQUIRE(h->alert->cuts.size() == 2);
  CHECK_FALSE(h->alert->cuts[0]);
  CHECK(h->alert->cuts[1]->json == cut->json);
  CHECK(h->list_names == std::vector<std::string>{"people"});
  CHECK(h->story_id == "0123456789abcdef");
  CHECK(h->duplicate_of == "urn:0");
  CHECK(h->copies == 3);
  CHECK(h->version.headline == v.headline);
  CHECK(h->version.urgency == 4);
  CHECK(h->rules_version == "abc");
  // Routed at release by name against the rules then.
  relist_held(*h->alert, h->list_names, *later);
  CHECK(h->alert->lists == std::vector<std::uint32_t>{1});
  CHECK(h->alert->cuts[1]->lists == std::vector<std::uint32_t>{1});
  // Not a payload of this build, or cut short: nothing (the hold is dropped).
  CHECK_FALSE(unpack_held("something else"));
  CHECK_FALSE(unpack_held(payload.substr(0, payload.size() - 3)));
  // A version without alert (a retraction at most).
  auto none = unpack_held(pack_held(nullptr, nullptr, {}, v, "abc"));
  REQUIRE(none);
  CHECK_FALSE(none->alert);
}

// Tests (pipeline): the story stage in the dispatcher, without sockets. Articles are
// filed in each stream's order however the workers race, so a story's first copy
// is the one that arrived first; an output taking first copies only does not get
// later copies, and their lines are still acknowledged like lines routed nowhere.
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

// Tests (stories): the default threshold meets the target (precision >= 0.99,
// recall >= 0.95) on the project's evaluation set (tests/data/stories), and copies
// filed through the index join the story of the text they copy.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "newshound/stories/story_index.hpp"
#include "stories_eval/eval_set.hpp"

using namespace newshound;
using namespace newshound::stories_eval;

namespace {
const std::string kSetDir = std::string(NEWSHOUND_SOURCE_DIR) + "/tests/data/stories";
}  // namespace

TEST_CASE("stories evaluation: the default threshold meets the target") {
  EvalSet set;
  REQUIRE(load_set(kSetDir, set) == "");
  std::size_t copies = 0;
  for (const Pair& p : set.pairs) copies += p.same;
  CHECK(copies >= 30);
  CHECK(set.pairs.size() - copies >= 30);

  std::vector<double> d;
  REQUIRE(distances(set, Method{kDefaultShingleWords, 0}, d) == "");
  const Score s = score(set, d, kDefaultStoryThreshold);
  INFO("precision " << s.precision() << ", recall " << s.recall());
  CHECK(s.precision() >= 0.99);
  CHECK(s.recall() >= 0.95);
  for (const std::string& kind : set.kinds) {
    INFO(kind);
    const Score k = score(set, d, kDefaultStoryThreshold, kind);
    CHECK(k.tp + k.fn + k.fp + k.tn > 0);
  }
}

TEST_CASE("stories evaluation: through the index, copies join and other reports do not") {
  EvalSet set;
  REQUIRE(load_set(kSetDir, set) == "");
  StoryIndex index;
  Signer signer;
  Article a;
  std::map<std::string, std::string> story_of;  // file -> story id
  auto file = [&](const std::string& name) {
    if (story_of.count(name)) return story_of[name];
    REQUIRE(load_article(kSetDir + "/texts/" + name, a) == "");
    const StoryHit hit = index.add(a.id, signer.sign(a), Clock::time_point{});
    return story_of[name] = std::string(hit.story_id);
  };
  // Every text of every pair, the originals first, then copies and other reports.
  for (const Pair& p : set.pairs) file(p.a);
  std::size_t joined = 0, copies = 0, false_joins = 0;
  for (const Pair& p : set.pairs) {
    const bool same = file(p.b) == file(p.a);
    if (p.same)
      copies += 1, joined += same;
    else
      false_joins += same;
  }
  CHECK(false_joins == 0);
  CHECK(double(joined) / double(copies) >= 0.95);
}

TEST_CASE("stories evaluation: a missing set or file is an error, not a crash") {
  EvalSet set;
  CHECK_FALSE(load_set(kSetDir + "/no-such-folder", set).empty());
  Article a;
  CHECK_FALSE(load_article(kSetDir + "/texts/no-such-file.md", a).empty());
}

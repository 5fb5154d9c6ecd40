// Tests (stories): the story index joins copies, starts stories, honours the
// threshold, the window and the count cap, and its banded lookup finds exactly
// what a linear scan finds.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "newshound/stories/story_index.hpp"

using namespace newshound;

namespace {

const Clock::time_point kT0 = Clock::time_point(std::chrono::hours(24 * 365 * 56));

Signature sig(std::uint64_t h) {
  return {h, 100};
}

// `h` with its low `n` bits flipped.
std::uint64_t flip(std::uint64_t h, unsigned n) {
  return n == 0 ? h : h ^ (~std::uint64_t{0} >> (64 - n));
}

}  // namespace

TEST_CASE("stories index: a copy joins the first copy's story") {
  StoryIndex index;
  const StoryHit first = index.add("a1", sig(0x1234'5678'9abc'def0ULL), kT0);
  CHECK(first.is_new);
  CHECK(first.copies == 1);
  CHECK(first.duplicate_of == "a1");
  CHECK(first.story_id.size() == 16);
  const std::string story = std::string(first.story_id);

  const StoryHit copy = index.add("a2", sig(flip(0x1234'5678'9abc'def0ULL, 5)), kT0);
  CHECK_FALSE(copy.is_new);
  CHECK(copy.story_id == story);
  CHECK(copy.duplicate_of == "a1");
  CHECK(copy.copies == 2);
  CHECK(copy.distance == 5);
  CHECK(index.counts().stories == 1);

  const StoryHit other = index.add("b1", sig(~0x1234'5678'9abc'def0ULL), kT0);
  CHECK(other.is_new);
  CHECK(other.story_id != story);
  CHECK(index.counts().stories == 2);
}

TEST_CASE("stories index: the threshold is inclusive") {
  StoryOptions o;
  o.threshold = 7;
  StoryIndex index(o);
  index.add("a", sig(0), kT0);
  REQUIRE(index.find(sig(flip(0, 7)), kT0));
  CHECK(index.find(sig(flip(0, 7)), kT0)->distance == 7);
  CHECK_FALSE(index.find(sig(flip(0, 8)), kT0));
  CHECK(index.add("b", sig(flip(0, 8)), kT0).is_new);
}

TEST_CASE("stories index: find does not change the index and picks the nearest") {
  StoryIndex index;
  index.add("far", sig(flip(0, 9)), kT0);                 // 9 bits from 0
  index.add("near", sig(0xe000'0000'0000'0000ULL), kT0);  // 3 bits from 0, 12 from "far"
  REQUIRE(index.counts().stories == 2);
  const auto hit = index.find(sig(0), kT0);
  REQUIRE(hit);
  CHECK(hit->duplicate_of == "near");
  CHECK(hit->distance == 3);
  CHECK(hit->copies == 1);
  CHECK(index.find(sig(0), kT0)->copies == 1);
  CHECK_FALSE(index.find(Signature{0, 0}, kT0));  // no shingles: never matches
}

TEST_CASE("stories index: an article without words starts a story nothing joins") {
  StoryIndex index;
  CHECK(index.add("e1", Signature{0, 0}, kT0).is_new);
  CHECK(index.add("e2", Signature{0, 0}, kT0).is_new);
  CHECK(index.add("z", sig(0), kT0).is_new);
  CHECK(index.counts().stories == 3);
}

TEST_CASE("stories index: stories older than the window expire") {
  StoryOptions o;
  o.window = std::chrono::hours(48);
  StoryIndex index(o);
  index.add("a", sig(0), kT0);
  CHECK_FALSE(index.add("a-copy", sig(1), kT0 + std::chrono::hours(47)).is_new);
  // The last copy (at 47h) keeps the story alive until 95h.
  CHECK_FALSE(index.add("a-late", sig(1), kT0 + std::chrono::hours(94)).is_new);
  index.add("b", sig(~std::uint64_t{0}), kT0 + std::chrono::hours(200));
  CHECK(index.counts().expired == 1);
  CHECK(index.counts().stories == 1);
  const StoryHit again = index.add("a-again", sig(0), kT0 + std::chrono::hours(200));
  CHECK(again.is_new);
  CHECK(again.duplicate_of == "a-again");
}

TEST_CASE("stories index: the count cap evicts the least recently joined story") {
  StoryOptions o;
  o.max_stories = 2;
  StoryIndex index(o);
  const std::uint64_t a = 0, b = 0xffff'ffff'0000'0000ULL, c = 0x0000'0000'ffff'ffffULL;
  index.add("a", sig(a), kT0);
  index.add("b", sig(b), kT0);
  index.add("a2", sig(a), kT0);  // a is now the most recently joined
  index.add("c", sig(c), kT0);   // evicts b
  CHECK(index.counts().stories == 2);
  CHECK(index.counts().evicted == 1);
  CHECK(index.find(sig(a), kT0));
  CHECK_FALSE(index.find(sig(b), kT0));
  CHECK(index.find(sig(c), kT0));
}

TEST_CASE("stories index: options are checked") {
  CHECK(story_options_error({}).empty());
  StoryOptions o;
  o.threshold = kMaxStoryThreshold + 1;
  CHECK_FALSE(story_options_error(o).empty());
  o = {};
  o.max_stories = 0;
  CHECK_FALSE(story_options_error(o).empty());
  o = {};
  o.window = std::chrono::seconds(0);
  CHECK_FALSE(story_options_error(o).empty());
}

TEST_CASE("stories index: banded lookup finds what a linear scan finds") {
  for (const unsigned threshold : {3u, 7u, 10u, 11u, 15u}) {
    StoryOptions o;
    o.threshold = threshold;
    StoryIndex index(o);
    std::mt19937_64 rng(threshold);
    std::vector<std::uint64_t> stored;
    for (int i = 0; i < 3000; ++i) {
      const std::uint64_t h = rng();
      if (index.find(sig(h), kT0)) continue;  // would join a story: not a story of its own
      REQUIRE(index.add(std::to_string(stored.size()), sig(h), kT0).is_new);
      stored.push_back(h);
    }
    REQUIRE(stored.size() > 2000);
    for (std::size_t i = 0; i < stored.size(); ++i) {
      std::uint64_t q = stored[i];
      const unsigned bits = static_cast<unsigned>(rng() % 20);
      for (unsigned k = 0; k < bits; ++k) q ^= std::uint64_t{1} << (rng() % 64);
      std::size_t best = stored.size();
      unsigned best_d = 65;
      for (std::size_t j = 0; j < stored.size(); ++j) {
        const unsigned d = hamming(q, stored[j]);
        if (d <= threshold && d < best_d) best = j, best_d = d;
      }
      const auto hit = index.find(sig(q), kT0);
      if (best == stored.size()) {
        CHECK_FALSE(hit);
      } else {
        REQUIRE(hit);
        CHECK(hit->duplicate_of == std::to_string(best));
        CHECK(hit->distance == best_d);
      }
    }
  }
}

TEST_CASE("stories index: lookup stays exact while evictions empty and refill buckets") {
  // Band 0 takes 16 values and band 1 256, so their buckets hold chains and the
  // count cap keeps removing chain heads, middles and last members, emptying and
  // refilling buckets (the in-use bitmap's edges); bands 2 and 3 are random, so few
  // stories are within the threshold of each other.
  StoryOptions o;
  o.max_stories = 200;
  StoryIndex index(o);
  std::mt19937_64 rng(7);
  auto hash = [&] { return (rng() & 0xffff'ffff'0000'0000ULL) | (rng() & 0x00ff'000fULL); };
  std::vector<std::uint64_t> stored;  // in order of addition: the live ones are the last 200
  std::size_t found = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::uint64_t h = hash();
    if (index.find(sig(h), kT0)) continue;  // would join a story: not a story of its own
    REQUIRE(index.add(std::to_string(stored.size()), sig(h), kT0).is_new);
    stored.push_back(h);
    // A query near a story added earlier, live or evicted.
    std::uint64_t q = stored[rng() % stored.size()];
    for (unsigned k = rng() % 7; k > 0; --k) q ^= std::uint64_t{1} << (rng() % 64);
    const std::size_t live_from = stored.size() > 200 ? stored.size() - 200 : 0;
    std::size_t best = stored.size();
    unsigned best_d = 65;
    for (std::size_t j = live_from; j < stored.size(); ++j) {
      const unsigned d = hamming(q, stored[j]);
      if (d <= o.threshold && d < best_d) best = j, best_d = d;
    }
    const auto hit = index.find(sig(q), kT0);
    if (best == stored.size()) {
      CHECK_FALSE(hit);
    } else {
      REQUIRE(hit);
      CHECK(hit->distance == best_d);
      ++found;
    }
  }
  CHECK(index.counts().evicted > 3000);
  CHECK(found > 100);
}

TEST_CASE("stories index: file() leaves a story alone when its first copy comes again") {
  StoryIndex index;
  bool again = true;
  CHECK(index.file("a1", sig(0xfeed'beef'0000'1111ULL), kT0, again).is_new);
  CHECK_FALSE(again);
  const StoryHit redelivered = index.file("a1", sig(flip(0xfeed'beef'0000'1111ULL, 2)), kT0, again);
  CHECK(again);
  CHECK_FALSE(redelivered.is_new);
  CHECK(redelivered.copies == 1);  // not counted as a copy
  const StoryHit copy = index.file("a2", sig(0xfeed'beef'0000'1111ULL), kT0, again);
  CHECK_FALSE(again);
  CHECK(copy.copies == 2);
  CHECK(copy.duplicate_of == "a1");
  // add() counts every filing, the first copy's id included.
  CHECK(index.add("a1", sig(0xfeed'beef'0000'1111ULL), kT0).copies == 3);
}

TEST_CASE("stories index: changes for the store, and restore keeps stories and their order") {
  StoryOptions o;
  o.max_stories = 2;
  StoryIndex index(o);
  std::vector<StoryRecord> up;
  std::vector<std::string> removed;
  index.add("untracked", sig(0xffff'0000'ffff'0000ULL), kT0);
  index.track_changes(true);
  index.add("a", sig(0), kT0);
  index.add("a2", sig(flip(0, 3)), kT0 + std::chrono::minutes(1));  // joins a
  index.add("b", sig(~std::uint64_t{0}), kT0);                      // evicts "untracked"
  index.take_changes(up, removed);
  REQUIRE(removed.size() == 1);
  REQUIRE(up.size() == 2);
  CHECK(up[0].first_article == "a");
  CHECK(up[0].copies == 2);
  CHECK(up[0].last_seen == kT0 + std::chrono::minutes(1));
  CHECK(up[1].first_article == "b");
  CHECK(up[0].used < up[1].used);
  index.take_changes(up, removed);
  CHECK(up.empty());
  CHECK(removed.empty());
  CHECK(index.memory_bytes() >= 4u * 65536u * 4u);

  // Restored in `used` order, "a" is the least recently used: a third story evicts it.
  StoryIndex back(o);
  StoryRecord ra{"ida", "a", 0, 5, 10, 2, kT0, true};
  StoryRecord rb{"idb", "b", ~std::uint64_t{0}, 6, 11, 1, kT0, true};
  back.restore(ra);
  back.restore(rb);
  const auto hit = back.find(sig(flip(0, 2)), kT0);
  REQUIRE(hit);
  CHECK(hit->story_id == "ida");
  CHECK(hit->copies == 2);
  CHECK(back.add("c", sig(0x00ff'00ff'00ff'00ffULL), kT0).is_new);
  CHECK_FALSE(back.find(sig(0), kT0));
  CHECK(back.find(sig(~std::uint64_t{0}), kT0));
  CHECK(back.counts().evicted == 1);
}

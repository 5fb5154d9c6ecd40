// Tests (stories): the lifecycle's id filter never misses an id it holds (through
// collisions, erasures and saturation), forgets erased ids, and stays true to
// Lifecycle::known() while articles come, are evicted by the cap and expire.
#include <xxhash.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "newshound/stories/id_filter.hpp"
#include "newshound/stories/lifecycle.hpp"

using namespace newshound;

namespace {

std::string idf_id(int n) {
  return "urn:newsml:example.com:20261208:" + std::to_string(n);
}

// `count` distinct ids that all fall in the filter's slot of idf_id(0).
std::vector<std::string> idf_colliding(const IdFilter& f, int count) {
  const std::size_t mask = f.slots() - 1;
  const auto slot = [&](const std::string& id) { return XXH3_64bits(id.data(), id.size()) & mask; };
  const auto want = slot(idf_id(0));
  std::vector<std::string> out;
  for (int n = 0; static_cast<int>(out.size()) < count; ++n)
    if (slot(idf_id(n)) == want) out.push_back(idf_id(n));
  return out;
}

}  // namespace

TEST_CASE("id filter: holds every id added, through collisions, until it is erased") {
  IdFilter f(100);
  REQUIRE(f.slots() == 1024);
  for (int n = 0; n < 5000; ++n) f.add(idf_id(n));  // about five ids a slot
  for (int n = 0; n < 5000; ++n) REQUIRE(f.may_contain(idf_id(n)));
  for (int n = 0; n < 5000; n += 2) f.erase(idf_id(n));
  for (int n = 1; n < 5000; n += 2) REQUIRE(f.may_contain(idf_id(n)));
  for (int n = 1; n < 5000; n += 2) f.erase(idf_id(n));
  for (int n = 0; n < 5000; ++n) CHECK_FALSE(f.may_contain(idf_id(n)));
}

TEST_CASE("id filter: a slot counted to 255 stays taken, never missing an id") {
  IdFilter f(1);
  const std::vector<std::string> ids = idf_colliding(f, 300);
  for (const std::string& id : ids) f.add(id);
  for (std::size_t i = 0; i < 100; ++i) f.erase(ids[i]);
  for (std::size_t i = 100; i < ids.size(); ++i) REQUIRE(f.may_contain(ids[i]));
  for (std::size_t i = 100; i < ids.size(); ++i) f.erase(ids[i]);
  CHECK(f.may_contain(ids[0]));  // stuck: slower, not wrong

  IdFilter g(1);
  for (std::size_t i = 0; i < 254; ++i) g.add(ids[i]);
  for (std::size_t i = 0; i < 253; ++i) g.erase(ids[i]);
  CHECK(g.may_contain(ids[253]));
  g.erase(ids[253]);
  CHECK_FALSE(g.may_contain(ids[253]));
}

TEST_CASE("id filter: the lifecycle's filter agrees with known() under eviction and expiry") {
  LifecycleOptions options;
  options.max_articles = 40;
  options.window = std::chrono::hours(1);
  Lifecycle life(options);
  const Clock::time_point t0 = Clock::time_point(std::chrono::hours(24 * 365 * 56));
  const auto at = [&](int n) { return t0 + std::chrono::seconds(n); };
  for (int n = 0; n < 400; ++n) {
    Arrival a;
    const std::string id = idf_id(n % 150);  // ids come back after their eviction
    a.article_id = id;
    const std::string version = std::to_string(n);  // Arrival holds views
    const std::string alert = "alert-" + std::to_string(n);
    a.version = version;
    a.matches = static_cast<std::uint64_t>(n % 7 == 0 ? 0 : n);
    a.alert_id = alert;
    life.decide(a, at(n));
    for (int k = 0; k < 150; ++k) {
      if (life.known(idf_id(k))) REQUIRE(life.maybe_known(idf_id(k)));
    }
  }
  CHECK(life.counts().articles == 40);
  // An hour later every article has expired: the filter forgets them all.
  Arrival late;
  late.article_id = "late";
  late.version = "1";
  late.matches = 1;
  late.alert_id = "alert-late";
  life.decide(late, at(400) + std::chrono::hours(2));
  CHECK(life.counts().articles == 1);
  for (int k = 0; k < 150; ++k) {
    CHECK_FALSE(life.known(idf_id(k)));
    CHECK(life.maybe_known(idf_id(k)) == (XXH3_64bits(idf_id(k).data(), idf_id(k).size()) % 1024 ==
                                          XXH3_64bits("late", 4) % 1024));
  }
  CHECK(life.maybe_known("late"));
}

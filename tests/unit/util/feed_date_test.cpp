// Tests (util): the one date reader as a time (parse_feed_date), the form the
// stories stage reads an embargo in; the text form is tested with the feed parser
// (tests/unit/source/feed_parse_test.cpp).
#include <catch2/catch.hpp>

#include <chrono>

#include "newshound/util/feed_date.hpp"

using namespace newshound;

TEST_CASE("parse_feed_date: RFC 3339 and RFC 822 as a time, to the second", "[util][date]") {
  using std::chrono::seconds;
  const auto at = [](long long s) { return Clock::time_point(seconds(s)); };
  CHECK(parse_feed_date("1970-01-01T00:00:00Z") == at(0));
  CHECK(parse_feed_date("2026-12-07T09:00:00Z") == at(1796634000));
  CHECK(parse_feed_date("2026-12-07T10:00:00.75+01:00") == at(1796634000));
  CHECK(parse_feed_date("Mon, 07 Dec 2026 04:00:00 EST") == at(1796634000));
  CHECK(parse_feed_date("2024-02-29") == at(1709164800));
  CHECK_FALSE(parse_feed_date(""));
  CHECK_FALSE(parse_feed_date("soon"));
  CHECK_FALSE(parse_feed_date("2023-02-29T00:00:00Z"));
}

// Tests: the feed poller's seen set (seen_set.hpp): survives a reopen, drops a
// torn tail, is bounded by age and count, and tells versions apart.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "newshound/source/seen_set.hpp"

using namespace newshound;
using namespace std::chrono_literals;

namespace {
std::filesystem::path temp_dir(const char* tag) {
  auto d = std::filesystem::temp_directory_path() /
           ("nh-seen-" + std::string(tag) + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}
}  // namespace

TEST_CASE("seen set: entries survive a reopen, versions differ", "[source][feed]") {
  const auto dir = temp_dir("reopen");
  const auto now = std::chrono::system_clock::now();
  SeenSet::Options o;
  o.file = dir / "feeds" / "x.seen";
  {
    SeenSet s;
    REQUIRE(s.open(o, now).empty());
    s.add("feed\nid1", "v1", now);
    s.add("feed\nid2", "", now);
    REQUIRE(s.flush().empty());
  }
  // A torn line, as SIGKILL mid-append leaves it.
  std::ofstream(o.file, std::ios::app) << "0123456789abcdef";
  SeenSet s;
  REQUIRE(s.open(o, now).empty());
  CHECK(s.size() == 2);
  CHECK(s.contains("feed\nid1", "v1"));
  CHECK_FALSE(s.contains("feed\nid1", "v2"));  // a new version
  CHECK(s.contains("feed\nid2", ""));
  CHECK_FALSE(s.contains("other\nid1", "v1"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("seen set: bounded by age and by count", "[source][feed]") {
  const auto dir = temp_dir("bounds");
  const auto now = std::chrono::system_clock::now();
  SeenSet::Options o;
  o.file = dir / "b.seen";
  o.max_entries = 3;
  o.max_age = 100h;
  {
    SeenSet s;
    REQUIRE(s.open(o, now).empty());
    s.add("old", "", now - 200h);
    for (int i = 0; i < 5; ++i) s.add("k" + std::to_string(i), "", now - std::chrono::hours(5 - i));
    REQUIRE(s.flush().empty());
  }
  SeenSet s;
  REQUIRE(s.open(o, now).empty());
  CHECK(s.size() == 3);
  CHECK_FALSE(s.contains("old", ""));
  CHECK_FALSE(s.contains("k0", ""));
  CHECK(s.contains("k4", ""));
  CHECK(s.contains("k2", ""));
  CHECK(s.stale("k2", now + 60h));
  CHECK_FALSE(s.stale("k4", now));
  std::filesystem::remove_all(dir);
}

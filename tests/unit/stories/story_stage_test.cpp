// Tests (stories): the story stage as the pipeline runs it: a copy with another
// article id joins the story; the first copy's own id arriving again is that first
// copy again (same answer, no copy counted); the store keeps the stories across a
// restart; an unusable store leaves the stage in memory.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "newshound/stories/story_stage.hpp"

using namespace newshound;
namespace fs = std::filesystem;

namespace {

const Clock::time_point kStageT0 = Clock::time_point(std::chrono::hours(24 * 365 * 56));

Signature stage_sig(std::uint64_t h) {
  return {h, 100};
}

struct StageDir {
  fs::path path =
      fs::temp_directory_path() / ("newshound-story-stage-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  StageDir() { fs::remove_all(path); }
  ~StageDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("story stage: copies join, the first copy again is the first copy") {
  StoryStage stage(StoryOptions{});
  StoryFiling f;
  stage.file("a1", stage_sig(0xF0F0), kStageT0, f);
  CHECK(f.duplicate_of.empty());
  CHECK(f.copies == 1);
  CHECK(f.story_id.size() == 16);
  const std::string story = f.story_id;

  stage.file("a2", stage_sig(0xF0F0 ^ 0x7), kStageT0, f);  // 3 bits apart
  CHECK(f.story_id == story);
  CHECK(f.duplicate_of == "a1");
  CHECK(f.copies == 2);

  // A replay (or a new version) of the first copy: exactly as the first time.
  for (int i = 0; i < 2; ++i) {
    stage.file("a1", stage_sig(0xF0F0), kStageT0, f);
    CHECK(f.story_id == story);
    CHECK(f.duplicate_of.empty());
    CHECK(f.copies == 1);
  }
  stage.file("a3", stage_sig(0xF0F0), kStageT0, f);
  CHECK(f.duplicate_of == "a1");
  CHECK(f.copies == 3);  // the replays were not counted

  stage.file("b1", stage_sig(~std::uint64_t{0xF0F0}), kStageT0, f);
  CHECK(f.story_id != story);
  CHECK(f.duplicate_of.empty());
  const auto c = stage.counts();
  CHECK(c.index.stories == 2);
  CHECK(c.copies == 2);
}

TEST_CASE("story stage: the store keeps the stories across a restart") {
  StageDir dir;
  std::string story;
  {
    StoryStage stage(StoryOptions{});
    const auto opened = stage.open_store(dir.path);
    REQUIRE(opened.error.empty());
    REQUIRE(opened.warning.empty());
    StoryFiling f;
    stage.file("a1", stage_sig(0xABCD), kStageT0, f);
    story = f.story_id;
    CHECK(stage.commit().empty());
    stage.file("a2", stage_sig(0xABCD), kStageT0, f);
    CHECK(stage.close_store().empty());  // commits the rest
    CHECK_FALSE(stage.store_open());
  }
  StoryStage again(StoryOptions{});
  const auto opened = again.open_store(dir.path);
  REQUIRE(opened.error.empty());
  CHECK(opened.stories == 1);
  StoryFiling f;
  again.file("a3", stage_sig(0xABCD), kStageT0, f);
  CHECK(f.story_id == story);
  CHECK(f.duplicate_of == "a1");
  CHECK(f.copies == 3);
  again.file("a1", stage_sig(0xABCD), kStageT0, f);
  CHECK(f.duplicate_of.empty());
}

TEST_CASE("story stage: a corrupt store is moved aside and the stage starts empty") {
  StageDir dir;
  fs::create_directories(dir.path);
  std::ofstream(dir.path / StoryStore::kFileName) << "not a database, just some bytes\n";
  StoryStage stage(StoryOptions{});
  const auto opened = stage.open_store(dir.path);
  CHECK(opened.error.empty());
  CHECK_FALSE(opened.warning.empty());
  CHECK(stage.store_open());
  StoryFiling f;
  stage.file("x", stage_sig(1), kStageT0, f);
  CHECK(f.copies == 1);
  CHECK(stage.commit().empty());
}

TEST_CASE("story stage: policies parse") {
  CHECK(parse_story_policy("first") == StoryPolicy::first);
  CHECK(parse_story_policy("all") == StoryPolicy::all);
  CHECK(parse_story_policy("digest") == StoryPolicy::digest);
  CHECK_FALSE(parse_story_policy("newest"));
  CHECK_FALSE(parse_story_policy(""));
  CHECK_FALSE(parse_story_policy("Digest"));
}

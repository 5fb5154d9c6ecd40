// Stage: dispatch. Where an alert meets the story stage: files the alert's article
// in the shared StoryStage and writes the answer into the alert (`story_id`,
// `duplicate_of`, `copies`, Alert::duplicate). Called in input order by whoever
// emits alerts in order (Dispatcher::emit, `scan`'s writer), never by the workers,
// so a story's first copy is the first to arrive.
#pragma once

#include <memory>
#include <string>

#include "newshound/encode/alert.hpp"
#include "newshound/stories/signature.hpp"
#include "newshound/stories/story_stage.hpp"

namespace newshound {

/// One per emitting thread: owns reusable buffers. Never throws except std::bad_alloc.
class StoryFiler {
 public:
  /// Files `alert` (built by the encoder, not shared with any sink yet) with its
  /// article's `signature` at the time it was received, and rewrites its story
  /// members and its cuts'.
  void file(StoryStage& stage, Alert& alert, const Signature& signature);

 private:
  StoryFiling filing_;
  std::string scratch_;
};

}  // namespace newshound

// Stage: dispatch. Filing an alert's article in the story stage (see story_filer.hpp).
#include "newshound/dispatch/story_filer.hpp"

#include "newshound/encode/alert_story.hpp"

namespace newshound {

void StoryFiler::file(StoryStage& stage, Alert& alert, const Signature& signature) {
  stage.file(alert.article, signature, alert.received_at, filing_);
  set_alert_story(alert, {filing_.story_id, filing_.duplicate_of, filing_.copies}, scratch_);
}

}  // namespace newshound

// Stage: dispatch. Where an article version meets the story stage: files an
// alert's article in the shared StoryStage and writes the answer into the alert
// (`story_id`, `duplicate_of`, `copies`, Alert::duplicate), then lets the version
// lifecycle decide what to send (`event`: a new alert, an update naming the alert
// it supersedes, a retraction of the alerts in force, nothing, or a hold until an
// embargo passes). Called in input order by whoever emits alerts in order
// (Dispatcher::emit, `scan`'s writer), never by the workers, so a story's first
// copy and an article's first version are the first to arrive.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "newshound/dispatch/held_alert.hpp"
#include "newshound/encode/alert.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/stories/article_version.hpp"
#include "newshound/stories/signature.hpp"
#include "newshound/stories/story_stage.hpp"

namespace newshound {

/// What to send for one article version (or one released hold).
struct FiledVersion {
  /// The alert to send now: the article's own (new, update or a replay of the
  /// alert in force), or a retraction; null: nothing now.
  std::shared_ptr<const Alert> send;
  /// `send` is a retraction: it goes to the outputs in `retract_to` (every
  /// output when they are not known), never folded (docs/stories.md).
  bool retraction = false;
  AlertOutputs retract_to;
  /// The version is held until its embargo (its payload in the stage, written
  /// by the next commit: commit before acknowledging it).
  bool held = false;
  LifecycleEvent event = LifecycleEvent::none;
  LifecycleReason reason = LifecycleReason::no_match;
};

/// A released hold: what to send, and the names of its lists to route it by.
struct ReleasedAlert {
  FiledVersion filed;
  std::vector<std::string> list_names;
};

/// One per emitting thread: owns reusable buffers. Never throws except std::bad_alloc.
class StoryFiler {
 public:
  /// Files `alert` (built by the encoder, not shared with any sink yet) with its
  /// article's `signature` at the time it was received, and rewrites its story
  /// members and its cuts' (a new alert). The story stage without the lifecycle.
  void file(StoryStage& stage, Alert& alert, const Signature& signature);

  /// Files one article version in input order at `now`: `alert` (null when it
  /// matched nothing) is filed by its `signature` and then decided by the
  /// lifecycle with `version`; an article without an alert is decided only when
  /// the lifecycle knows it (a newer version of an alerted article) or it is a
  /// kill (pubstatus canceled or withheld).
  /// `rules` (the batch's) names the alert's lists in a hold's payload.
  FiledVersion file(StoryStage& stage, const std::shared_ptr<const Alert>& alert,
                    const Signature* signature, const ArticleVersionView& version,
                    const std::shared_ptr<const Rules>& rules, std::string_view rules_version,
                    Clock::time_point now);

  /// Releases the holds due at `now` into `out` (cleared first), each decided at
  /// release; a release that sends nothing is left out.
  void release(StoryStage& stage, Clock::time_point now, std::vector<ReleasedAlert>& out);

 private:
  FiledVersion decided(const LifecycleDecision& d, const std::shared_ptr<Alert>& alert,
                       const ArticleVersionView& version, std::string_view rules_version,
                       const AlertStory& story, Clock::time_point now);

  StoryFiling filing_;
  std::string scratch_;
  std::vector<Release> releases_;
};

}  // namespace newshound

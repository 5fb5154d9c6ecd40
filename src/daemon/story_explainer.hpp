// Daemon: the story part of `newshound explain`: which story each article joins
// and why (the signature distance to the story's first copy, against the
// threshold), or that it starts one. Articles are filed in the order given, as
// the daemon files them: only those that matched (an article without an alert is
// never filed), with the default [stories] options (docs/stories.md).
#pragma once

#include <boost/json/object.hpp>
#include <set>
#include <string>

#include "newshound/decode/article.hpp"
#include "newshound/stories/signature.hpp"
#include "newshound/stories/story_stage.hpp"

namespace newshound {

/// One per explain run. Never throws except std::bad_alloc.
class StoryExplainer {
 public:
  StoryExplainer() : stage_(StoryOptions{}) {}
  /// Files `a` when `matched` and says what became of it: a text line into
  /// `txt` (appended) or, when `out` is given, its "story" member.
  void explain(const Article& a, bool matched, std::string& txt, boost::json::object* out);

 private:
  StoryStage stage_;
  Signer signer_;
  StoryFiling filing_;
  std::set<std::string> started_;  // story ids started in this run
};

}  // namespace newshound

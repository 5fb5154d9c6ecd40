// Daemon: the story part of `newshound explain` (see story_explainer.hpp).
#include "story_explainer.hpp"

namespace newshound {

void StoryExplainer::explain(const Article& a, bool matched, std::string& txt,
                             boost::json::object* out) {
  const unsigned threshold = stage_.options().threshold;
  const auto bits = " of 64 bits, threshold " + std::to_string(threshold) + ")";
  boost::json::object o;
  std::string line;
  if (!matched) {
    o["filed"] = false;
    line = "story: not filed (nothing matched: only articles that raise an alert are filed)";
  } else {
    const Signature sig = signer_.sign(a);
    stage_.file(a.id, sig, Clock::now(), filing_);
    o["filed"] = true;
    o["story_id"] = filing_.story_id;
    o["copies"] = filing_.copies;
    const bool again = filing_.duplicate_of.empty() && !started_.insert(filing_.story_id).second;
    if (sig.shingles == 0) {
      o["joined"] = "new";
      o["distance"] = nullptr;
      line = "story " + filing_.story_id + ": starts a story of its own (no words to compare)";
    } else if (!filing_.duplicate_of.empty()) {
      o["joined"] = "copy";
      o["duplicate_of"] = filing_.duplicate_of;
      o["distance"] = filing_.distance;
      line = "story " + filing_.story_id + ": joins the story of " + filing_.duplicate_of +
             " as copy " + std::to_string(filing_.copies) + " (signature distance " +
             std::to_string(filing_.distance) + bits;
    } else if (again) {
      o["joined"] = "first_copy_again";
      o["distance"] = filing_.distance;
      line = "story " + filing_.story_id +
             ": the story's first copy again (same article id; signature distance " +
             std::to_string(filing_.distance) + bits;
    } else {
      o["joined"] = "new";
      o["distance"] = nullptr;
      line = "story " + filing_.story_id + ": starts a new story (no earlier story within " +
             std::to_string(threshold) + " of 64 bits)";
    }
  }
  o["threshold"] = threshold;
  if (out) {
    (*out)["story"] = std::move(o);
    return;
  }
  txt += line;
  txt += '\n';
}

}  // namespace newshound

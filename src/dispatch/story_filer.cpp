// Stage: dispatch. Filing an article version in the story stage and acting on the
// lifecycle's decision (see story_filer.hpp).
#include "newshound/dispatch/story_filer.hpp"

#include "newshound/encode/alert_story.hpp"

namespace newshound {

void StoryFiler::file(StoryStage& stage, Alert& alert, const Signature& signature) {
  stage.file(alert.article, signature, alert.received_at, filing_);
  set_alert_story(alert, {filing_.story_id, filing_.duplicate_of, filing_.copies}, scratch_);
}

FiledVersion StoryFiler::file(StoryStage& stage, const std::shared_ptr<const Alert>& shared,
                              const Signature* signature, const ArticleVersionView& version,
                              const std::shared_ptr<const Rules>& rules,
                              std::string_view rules_version, Clock::time_point now) {
  // Built non-const by the encoder and not shared yet: written here, in input order.
  const auto alert = std::const_pointer_cast<Alert>(shared);
  AlertStory story;
  if (alert && signature) {
    file(stage, *alert, *signature);
    story = {filing_.story_id, filing_.duplicate_of, filing_.copies};
  } else if (!alert && version.pubstatus != PubStatus::canceled &&
             version.pubstatus != PubStatus::withheld && !stage.known(version.article_id)) {
    // Matched nothing and nothing to take back: the common case, cheap. A kill is
    // decided even so: remembered, an older version arriving late stays quiet.
    return {};
  }
  // Only a version that may be held carries its payload (packing copies the alert).
  std::string payload;
  if (version.embargo && *version.embargo > now)
    payload = pack_held(alert.get(), rules.get(), story, version, rules_version);
  const LifecycleDecision d =
      stage.decide(version.arrival(alert ? std::string_view(alert->id) : "", payload), now);
  return decided(d, alert, version, rules_version, story, now);
}

FiledVersion StoryFiler::decided(const LifecycleDecision& d, const std::shared_ptr<Alert>& alert,
                                 const ArticleVersionView& version, std::string_view rules_version,
                                 const AlertStory& story, Clock::time_point now) {
  FiledVersion out;
  out.event = d.event;
  out.reason = d.reason;
  AlertStory s = story;
  switch (d.event) {
    case LifecycleEvent::hold:
      out.held = true;
      return out;
    case LifecycleEvent::none:
      // A resend of the version in force (an at-least-once feed after a crash):
      // the same alert again, so a consumer that lost it gets it.
      if (d.reason != LifecycleReason::replay || !d.in_force || !alert) return out;
      s.event = d.previous_alert.empty() ? "new" : "update";
      s.previous_alert = d.previous_alert;
      break;
    case LifecycleEvent::new_alert:
      break;
    case LifecycleEvent::update:
      s.event = "update";
      s.previous_alert = d.previous_alert;
      break;
    case LifecycleEvent::retraction: {
      RetractionSource src;
      src.article_id = version.article_id;
      src.version = version.version;
      src.headline = version.headline;
      src.versioncreated = version.versioncreated;
      src.rules_version = rules_version;
      src.urgency = version.urgency;
      src.received_at = version.received_at;
      out.send = retraction_alert(src, d.retracts, story, now);
      out.retraction = true;
      out.retract_to = d.retract_to;
      return out;
    }
  }
  if (!alert) return out;
  set_alert_story(*alert, s, scratch_);
  out.send = alert;
  return out;
}

void StoryFiler::release(StoryStage& stage, Clock::time_point now,
                         std::vector<ReleasedAlert>& out) {
  out.clear();
  stage.due(now, releases_);
  for (const Release& r : releases_) {
    auto held = unpack_held(r.payload);
    if (!held) continue;  // not a payload of this build: dropped
    const AlertStory story{held->story_id, held->duplicate_of, held->copies};
    ReleasedAlert rel;
    rel.filed = decided(r.decision, held->alert, held->version, held->rules_version, story, now);
    if (!rel.filed.send) continue;
    rel.list_names = std::move(held->list_names);
    out.push_back(std::move(rel));
  }
}

}  // namespace newshound

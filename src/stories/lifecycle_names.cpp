// Stage: stories. The names of the lifecycle's events and reasons, as the alert
// field `event`, /metrics and docs/stories.md spell them.
#include "newshound/stories/lifecycle.hpp"

namespace newshound {

const char* lifecycle_event_name(LifecycleEvent e) {
  switch (e) {
    case LifecycleEvent::new_alert:
      return "new";
    case LifecycleEvent::update:
      return "update";
    case LifecycleEvent::retraction:
      return "retraction";
    case LifecycleEvent::hold:
      return "hold";
    case LifecycleEvent::none:
      break;
  }
  return "none";
}

LifecycleEvent lifecycle_reason_event(LifecycleReason r) {
  switch (r) {
    case LifecycleReason::first:
      return LifecycleEvent::new_alert;
    case LifecycleReason::matches_changed:
    case LifecycleReason::rules_changed:
      return LifecycleEvent::update;
    case LifecycleReason::unmatched:
    case LifecycleReason::killed:
      return LifecycleEvent::retraction;
    case LifecycleReason::embargoed:
      return LifecycleEvent::hold;
    default:
      return LifecycleEvent::none;
  }
}

const char* lifecycle_reason_name(LifecycleReason r) {
  static constexpr const char* kNames[kLifecycleReasons] = {
      "first",     "matches_changed",    "unmatched",    "killed",
      "embargoed", "no_match",           "unchanged",    "replay",
      "stale",     "nothing_to_retract", "rules_changed"};
  return kNames[static_cast<std::size_t>(r)];
}

}  // namespace newshound

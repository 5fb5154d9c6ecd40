// Config: comparing configured inputs and outputs across a reload.
#include "newshound/config/config.hpp"

namespace newshound {

namespace {
template <class T>
bool equal_ignoring_line(T a, T b) {
  a.line = 0;
  b.line = 0;
  return a == b;
}
}  // namespace

bool InputConfig::same_settings(const InputConfig& o) const {
  return equal_ignoring_line(*this, o);
}

bool StoriesConfig::operator==(const StoriesConfig& o) const {
  return enabled == o.enabled && index.window == o.index.window &&
         index.max_stories == o.index.max_stories && index.threshold == o.index.threshold &&
         lifecycle.window == o.lifecycle.window &&
         lifecycle.max_articles == o.lifecycle.max_articles;
}

bool OutputConfig::same_settings(const OutputConfig& o) const {
  // Routing, alert bounds, snippets, story policies and throttles are applied by the dispatcher:
  // changing them keeps the running sink. (Copying o's routing into a, rather than resetting both
  // optionals, also keeps GCC 12 at -O3 from a false -Wmaybe-uninitialized.)
  OutputConfig a = *this;
  a.lists = o.lists;
  a.tags = o.tags;
  a.max_matches_per_alert = o.max_matches_per_alert;  // bounds too
  a.max_alert_bytes = o.max_alert_bytes;
  a.snippets = o.snippets;
  a.stories = o.stories;
  a.digest_interval = o.digest_interval;
  a.max_alerts_per_minute = o.max_alerts_per_minute;
  a.line = o.line;
  return a == o;
}

}  // namespace newshound

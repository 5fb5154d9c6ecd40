// Stage: stories. What the version lifecycle needs of one article, copied out of
// the worker's reusable Article so it can cross to whoever decides in input order
// (the dispatcher on its event loop, `scan`'s writer): ids, version, pubstatus,
// the parsed embargo, urgency, the match fingerprint and what a retraction says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "newshound/decode/article.hpp"
#include "newshound/stories/lifecycle.hpp"
#include "newshound/stories/match_hash.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// One article version, owned. Strings keep their capacity when reassigned.
struct ArticleVersion {
  std::string article_id;
  std::string version;  ///< lifecycle_version()
  std::string versioncreated;
  std::string headline;  ///< what a retraction it raises shows
  PubStatus pubstatus = PubStatus::unknown;
  /// `embargoed` read as a time; none when absent or unreadable (not held).
  std::optional<Clock::time_point> embargo;
  std::uint8_t urgency = 0;
  std::uint64_t matches = kNoMatches;  ///< match_hash(); kNoMatches: matched nothing
  Clock::time_point received_at{};
  /// The article raised an alert (the next one of its batch, in order).
  bool alert = false;

  /// Copies `article`'s part; `matches` is its match_hash(). Never throws except
  /// std::bad_alloc.
  void assign(const Article& article, std::uint64_t matches, bool alert);
  /// The lifecycle's view of it, with the alert id and hold payload given.
  Arrival arrival(std::string_view alert_id, std::string_view payload) const;
};

}  // namespace newshound

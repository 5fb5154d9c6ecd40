// Stage: route. Builds the alert JSON for an article that matched (Boost.JSON, so
// every string is escaped correctly). Schema: docs/alerts.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "newshound/decode/article.hpp"
#include "newshound/match/match_set.hpp"
#include "newshound/match/rules.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/route/alert.hpp"
#include "newshound/source/raw_line.hpp"

namespace newshound {

/// Stable alert id: 32 hex digits of XXH3-128 over (article id, versioncreated,
/// rules version). Re-processing the same article version with the same rules
/// gives the same id, so downstreams can drop at-least-once duplicates.
std::string alert_id(std::string_view article_id, std::string_view versioncreated,
                     std::string_view rules_version);

/// The words around a match: up to `words` words on each side of original span
/// [start, end) of `field`, white space collapsed, HTML tags removed when `html`.
/// Always valid UTF-8 and never longer than ~ 2*words*32 bytes.
std::string snippet(std::string_view field, std::uint32_t start, std::uint32_t end, bool html,
                    int words = 6);

/// Encodes alerts. Stateless apart from reusable buffers; one per worker.
class AlertEncoder {
 public:
  /// Builds the alert for `article` with its non-empty `matches`, matched by
  /// `rules`. `alerted_at` is stamped by the caller. Never throws except
  /// std::bad_alloc.
  std::shared_ptr<const Alert> encode(const Article& article, const MatchSet& matches,
                                      const Rules& rules, Clock::time_point alerted_at);
};

/// RFC 3339 UTC timestamp with milliseconds: "2026-11-23T10:30:59.123Z".
std::string format_time(Clock::time_point t);

}  // namespace newshound

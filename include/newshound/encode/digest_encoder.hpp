// Stage: encode. Digest alerts: one JSON line that lists several alerts' articles
// (a story's copies for an output with `stories = "digest"`, a throttled list's
// excess), built by the dispatch stage's DigestDesk (docs/alerts.md, Digests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "newshound/encode/alert.hpp"
#include "newshound/util/clock.hpp"

namespace newshound {

/// One listed copy of a digest and the story it belongs to.
struct DigestItem {
  /// The members of the alert a reader needs to find the article (`article`,
  /// `alert_id`, `headline`, `received_at`, `duplicate_of`, `lists` and the
  /// distinct matched `entities`) as one JSON object; empty when the alert's
  /// JSON is not an encoder's alert (never for the pipeline's alerts).
  std::string json;
  std::string story_id;  ///< the alert's `story_id`; empty when null
};

/// Reads `alert`'s JSON back into a digest item. Never throws except std::bad_alloc.
DigestItem encode_digest_item(const Alert& alert);

/// What a digest is about, besides its items.
struct DigestHeader {
  std::string_view output;    ///< the output's name (part of the digest id)
  std::string_view reason;    ///< "story" or "throttle"
  std::string_view story_id;  ///< reason "story": the story; empty: null
  std::string_view list;      ///< reason "throttle": the watch-list; empty: null
  Clock::time_point opened_at{};
  Clock::time_point closed_at{};
  std::uint64_t copies = 0;  ///< alerts folded into it, listed or not
};

/// The digest alert for `header` listing `items` (each from
/// encode_digest_item(), oldest first) while the line stays within `max_bytes`;
/// the items that do not fit, and `left_out` more that were never kept, are
/// counted in its `left_out`. `Alert::article` is empty, `lists` empty and
/// `received_at` is `closed_at`. Never throws except std::bad_alloc.
std::shared_ptr<Alert> encode_digest(const DigestHeader& header, std::span<const std::string> items,
                                     std::uint64_t left_out, std::size_t max_bytes);

/// The bytes of a digest besides its items' (a bound for what a pending digest
/// keeps: see DigestDesk).
inline constexpr std::size_t kDigestOverheadBytes = 512;

}  // namespace newshound

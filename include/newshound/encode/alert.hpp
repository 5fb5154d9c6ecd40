// Stage: encode. The fifth hand-off type: one encoded alert, ready for any sink.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "newshound/util/clock.hpp"

namespace newshound {

/// An alert as the sinks see it. Immutable once built and shared between sinks
/// (std::shared_ptr<const Alert>), so fan-out copies nothing.
struct Alert {
  std::string id;                    ///< stable alert id (see alert_id())
  std::string article;               ///< the article id
  std::string json;                  ///< one NDJSON line, '\n'-terminated
  std::vector<std::uint32_t> lists;  ///< indexes of the lists that hit (for routing)
  std::string rules_version;
  Clock::time_point received_at{};  ///< when the article's line was read (for latency)
  /// Matches left out at the alert bounds (its "truncated" field; 0 = none).
  std::uint64_t truncated = 0;
  /// Entity matches + topic hits the alert lists (in `matches`).
  std::size_t listed = 0;
  /// The same alert cut for outputs with smaller bounds: `cuts[k - 1]` is for
  /// bound class k (dispatch/alert_bounds.hpp), null where this alert fits that
  /// class. Filled by the worker before the alert is shared; empty with one class.
  std::vector<std::shared_ptr<const Alert>> cuts;
};

}  // namespace newshound

// Stage: source. What the daemon needs of any input (tcp, http, ...): bind, start,
// stop, renumber, and its counters for logs and /metrics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "newshound/util/prometheus.hpp"

namespace newshound {

/// One configured [[input]]. Runs on the event loop it was built with; never
/// throws after construction (std::bad_alloc aside).
class Input {
 public:
  virtual ~Input() = default;
  /// Binds its listening socket now (if it has one), so callers know the port is
  /// open when this returns. Returns a user-facing error, empty on success.
  virtual std::string bind() = 0;
  /// Starts accepting / connecting.
  virtual void start() = 0;
  /// Stops accepting and reading. Idempotent.
  virtual void stop() = 0;
  /// Renumbers this input (a reload moved it in the config); later batches carry it.
  virtual void set_index(std::uint32_t input) = 0;
  /// Bytes received so far (the daemon's periodic stats line).
  virtual std::uint64_t bytes_received() const = 0;
  /// Adds its samples to the newshound_input_* families, labelled input=`name`.
  virtual void report_metrics(MetricsExposition& out, std::string_view name) const = 0;
};

}  // namespace newshound

// Stage: source. Input: what the daemon holds of every [[input]], whatever its
// type (tcp, feed, ...): start, stop, renumber, report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "newshound/util/prometheus.hpp"

namespace newshound {

/// One running input. Event-loop thread only; never throws after construction.
class Input {
 public:
  virtual ~Input() = default;
  /// Acquires what the input needs before it starts (a listening socket, state
  /// files). Returns "" or a user-facing error.
  virtual std::string bind() = 0;
  virtual void start() = 0;
  /// Stops reading; what is in flight finishes. Idempotent.
  virtual void stop() = 0;
  /// Renumbers this input (a reload moved it in the config); later batches carry it.
  virtual void set_index(std::uint32_t input) = 0;
  /// Bytes received so far (for the periodic stats line).
  virtual std::uint64_t bytes_received() const = 0;
  /// Adds this input's /metrics samples, labelled input="<name>".
  virtual void report_metrics(MetricsExposition& out, std::string_view name) const = 0;
};

/// A fresh stream id for LineBatch::stream, unique across all inputs of the process.
std::uint64_t next_stream_id();

}  // namespace newshound

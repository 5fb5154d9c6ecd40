// Stage: source. What the daemon holds of every [[input]], whatever its kind
// (TCP, drop folder): open, start, stop, renumber, and its /metrics samples.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "newshound/util/prometheus.hpp"

namespace newshound {

/// One running input. Event-loop thread only. Implementations never throw after
/// construction: I/O errors are logged (rate-limited) and retried or counted.
class Input {
 public:
  virtual ~Input() = default;
  /// Acquires what the input needs before it starts (binds a listener, checks a
  /// drop folder), so a caller knows it is ready when this returns. Returns an
  /// error message for the user, "" on success.
  virtual std::string bind() = 0;
  /// Starts reading.
  virtual void start() = 0;
  /// Stops taking new work; work in flight finishes.
  virtual void stop() = 0;
  /// True while the input, stopped, may still hand lines to its consumer: a
  /// connection's last read, completed before stop(), is framed and consumed when
  /// its coroutine resumes. The daemon's drain waits for it (within the grace)
  /// before it stops the outputs. Default: false, right for inputs that hand
  /// lines over only from loop callbacks that check for stop() first (directory,
  /// feed, JetStream: nothing of theirs is consumed after stop()).
  virtual bool busy() const { return false; }
  /// Renumbers this input (a reload moved it in the config); later batches carry it.
  virtual void set_index(std::uint32_t input) = 0;
  /// Bytes read so far (for the daemon's periodic stats line).
  virtual std::uint64_t bytes_in() const = 0;
  /// Why this input cannot take articles now (e.g. "jetstream: disconnected from
  /// nats://..."), or "" when it can; /readyz answers 503 with it. Default: "".
  virtual std::string not_ready() const { return {}; }
  /// Adds this input's samples, labelled input="<name>", to `out`.
  virtual void report_metrics(MetricsExposition& out, std::string_view name) const = 0;
};

}  // namespace newshound

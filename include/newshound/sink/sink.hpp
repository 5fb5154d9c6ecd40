// Stage: sink. The interface every output implements. Sinks run on the event loop
// thread (submit, start and stop are called there) and own their I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "newshound/encode/alert.hpp"
#include "newshound/util/prometheus.hpp"

namespace newshound {

/// Counters every sink keeps; read on the event-loop thread.
struct SinkStats {
  std::uint64_t accepted = 0;  ///< alerts taken by submit()
  std::uint64_t sent = 0;      ///< alerts fully written to the destination
  std::uint64_t rejected = 0;  ///< submit() refused: queue full
  std::uint64_t failed = 0;    ///< write or connect failures (each retried)
  std::uint64_t queued = 0;    ///< alerts waiting now
  std::uint64_t queued_bytes = 0;
  std::uint64_t unacked = 0;     ///< tcp with ack: written, awaiting the receiver's ack (in queued)
  std::uint64_t ack_errors = 0;  ///< tcp with ack: unknown, out-of-order or unreadable ack lines
};

class Sink {
 public:
  virtual ~Sink() = default;
  /// The output's name from the config (e.g. "tcp:127.0.0.1:7302").
  virtual const std::string& name() const = 0;
  /// Begins connecting / opening. Errors are logged and retried, never thrown.
  virtual void start() = 0;
  /// Takes responsibility for `alert`, or returns false if the bounded queue is
  /// full (the alert is then NOT accepted; the caller counts it).
  virtual bool submit(std::shared_ptr<const Alert> alert) = 0;
  /// Writes what is queued, then closes; calls `done` when finished or when
  /// `grace` runs out, whichever is first. Called once.
  virtual void stop(std::chrono::milliseconds grace, std::function<void()> done) = 0;
  virtual SinkStats stats() const = 0;

  /// Whether the destination takes alerts now (e.g. a connection is up). A
  /// SpoolingSink in front writes to disk rather than to memory while it is false.
  /// Default: always ready.
  virtual bool ready() const { return true; }

  /// Reopens the destination's files (SIGHUP, for logrotate). Default: nothing to
  /// reopen. Errors are logged and retried like write errors, never thrown.
  virtual void reopen() {}

  /// Adds the samples of the families this sink type has beyond SinkStats
  /// (declared by declare_sink_metrics), labelled sink="<output>"; a wrapping sink
  /// adds its inner sink's too. Default: none. report_output_metrics() adds the
  /// SinkStats samples, then calls this. Event-loop thread; never throws except
  /// std::bad_alloc.
  virtual void report_metrics(MetricsExposition& /*out*/, std::string_view /*output*/) const {}

  /// Observer of delivery: called on the event-loop thread once per alert, at the
  /// moment the sink counts it `sent` (fully written to the file, pipe or socket;
  /// a 2xx answer for a webhook; written to its spool for a spooling sink, which
  /// counts that as accepted for good). Set before start(); one observer per sink
  /// (the last set wins). Used by spools (release a record) and acknowledged inputs.
  using SentCallback = std::function<void(const std::shared_ptr<const Alert>&)>;
  void set_sent_callback(SentCallback cb) { sent_cb_ = std::move(cb); }

 protected:
  /// Sinks call this where they increment SinkStats::sent.
  void notify_sent(const std::shared_ptr<const Alert>& alert) {
    if (sent_cb_) sent_cb_(alert);
  }

 private:
  SentCallback sent_cb_;
};

}  // namespace newshound

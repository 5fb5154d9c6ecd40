// Stage: sink. QueuedSink: the one skeleton of every network output and the file
// output. It owns the byte-bounded AlertQueue, submit / stop(grace) / finish, the
// stats, and the connect-deliver-retry loop with backoff and rate-limited logs; a
// SinkLink (sink_link.hpp) supplies only the destination: open, deliver, close.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "newshound/sink/queue_options.hpp"
#include "newshound/sink/sink.hpp"
#include "newshound/sink/sink_link.hpp"

namespace newshound {

/// Delivers alerts in submit order through a SinkLink. submit() applies the one
/// admission rule (AlertQueue). A loop on the io_context connects (stream links at
/// start, request links when something waits), takes batches from the queue's
/// front and acts on each Delivery: delivered alerts count sent; retries go back
/// to the front, and the loop waits the backoff (capped exponential, full jitter)
/// or the link's retry_after, logging rate-limited; refused ones are dropped. A
/// lost connection is retried the same way, without limit, so delivery is
/// at-least-once. Never throws from its interface except std::bad_alloc. The
/// state (queue, link) is shared with pending operations, so destroying the sink
/// while the loop runs is safe (pending work is cancelled).
class QueuedSink : public Sink {
 public:
  ~QueuedSink() override;

  const std::string& name() const final;
  /// Starts the loop on the io_context. Called once.
  void start() final;
  /// Queues `alert`; false (and counted rejected) if the admission rule refuses
  /// it (queue_bytes), or once stop() was called.
  bool submit(std::shared_ptr<const Alert> alert) final;
  /// Stops accepting, keeps delivering (and retrying) until nothing is held or
  /// `grace` ran out, then closes the link and posts `done`. When everything was
  /// delivered, the connection is first ended on purpose (SinkLink::end: a TLS
  /// close_notify), within the same grace.
  void stop(std::chrono::milliseconds grace, std::function<void()> done) final;
  SinkStats stats() const final;

 protected:
  /// Takes ownership of `link`; `queue` gives the bound and the retry policy.
  QueuedSink(boost::asio::io_context& io, const std::string& name, QueueOptions queue,
             std::unique_ptr<SinkLink> link);
  /// The link, for the concrete sink's own accessors (connected(), extra stats).
  SinkLink& link() const;

 private:
  struct Engine;
  std::shared_ptr<Engine> engine_;
};

}  // namespace newshound

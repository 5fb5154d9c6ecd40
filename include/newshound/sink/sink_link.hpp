// Stage: sink. SinkLink: the destination-specific half of a network output (how
// to connect, how to deliver one batch, how to close), driven by QueuedSink,
// which owns the queue, retries, backoff, stop/grace and stats. TcpSink, WebhookSink,
// FileSink and JetStreamSink are links; an HTTP output is meant to be too.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newshound/encode/alert.hpp"
#include "newshound/sink/alert_queue.hpp"
#include "newshound/sink/sink.hpp"

namespace newshound {

/// What one deliver() came to: QueuedSink does the rest (the way a Fluent Bit
/// output plugin answers OK / RETRY / ERROR and the engine acts on it).
struct Delivery {
  enum class Kind {
    delivered,  ///< the destination has the batch: counted sent, notify_sent
    handed,     ///< written; the link keeps the batch and settles each alert later
                ///< (LinkOutbox::confirm) or gives it back (SinkLink::take_back)
    retry,      ///< not delivered: the batch goes back to the queue's front, the
                ///< link is asked to take_back(), then a wait (backoff or retry_after)
    refused,    ///< refused for good (the link dead-lettered or logged it): dropped
  };
  Kind kind = Kind::retry;
  std::string why;  ///< retry: a sentence for the log, e.g. "POST http://x answered 503"
  /// retry: wait this long instead of the backoff (an answer's Retry-After,
  /// already capped by the link).
  std::optional<std::chrono::milliseconds> retry_after;
  /// retry: once, at once, without waiting or logging (a reused keep-alive
  /// connection the peer had closed); a second one in a row waits as usual.
  bool retry_now = false;

  static Delivery delivered() { return {Kind::delivered, {}, {}, false}; }
  static Delivery handed() { return {Kind::handed, {}, {}, false}; }
  static Delivery refused() { return {Kind::refused, {}, {}, false}; }
  static Delivery retry(std::string why) { return {Kind::retry, std::move(why), {}, false}; }
};

/// What a link may tell its QueuedSink between calls (from its receive() loop, or
/// during deliver()). Event-loop thread only.
class LinkOutbox {
 public:
  /// A handed alert is acknowledged: counted sent, notify_sent, its bytes freed.
  virtual void confirm(const std::shared_ptr<const Alert>& alert) = 0;
  /// The connection ended (peer closed, read error); `why` is for the log. The
  /// sink takes back what the link holds, logs, waits its backoff and reconnects.
  /// The link must already report connected() == false.
  virtual void lost(std::string why) = 0;
  /// Wakes the sink's loop (e.g. window room after an ack).
  virtual void wake() = 0;

 protected:
  ~LinkOutbox() = default;
};

/// A destination behind a QueuedSink. QueuedSink calls it on the event loop,
/// one operation at a time (connect, then deliver per batch), and keeps it alive
/// while any of its operations is pending. A link never throws except
/// std::bad_alloc: failures are Delivery::retry / connect() errors.
class SinkLink {
 public:
  using AlertPtr = std::shared_ptr<const Alert>;
  enum class Style {
    stream,   ///< connects at start() and stays connected; a connection resets the backoff
    request,  ///< connects when there is something to send; only an answer resets it
  };

  virtual ~SinkLink() = default;
  virtual Style style() const = 0;
  /// Where alerts go, for logs ("127.0.0.1:7302", "http://hooks.example/x").
  virtual const std::string& where() const = 0;

  /// Opens the connection. Returns "" when connected, else a sentence for the log
  /// ("cannot connect to 127.0.0.1:7302: Connection refused"); QueuedSink counts
  /// it failed and retries after the backoff.
  virtual boost::asio::awaitable<std::string> connect() = 0;
  /// True while a connection is up (status pages, Sink::ready()).
  virtual bool connected() const = 0;
  /// Runs once per connection after connect(), concurrently with deliver():
  /// reads what the peer sends (acks; a close while idle, reported by
  /// LinkOutbox::lost). Default: nothing to read.
  virtual boost::asio::awaitable<void> receive() { co_return; }

  /// How many alerts from the queue's front (waiting ones, q[0] first) go in the
  /// next batch: at least 1 and at most q.waiting() and room().
  virtual std::size_t batch_size(const AlertQueue& q) const = 0;
  /// Alerts that may be handed now (a window awaiting acks); 0 makes the sink
  /// wait for confirm() or wake().
  virtual std::size_t room() const { return std::numeric_limits<std::size_t>::max(); }
  /// Delivers `batch` (in order) on the connection and says how it went. On
  /// `retry` the link decides itself whether its connection is still usable.
  virtual boost::asio::awaitable<Delivery> deliver(const std::vector<AlertPtr>& batch) = 0;
  /// After a retry or lost(): calls `give(alert, delivered)` for every alert the
  /// link still holds that must be sent again, newest first (each goes to the
  /// queue's front). `delivered`: it was counted sent already (a resend window)
  /// rather than handed and unconfirmed. Returns how many. Default: holds none.
  virtual std::size_t take_back(const std::function<void(AlertPtr, bool delivered)>& give) {
    (void)give;
    return 0;
  }

  /// When the sink's idle loop should call tick() (a stall warning, a keep-alive);
  /// max(): never.
  virtual std::chrono::steady_clock::time_point tick_at() const {
    return std::chrono::steady_clock::time_point::max();
  }
  virtual void tick() {}

  /// Ends the connection on purpose, when the sink stopped and everything was
  /// delivered; close() follows. A TLS link sends close_notify and waits for the
  /// peer's at most net::kTlsShutdownTimeout (errors ignored: the peer may be
  /// gone); QueuedSink's grace bounds it too. Default: nothing. Never throws but
  /// std::bad_alloc.
  virtual boost::asio::awaitable<void> end() { co_return; }
  /// Closes the connection and cancels the link's pending operations (their
  /// completions return promptly). Called on stop, destruction and give-up.
  virtual void close() = 0;
  /// The sink is being destroyed, with the io_context still alive (it may have
  /// stopped): a link with a thread of its own either waits for it here, so the
  /// thread's last completion reaches a live loop, or (the JetStream link, whose
  /// thread may be in a connect to a hung server) closes the thread's way to the
  /// loop here without waiting, so nothing of it reaches a destroyed loop. The link itself may live
  /// on a little in a coroutine frame the loop still holds, and be destroyed with the io_context.
  /// Default: nothing to wait for.
  virtual void release() {}
  /// Adds link-specific counters (e.g. unacked, ack_errors) to the sink's stats.
  virtual void add_stats(SinkStats& st) const { (void)st; }

  /// Set by QueuedSink before any other call.
  void attach(LinkOutbox& out) { out_ = &out; }

 protected:
  LinkOutbox& outbox() const { return *out_; }

 private:
  LinkOutbox* out_ = nullptr;
};

}  // namespace newshound

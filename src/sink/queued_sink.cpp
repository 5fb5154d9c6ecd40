// Stage: sink. QueuedSink's engine: one coroutine connects through the link,
// hands it batches from the queue and acts on each Delivery, and at stop, once
// the queue is empty, ends the connection through the link (see queued_sink.hpp
// and sink_link.hpp for the contract).
#include "newshound/sink/queued_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <utility>
#include <vector>

#include "newshound/util/backoff.hpp"
#include "newshound/util/rate_limit.hpp"
#include "newshound/util/use_tuple.hpp"

namespace newshound {

namespace asio = boost::asio;

struct QueuedSink::Engine final : LinkOutbox, std::enable_shared_from_this<Engine> {
  using AlertPtr = std::shared_ptr<const Alert>;

  asio::io_context& io;
  std::string name;
  std::unique_ptr<SinkLink> link;
  AlertQueue queue;
  Backoff backoff;
  asio::steady_timer wake_timer, backoff_timer, grace_timer;
  SinkStats st;
  bool started = false, stopping = false, closed = false;
  bool delivering = false;              ///< a deliver() is pending
  bool retried_now = false;             ///< the last retry was a retry_now
  std::optional<std::string> lost_why;  ///< lost() reported, not yet handled
  std::function<void()> done;
  std::function<void(const AlertPtr&)> on_sent;  ///< Sink::notify_sent
  RateLimiter retry_log{std::chrono::seconds(10)}, connect_log{std::chrono::seconds(10)};

  Engine(asio::io_context& i, std::string n, QueueOptions q, std::unique_ptr<SinkLink> l)
      : io(i),
        name(std::move(n)),
        link(std::move(l)),
        queue(name, q.queue_bytes),
        backoff(q.backoff),
        wake_timer(i),
        backoff_timer(i),
        grace_timer(i) {
    link->attach(*this);
  }

  bool request_style() const { return link->style() == SinkLink::Style::request; }

  void sent(const AlertPtr& a) {
    ++st.sent;
    if (on_sent) on_sent(a);
  }

  // LinkOutbox
  void confirm(const AlertPtr& a) override {
    queue.settle(*a);
    sent(a);
    wake_timer.cancel();
  }
  void lost(std::string why) override {
    if (closed) return;
    lost_why = std::move(why);
    wake_timer.cancel();
  }
  void wake() override { wake_timer.cancel(); }

  void finish() {
    if (closed) return;
    closed = true;
    const std::size_t held = queue.size() - queue.waiting();
    if (held > 0)
      spdlog::warn("sink {}: closing with {} alerts unsent ({} of them sent, unconfirmed)", name,
                   queue.size(), held);
    else if (!queue.empty())
      spdlog::warn("sink {}: closing with {} alerts unsent", name, queue.size());
    else
      spdlog::info("sink {}: closed", name);
    link->close();
    wake_timer.cancel();
    backoff_timer.cancel();
    grace_timer.cancel();
    if (done) asio::post(io, std::exchange(done, nullptr));
  }

  /// A failed connect, a retry answer or a lost connection: take back what the
  /// link holds, count, log (rate-limited) and wait before the next attempt.
  asio::awaitable<void> retry(std::string why, std::optional<std::chrono::milliseconds> after,
                              bool now) {
    lost_why.reset();
    if (closed) co_return;
    ++st.failed;
    const std::size_t resend = link->take_back([this](AlertPtr a, bool delivered) {
      queue.put_back(std::move(a), delivered, !delivered);
    });
    if (now && !retried_now) {
      retried_now = true;
      co_return;
    }
    retried_now = false;
    const auto delay = after ? *after : backoff.next();
    std::uint64_t quiet = 0;
    if (retry_log.allow(&quiet))
      spdlog::warn(
          "sink {}: {}; retrying in {} ms, {} alerts queued{} ({} similar suppressed)", name, why,
          delay.count(), queue.size(),
          resend > 0 ? ", " + std::to_string(resend) + " of them to resend" : std::string(), quiet);
    backoff_timer.expires_after(delay);
    co_await backoff_timer.async_wait(use_tuple);
    co_return;
  }

  /// Sleeps until submit(), confirm(), lost(), stop() or the link's tick_at().
  asio::awaitable<void> wait_for_work() {
    wake_timer.expires_at(link->tick_at());
    auto [ec] = co_await wake_timer.async_wait(use_tuple);
    if (!ec && !closed) link->tick();
    co_return;
  }

  asio::awaitable<void> receive(std::shared_ptr<Engine> self) {
    (void)self;  // held by the frame: keeps the engine and link alive
    co_await link->receive();
    co_return;
  }

  /// Connects; false (after the retry wait) if that failed.
  asio::awaitable<bool> connect(std::shared_ptr<Engine> self) {
    std::string error = co_await link->connect();
    if (closed) co_return false;
    if (!error.empty()) {
      co_await retry(std::move(error), std::nullopt, false);
      co_return false;
    }
    if (!request_style()) backoff.reset();
    std::uint64_t quiet = 0;
    if (connect_log.allow(&quiet))
      spdlog::info("sink {}: connected to {} ({} similar suppressed)", name, link->where(), quiet);
    asio::co_spawn(io, receive(std::move(self)), asio::detached);
    co_return true;
  }

  /// Hands one batch to the link and acts on the answer.
  asio::awaitable<void> deliver_batch() {
    const std::size_t n = std::clamp<std::size_t>(link->batch_size(queue), 1,
                                                  std::min(queue.waiting(), link->room()));
    std::vector<AlertQueue::Entry> entries;
    std::vector<AlertPtr> batch;
    for (std::size_t i = 0; i < n; ++i) {
      entries.push_back(queue.take_front());
      batch.push_back(entries.back().alert);
    }
    delivering = true;
    const Delivery d = co_await link->deliver(batch);
    delivering = false;
    if (closed) co_return;
    switch (d.kind) {
      case Delivery::Kind::delivered:
        for (const auto& e : entries) {
          queue.settle(*e.alert);
          if (!e.counted) sent(e.alert);
        }
        break;
      case Delivery::Kind::refused:
        for (const auto& e : entries) queue.settle(*e.alert);
        break;
      case Delivery::Kind::handed:
        break;
      case Delivery::Kind::retry:
        for (auto it = entries.rbegin(); it != entries.rend(); ++it)
          queue.put_back(std::move(it->alert), it->counted, true);
        co_await retry(lost_why ? *lost_why : d.why, d.retry_after, d.retry_now && !lost_why);
        co_return;
    }
    if (d.kind != Delivery::Kind::handed) {
      backoff.reset();
      retried_now = false;
    }
    if (lost_why) co_await retry(*lost_why, std::nullopt, false);
    co_return;
  }

  asio::awaitable<void> run(std::shared_ptr<Engine> self) {
    while (!closed) {
      if (lost_why) {
        co_await retry(*lost_why, std::nullopt, false);
        continue;
      }
      const bool idle = queue.waiting() == 0 || link->room() == 0;
      if (idle && stopping && queue.empty()) {
        co_await link->end();  // e.g. a TLS close_notify; the grace timer still bounds it
        finish();
        break;
      }
      if (!link->connected() && !(idle && request_style())) {
        // Not `if (co_await ...)`: g++ 12 + UBSan miscompiles that (SIGILL).
        const bool up = co_await connect(self);
        (void)up;
        continue;
      }
      if (idle) {
        co_await wait_for_work();
        continue;
      }
      co_await deliver_batch();
    }
    co_return;  // explicit: g++ 12 with UBSan traps on falling off a coroutine
  }
};

QueuedSink::QueuedSink(asio::io_context& io, const std::string& name, QueueOptions queue,
                       std::unique_ptr<SinkLink> link)
    : engine_(std::make_shared<Engine>(io, name, queue, std::move(link))) {
  engine_->on_sent = [this](const std::shared_ptr<const Alert>& a) { notify_sent(a); };
}

QueuedSink::~QueuedSink() {
  engine_->on_sent = nullptr;
  engine_->done = nullptr;
  engine_->finish();
  engine_->link->release();
}

const std::string& QueuedSink::name() const {
  return engine_->name;
}

SinkLink& QueuedSink::link() const {
  return *engine_->link;
}

void QueuedSink::start() {
  Engine& e = *engine_;
  if (e.started || e.closed) return;
  e.started = true;
  asio::co_spawn(e.io, e.run(engine_), asio::detached);
}

bool QueuedSink::submit(std::shared_ptr<const Alert> alert) {
  Engine& e = *engine_;
  if (!e.queue.offer(std::move(alert), !e.stopping && !e.closed, e.st)) return false;
  e.wake_timer.cancel();
  return true;
}

void QueuedSink::stop(std::chrono::milliseconds grace, std::function<void()> done) {
  Engine& e = *engine_;
  if (e.stopping || e.closed) {
    if (done) asio::post(e.io, std::move(done));
    return;
  }
  e.stopping = true;
  e.done = std::move(done);
  // Nothing held and no connection to end: done now. A connection is ended by
  // the loop (SinkLink::end, bounded by the grace like a delivery).
  if (!e.started || (e.queue.empty() && !e.link->connected())) {
    e.finish();
    return;
  }
  e.grace_timer.expires_after(grace);
  e.grace_timer.async_wait([self = engine_](const boost::system::error_code& ec) {
    if (!ec) self->finish();
  });
  e.wake_timer.cancel();
}

SinkStats QueuedSink::stats() const {
  SinkStats s = engine_->st;
  s.queued = engine_->queue.size();
  s.queued_bytes = engine_->queue.bytes();
  engine_->link->add_stats(s);
  return s;
}

}  // namespace newshound

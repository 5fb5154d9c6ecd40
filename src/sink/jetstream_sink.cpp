// Stage: sink. JetStreamSink's link: every nats.c call it makes that may block
// (connect, publish, close) runs on the link's nats::Worker thread, in the order
// the loop queued them, never on the event loop; results come back to the loop
// through the worker's gate. Each alert is published asynchronously with
// Nats-Msg-Id = alert id and settled when nats.c reports the publish ack (on
// its own thread; posted to the loop through the same gate). It owns the ack
// timeout: one steady timer on the loop for the oldest publish's deadline
// (nats.c's per-publish MaxWait timer is not used: its teardown can crash,
// nats.c issue 880). A closed connection, a failed publish or an ack that did
// not come within ack_wait drops the connection: every alert still awaiting its
// ack goes back to the queue and is published again after the reconnect (the
// server drops the duplicates by Msg-Id); a late ack settles only an alert
// still awaiting one. A link being destroyed retires its worker without waiting
// for it (a connect to a hung server may run for nats.c's 3 s timeout):
// nats::close_library() joins it at exit.
#include "newshound/sink/jetstream_sink.hpp"

#include "newshound/nats/worker.hpp"

#include <nats/nats.h>

#include <atomic>
#include <boost/asio.hpp>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <unordered_map>

namespace newshound {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kJetStreamBatchAlerts = 256;

using AlertPtr = std::shared_ptr<const Alert>;

/// The worker thread's side of a link: the connection, which only the link's
/// worker jobs touch (opened, published on and closed there, so it is never
/// destroyed on the loop), and the generation publishes may go to.
struct Wire {
  std::unique_ptr<nats::Connection> conn;  ///< worker thread only
  /// Set on the loop: the connection generation whose publishes may still be
  /// sent; 0 once it was lost or closed (queued publishes of it are skipped:
  /// their alerts were taken back).
  std::atomic<std::uint64_t> live{0};
};

/// Loop-side state, shared (weakly) with the callbacks nats.c makes and with the
/// ack timer's handler.
struct PublishState {
  using Clock = std::chrono::steady_clock;
  struct Pending {
    AlertPtr alert;
    Clock::time_point deadline;  ///< published + ack_wait: failed if no ack by then
  };

  PublishState(asio::any_io_executor ex, std::string where, std::chrono::milliseconds wait)
      : url(std::move(where)), ack_wait(wait), ack_timer(std::move(ex)) {}

  LinkOutbox* out = nullptr;
  const std::shared_ptr<Wire> wire = std::make_shared<Wire>();
  const std::string url;                     ///< for the log
  const std::chrono::milliseconds ack_wait;  ///< the same for every publish: deadlines
                                             ///< grow with publish order
  std::map<std::uint64_t, Pending> pending;  ///< by publish order: awaiting the ack
  std::unordered_multimap<std::string, std::uint64_t> by_id;
  std::uint64_t next_seq = 0, gen = 0;
  bool connected = false;
  asio::steady_timer ack_timer;  ///< armed for the oldest pending publish's deadline
  bool timer_armed = false;

  void add(const AlertPtr& a) {
    pending.emplace(next_seq, Pending{a, Clock::now() + ack_wait});
    by_id.emplace(a->id, next_seq++);
  }
  /// The oldest pending alert with `id`, removed; null if none (a late ack of an
  /// alert already taken back, or a duplicate ack).
  AlertPtr take(const std::string& id) {
    auto [b, e] = by_id.equal_range(id);
    if (b == e) return nullptr;
    auto oldest = b;
    for (auto it = b; it != e; ++it)
      if (it->second < oldest->second) oldest = it;
    auto p = pending.find(oldest->second);
    AlertPtr a = std::move(p->second.alert);
    pending.erase(p);
    by_id.erase(oldest);
    return a;
  }
};

/// The connection of generation `gen` is lost (closed, a failed publish, an ack
/// timeout): reported once, if it is still the current one.
void lose(const std::shared_ptr<PublishState>& s, std::uint64_t gen, std::string why) {
  if (!s || gen != s->gen || !s->connected) return;
  s->connected = false;
  s->wire->live = 0;
  s->out->lost(std::move(why));
}

void on_ack_timer(const std::shared_ptr<PublishState>& s);

/// Arms the ack timer for the oldest pending publish, unless it is armed already
/// (then it fires no later than that deadline and re-arms) or nothing is pending.
void arm_ack_timer(const std::shared_ptr<PublishState>& s) {
  if (s->timer_armed || s->pending.empty()) return;
  s->timer_armed = true;
  s->ack_timer.expires_at(s->pending.begin()->second.deadline);
  s->ack_timer.async_wait(
      [w = std::weak_ptr<PublishState>(s)](const boost::system::error_code& ec) {
        auto st = w.lock();
        if (!st) return;
        st->timer_armed = false;
        if (!ec) on_ack_timer(st);
      });
}

/// The oldest publish past its deadline fails the connection, like a failed ack;
/// otherwise the timer waits for the oldest one still pending.
void on_ack_timer(const std::shared_ptr<PublishState>& s) {
  if (s->pending.empty()) return;
  const PublishState::Pending& oldest = s->pending.begin()->second;
  if (oldest.deadline > PublishState::Clock::now()) return arm_ack_timer(s);
  if (!s->connected) return;  // lost already: take_back empties `pending`
  lose(s, s->gen,
       "no publish ack from " + s->url + " within " + std::to_string(s->ack_wait.count()) +
           " ms (ack_wait_ms) for alert " + oldest.alert->id + ", " +
           std::to_string(s->pending.size()) + " alerts awaiting theirs");
}

/// Posts `fn` to the loop through `worker`'s gate (dropped once it is retired:
/// the loop may be gone). `fn` holds only weak references.
void to_loop(const std::weak_ptr<nats::Worker>& worker, std::function<void()> fn) {
  if (auto w = worker.lock()) w->to_loop(std::move(fn));
}

/// nats.c's callbacks for one connection (generation), posted to the loop.
class PublishListener final : public nats::Listener {
 public:
  PublishListener(std::weak_ptr<nats::Worker> w, std::weak_ptr<PublishState> st, std::uint64_t gen)
      : worker_(std::move(w)), st_(std::move(st)), gen_(gen) {}
  void on_closed(std::string why) override {
    to_loop(worker_, [st = st_, gen = gen_, why = std::move(why)]() mutable {
      lose(st.lock(), gen, std::move(why));
    });
  }
  void on_pub_ack(std::string id, std::string error) override {
    to_loop(worker_, [st = st_, gen = gen_, id = std::move(id), error = std::move(error)] {
      auto s = st.lock();
      if (!s) return;
      if (!error.empty()) return lose(s, gen, "publish failed: " + error);
      // Also an older connection's late ack: the server has the message either way.
      if (AlertPtr a = s->take(id)) s->out->confirm(a);
    });
  }

 private:
  std::weak_ptr<nats::Worker> worker_;
  std::weak_ptr<PublishState> st_;
  std::uint64_t gen_;
};

/// A connect the loop waits for: the worker sets `result` and wakes `timer`.
struct ConnectWait {
  explicit ConnectWait(asio::any_io_executor ex) : timer(std::move(ex)) {}
  asio::steady_timer timer;
  std::optional<std::string> result;  ///< "" connected, or why not
};

/// Worker thread: publishes one alert (async: its ack comes through the
/// listener); "" or why not. No jsPubOptions: a MaxWait would start nats.c's
/// own per-publish timer, whose context teardown destroys the lock the timer
/// still takes (nats.c 3.4.1, issue 880), a crash when a connection with
/// publishes outstanding is closed; the loop's ack timer keeps the deadline.
std::string publish(nats::Connection& conn, const std::string& subject_template, const Alert& a) {
  std::string_view body = a.json;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  const std::string subject = jetstream_subject(subject_template, body);
  natsMsg* msg = nullptr;
  natsStatus s = natsMsg_Create(&msg, subject.c_str(), nullptr, body.data(), int(body.size()));
  if (s == NATS_OK) s = natsMsgHeader_Set(msg, "Nats-Msg-Id", a.id.c_str());
  if (s == NATS_OK) s = js_PublishMsgAsync(conn.js(), &msg, nullptr);
  natsMsg_Destroy(msg);  // no-op once nats.c took it
  if (s == NATS_OK) return {};
  return "publish to " + subject + " on " + conn.where() + " failed: " + nats::status_text(s);
}

class JetStreamLink final : public SinkLink {
 public:
  JetStreamLink(asio::io_context& io, std::string sink, JetStreamSinkOptions o)
      : io_(io),
        sink_(std::move(sink)),
        opt_(std::move(o)),
        st_(std::make_shared<PublishState>(io.get_executor(), opt_.connect.url, opt_.ack_wait)),
        worker_(nats::Worker::start(io.get_executor(), "sink " + sink_)) {}
  ~JetStreamLink() override {
    // close() ran (QueuedSink's finish): its close job is queued. Retiring
    // again is harmless; nothing here waits for the worker.
    if (!closed_) worker_->run([w = st_->wire] { w->conn.reset(); });
    worker_->retire();
  }

  Style style() const override { return Style::stream; }
  const std::string& where() const override { return opt_.connect.url; }
  bool connected() const override { return st_->connected; }

  /// The worker closes the previous connection and opens the next (nats.c's
  /// connect blocks, up to its 3 s timeout against a hung server); the loop
  /// waits for its answer on a timer that close() cancels.
  asio::awaitable<std::string> connect() override {
    st_->out = &outbox();
    const std::uint64_t gen = ++st_->gen;
    st_->wire->live = 0;
    auto listener = std::make_shared<PublishListener>(worker_, st_, gen);
    auto wait = std::make_shared<ConnectWait>(io_.get_executor());
    connect_wait_ = wait;
    worker_->run([wire = st_->wire, opts = opt_.connect, listener = std::move(listener),
                  worker = std::weak_ptr<nats::Worker>(worker_),
                  waiting = std::weak_ptr<ConnectWait>(wait)]() mutable {
      wire->conn.reset();
      std::string error;
      wire->conn = nats::Connection::open(opts, std::move(listener), true, error);
      to_loop(worker, [waiting, error = std::move(error)]() mutable {
        if (auto w = waiting.lock()) {
          w->result = std::move(error);
          w->timer.cancel();
        }
      });
    });
    while (!wait->result && !closed_) {
      wait->timer.expires_at(asio::steady_timer::time_point::max());
      boost::system::error_code ec;
      co_await wait->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (connect_wait_ == wait) connect_wait_.reset();
    // Stopped meanwhile: close() queued the close behind this connect.
    if (closed_) co_return "closed";
    if (!wait->result->empty()) co_return *wait->result;
    st_->wire->live = gen;
    st_->connected = true;
    co_return std::string();
  }

  std::size_t batch_size(const AlertQueue& q) const override {
    return std::min(q.waiting(), kJetStreamBatchAlerts);
  }
  std::size_t room() const override {
    return st_->pending.size() >= opt_.max_pending ? 0 : opt_.max_pending - st_->pending.size();
  }

  /// Holds the batch (awaiting acks) and queues its publishes to the worker,
  /// in order; a failed one reports the connection lost from there.
  asio::awaitable<Delivery> deliver(const std::vector<AlertPtr>& batch) override {
    for (const auto& a : batch) st_->add(a);  // all held first: a failure gives all back
    if (!st_->connected) {
      outbox().lost("not connected");
    } else {
      worker_->run([wire = st_->wire, gen = st_->gen, batch, subject = opt_.subject,
                    worker = std::weak_ptr<nats::Worker>(worker_),
                    st = std::weak_ptr<PublishState>(st_)] {
        for (const auto& a : batch) {
          // Lost or closed meanwhile: the loop took these alerts back.
          if (wire->live != gen || !wire->conn) return;
          if (std::string why = publish(*wire->conn, subject, *a); !why.empty()) {
            to_loop(worker, [st, gen, why = std::move(why)]() mutable {
              lose(st.lock(), gen, std::move(why));
            });
            return;
          }
        }
      });
    }
    arm_ack_timer(st_);
    co_return Delivery::handed();
  }

  std::size_t take_back(const std::function<void(AlertPtr, bool)>& give) override {
    const std::size_t n = st_->pending.size();
    for (auto it = st_->pending.rbegin(); it != st_->pending.rend(); ++it)
      give(it->second.alert, false);
    st_->pending.clear();
    st_->by_id.clear();
    return n;
  }

  /// Closes the connection on the worker, after the jobs queued before (a
  /// connect under way; publishes, skipped now): nats.c's close flushes what it
  /// holds and waits for the server's answer (up to 0.5 s, and the write
  /// deadline when the socket is full), which on the loop would hold the
  /// daemon's stop past shutdown_grace_ms when the server hangs.
  void close() override {
    closed_ = true;
    st_->connected = false;
    st_->wire->live = 0;
    ++st_->gen;
    st_->ack_timer.cancel();
    if (connect_wait_) connect_wait_->timer.cancel();
    worker_->run([w = st_->wire] { w->conn.reset(); });
  }

  /// Retires the worker, without waiting for it (a reload replacing this
  /// output must not hold the loop for a connect to a hung server): from now
  /// on nothing of the worker's or nats.c's reaches the loop, which may be
  /// destroyed next; the worker ends once its queue (the close above) is done,
  /// and nats::close_library() joins it at exit, before nats.c is released.
  void release() override { worker_->retire(); }

  void add_stats(SinkStats& st) const override { st.unacked = st_->pending.size(); }

 private:
  asio::io_context& io_;
  std::string sink_;
  JetStreamSinkOptions opt_;
  std::shared_ptr<PublishState> st_;
  /// nats.c's blocking calls, in order: connect, publish, close.
  std::shared_ptr<nats::Worker> worker_;
  std::shared_ptr<ConnectWait> connect_wait_;  ///< the connect under way, if any
  bool closed_ = false;
};

}  // namespace

std::string jetstream_subject(std::string_view subject, std::string_view alert_json) {
  const std::size_t at = subject.find("{list}");
  if (at == std::string_view::npos) return std::string(subject);
  std::string list;
  constexpr std::string_view kKey = "\"lists\":[\"";
  if (const std::size_t k = alert_json.find(kKey); k != std::string_view::npos) {
    for (std::size_t i = k + kKey.size(); i < alert_json.size() && alert_json[i] != '"'; ++i) {
      const unsigned char c = static_cast<unsigned char>(alert_json[i]);
      list += std::isalnum(c) || c == '-' || c == '_' ? char(c) : '_';
    }
  }
  if (list.empty()) list = "_";
  std::string out(subject.substr(0, at));
  out += list;
  out += subject.substr(at + 6);
  return out;
}

JetStreamSink::JetStreamSink(asio::io_context& io, const std::string& name,
                             JetStreamSinkOptions opts)
    : QueuedSink(io, name, opts.queue, std::make_unique<JetStreamLink>(io, name, opts)) {}

bool JetStreamSink::connected() const {
  return link().connected();
}

}  // namespace newshound

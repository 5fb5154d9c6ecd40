// Stage: source. JetStreamInput: a helper thread owns the nats.c side (connect,
// create-or-bind the durable pull consumer, pull: all blocking calls) and posts
// each pull to the event loop, where it becomes one LineBatch whose LineAcks
// (MsgAcks below) ack, nak, or terminate each message as its line settles. The
// thread never touches the consumer; the loop never blocks on nats.c (acks are
// buffered publishes). The pull requests are our own (Core::fetch), not nats.c's
// natsSubscription_Fetch: in nats.c 3.4 (Debian 12) that call, started with more
// than half a batch already waiting in the subscription while an earlier request
// still delivers, collects past `batch` and writes past the array it returns
// (issue 16: TSan's heap-use-after-free and ASan's heap-buffer-overflow reading
// that array). The loop makes no nats.c call that can block: acks (+ACK, -NAK,
// +TERM, +WPI), dead letters and stop()'s unsubscribe are queued, in order, to
// the input's acks thread (a nats::Worker), which counts and logs a failed one;
// the fetch thread is a nats::Worker too, and its pulls reach the loop through
// its gate. Neither thread is joined by the loop: a replaced input retires them,
// and nats::close_library() joins them at exit. A session (connection +
// subscription) is closed off the loop: when its last owner lets go, it goes to
// the fetch thread's graveyard (once that thread has ended, to the acks
// thread; once both have, to a worker of its own). stop() unsubscribes the
// running session's inbox, which ends its pull requests: a stopped input takes
// no more messages (each would count toward max_deliver).
#include "newshound/source/jetstream_input.hpp"

#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "newshound/nats/worker.hpp"
#include "newshound/source/input_metrics.hpp"
#include "newshound/source/tcp_input.hpp"
#include "newshound/util/clock.hpp"
#include "newshound/util/rate_limit.hpp"

namespace newshound {

namespace asio = boost::asio;

namespace {

/// One connection with the subscription the consumer's messages come to (a plain
/// subscription on an inbox of ours, answering our pull requests); shared by the
/// batches whose messages came from it (acks are published on its connection).
struct Session {
  std::unique_ptr<nats::Connection> conn;
  natsSubscription* sub = nullptr;
  std::string inbox;          ///< request n is answered on inbox + "." + n
  std::uint64_t request = 0;  ///< the last request's n (fetch thread only)
  ~Session() {
    if (sub != nullptr) natsSubscription_Destroy(sub);
  }
};

/// Acknowledgements whose publish failed (the connection lost or closed, or a
/// write to a hung server past the write deadline): the message comes back
/// after ack_wait. Counted and logged on the acks thread.
struct AckFailures {
  explicit AckFailures(std::string n) : input(std::move(n)) {}
  const std::string input;
  std::atomic<std::uint64_t> count{0};
  RateLimiter log{std::chrono::seconds(10)};  ///< acks thread only

  void failed(std::string_view kind, natsStatus st) {
    ++count;
    std::uint64_t quiet = 0;
    if (log.allow(&quiet))
      spdlog::warn(
          "input {}: an acknowledgement ({}) was not sent: {}; the server delivers the message "
          "again after ack_wait ({} similar suppressed)",
          input, kind.substr(0, kind.find(' ')), nats::status_text(st), quiet);
  }
};

/// Acks thread: publishes the JetStream acknowledgement `kind` ("+ACK", "-NAK
/// {...}", "+TERM", "+WPI") to `to` on `s`'s connection (buffered; a full socket
/// waits up to the write deadline).
void acknowledge(const Session& s, const std::string& to, const std::string& kind,
                 AckFailures& failures) {
  const natsStatus st = natsConnection_PublishString(s.conn->conn(), to.c_str(), kind.c_str());
  if (st != NATS_OK) failures.failed(kind, st);
}

/// `m`'s reply subject (where its acknowledgement goes); "" when none.
std::string reply_of(natsMsg* m) {
  const char* to = natsMsg_GetReply(m);
  return to != nullptr ? std::string(to) : std::string();
}

/// How long one pull request waits for messages (the server expires it 10 ms earlier).
constexpr std::chrono::milliseconds kPullWait{1000};
/// Once a pull has messages, how long it waits for the next before handing them
/// over: a message waiting here is not yet told `in progress`, and its ack_wait
/// (as short as 1 s) runs (issue 16: a pull that held a part-filled batch for the
/// whole kPullWait let its messages be redelivered, and after a few such
/// deliveries the server gave them up at max_deliver).
constexpr std::chrono::milliseconds kLinger{20};

std::int64_t nanos(std::chrono::milliseconds ms) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ms).count();
}

}  // namespace

struct JetStreamInput::Core : std::enable_shared_from_this<Core> {
  /// The acknowledgement channel of the input's one stream: the dispatcher
  /// settles the lines of every batch in order, so the messages wait in one
  /// queue in the order their lines were handed over (each with its session:
  /// acks need its connection).
  struct MsgAcks final : LineAcks {
    struct Held {
      natsMsg* msg;
      std::shared_ptr<Session> session;
    };
    std::weak_ptr<Core> owner;  ///< the input (the ledger may outlive it)
    std::deque<Held> held;
    ~MsgAcks() override {
      for (Held& h : held) natsMsg_Destroy(h.msg);
    }
    void settled(std::optional<std::string_view> id) override {
      auto core = owner.lock();
      if (held.empty() || !core) return;
      Held h = pop();
      if (id) {
        core->acknowledge(h.session, h.msg, "+ACK");
        ++core->stats.acks;
      } else {
        core->acknowledge(h.session, h.msg,
                          "-NAK {\"delay\":" + std::to_string(nanos(core->opt.nak_delay)) + "}");
        ++core->naks;
      }
      natsMsg_Destroy(h.msg);
    }
    void refused(std::string_view reason) override {
      auto core = owner.lock();
      if (held.empty() || !core) return;
      Held h = pop();
      core->dead_letter(h.session, h.msg, reason);
      core->acknowledge(h.session, h.msg, "+TERM");
      ++core->terminated;
      natsMsg_Destroy(h.msg);
    }
    /// Tells the server the unsettled messages are still being worked on (one
    /// job for the acks thread).
    void in_progress(Core& core) {
      if (held.empty()) return;
      std::vector<std::pair<std::shared_ptr<Session>, std::string>> to;
      to.reserve(held.size());
      for (Held& h : held)
        if (std::string r = reply_of(h.msg); !r.empty()) to.emplace_back(h.session, std::move(r));
      core.acker->run([to = std::move(to), f = core.ack_failures] {
        static const std::string kWpi = "+WPI";
        for (const auto& [s, reply] : to) newshound::acknowledge(*s, reply, kWpi, *f);
      });
    }
    Held pop() {
      Held h = std::move(held.front());
      held.pop_front();
      return h;
    }
  };

  asio::io_context& io;
  JetStreamInputOptions opt;
  LineConsumer& consumer;
  TcpInputStats stats;
  std::atomic<std::uint64_t> terminated{0}, naks{0};
  const std::uint64_t stream_id = new_stream_id();
  std::uint64_t seq = 0;                                        ///< loop only
  bool stopped = false;                                         ///< loop only
  std::shared_ptr<MsgAcks> acks = std::make_shared<MsgAcks>();  ///< loop only
  /// Loop only; reset by ~JetStreamInput, so that the Core (which the threads
  /// share) holds nothing of the loop's when it is destroyed elsewhere.
  std::unique_ptr<asio::steady_timer> progress_timer;
  /// The nats.c calls the loop asks for (acks, dead letters, unsubscribe), in order.
  std::shared_ptr<nats::Worker> acker;
  std::shared_ptr<AckFailures> ack_failures;
  /// The fetch thread (run()); its pulls reach the loop through its gate.
  std::shared_ptr<nats::Worker> fetcher;
  mutable std::mutex mu;  ///< guards the fields below
  std::condition_variable cv;
  bool stopping = false;
  bool fetcher_done = false;        ///< the graveyard is no longer drained
  std::vector<Session*> graveyard;  ///< sessions to destroy on the fetch thread
  /// The fetch thread's session once it consumes: stop() unsubscribes its inbox.
  std::shared_ptr<Session> current;
  std::size_t inflight = 0;
  std::string down = "connecting";  ///< why not ready; "" when consuming
  RateLimiter down_log{std::chrono::seconds(10)}, dead_log{std::chrono::seconds(10)};

  Core(asio::io_context& i, JetStreamInputOptions o, LineConsumer& c)
      : io(i),
        opt(std::move(o)),
        consumer(c),
        progress_timer(std::make_unique<asio::steady_timer>(i)),
        acker(nats::Worker::start(i.get_executor(), "input " + opt.name + " acks")),
        ack_failures(std::make_shared<AckFailures>(opt.name)) {}

  /// Loop: queues the acknowledgement `kind` of `m` (from `s`) to the acks thread.
  void acknowledge(const std::shared_ptr<Session>& s, natsMsg* m, std::string kind) {
    std::string to = reply_of(m);
    if (to.empty()) return;
    acker->run([s, to = std::move(to), kind = std::move(kind), f = ack_failures] {
      newshound::acknowledge(*s, to, kind, *f);
    });
  }

  std::size_t max_inflight() const {
    return std::max<std::size_t>(1, opt.max_ack_pending / std::max<std::size_t>(1, opt.batch));
  }

  void set_down(std::string why) {
    std::lock_guard lock(mu);
    down = std::move(why);
  }

  /// A session whose last owner (the loop, a batch, or the fetch thread) hands
  /// it to the fetch thread to close; destroyed where it is dropped only once
  /// that thread is gone.
  std::shared_ptr<Session> new_session() {
    return std::shared_ptr<Session>(new Session, [w = weak_from_this()](Session* dead) {
      if (auto core = w.lock()) {
        {
          std::lock_guard lock(core->mu);
          if (!core->fetcher_done) {
            core->graveyard.push_back(dead);
            return;
          }
        }
        if (core->acker->run([dead] { delete dead; })) return;
      }
      // Both threads have ended (the input is gone, a batch let go last): a
      // worker of its own closes it, still off the loop (it never posts to
      // one: no executor), and close_library() joins it.
      auto closer = nats::Worker::start({}, "input session close");
      closer->run([dead] { delete dead; });
      closer->retire();
    });
  }

  /// Fetch thread: closes the sessions the loop let go of.
  void bury() {
    std::vector<Session*> dead;
    {
      std::lock_guard lock(mu);
      dead.swap(graveyard);
    }
    for (Session* s : dead) delete s;
  }

  /// Fetch thread: connect, create or bind the consumer; null with `why`.
  std::shared_ptr<Session> open_session(std::string& why) {
    auto s = new_session();
    s->conn = nats::Connection::open(opt.connect, nullptr, false, why);
    if (!s->conn) return nullptr;
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = opt.durable.c_str();
    cc.AckPolicy = js_AckExplicit;
    cc.AckWait = nanos(opt.ack_wait);
    cc.MaxDeliver = opt.max_deliver;
    cc.MaxAckPending = std::int64_t(opt.max_ack_pending);
    if (!opt.subject.empty()) cc.FilterSubject = opt.subject.c_str();
    jsConsumerInfo* ci = nullptr;
    jsErrCode ec = jsErrCode(0);
    natsStatus st = js_AddConsumer(&ci, s->conn->js(), opt.stream.c_str(), &cc, nullptr, &ec);
    jsConsumerInfo_Destroy(ci);
    if (st != NATS_OK && ec != JSConsumerNameExistErr && ec != JSConsumerExistingActiveErr) {
      why = "cannot create the durable consumer '" + opt.durable + "' on stream '" + opt.stream +
            "' at " + opt.connect.url + ": " + nats::status_text(st);
      return nullptr;
    }
    jsConsumerInfo* info = nullptr;
    st = js_GetConsumerInfo(&info, s->conn->js(), opt.stream.c_str(), opt.durable.c_str(), nullptr,
                            &ec);
    const bool push = info != nullptr && info->Config != nullptr &&
                      info->Config->DeliverSubject != nullptr && *info->Config->DeliverSubject;
    jsConsumerInfo_Destroy(info);
    if (st != NATS_OK || push) {
      why = "cannot bind to the durable consumer '" + opt.durable + "' on stream '" + opt.stream +
            "': " +
            (push ? std::string("it is a push consumer (give the input another durable name)")
                  : nats::status_text(st));
      return nullptr;
    }
    natsInbox* inbox = nullptr;
    st = natsInbox_Create(&inbox);
    if (st == NATS_OK) s->inbox = inbox;
    natsInbox_Destroy(inbox);
    if (st == NATS_OK)
      st = natsConnection_SubscribeSync(&s->sub, s->conn->conn(), (s->inbox + ".*").c_str());
    // max_ack_pending bounds what can wait here.
    if (st == NATS_OK) st = natsSubscription_SetPendingLimits(s->sub, -1, -1);
    if (st != NATS_OK) {
      why = "cannot subscribe for the consumer's messages on " + opt.connect.url + ": " +
            nats::status_text(st);
      return nullptr;
    }
    return s;
  }

  /// Fetch thread: pulls up to `batch` messages into `msgs` as nats.c's Fetch
  /// would (what is there now; if nothing, waits up to kPullWait for some), but
  /// returns once messages stop coming for kLinger, and never takes more than
  /// `batch`: messages of an earlier request still arriving count toward it and
  /// the rest wait in the subscription for the next call. NATS_OK (perhaps with
  /// no message) or the error that lost the server.
  natsStatus fetch(Session& s, std::vector<natsMsg*>& msgs) {
    using Steady = std::chrono::steady_clock;
    const std::string subject = "$JS.API.CONSUMER.MSG.NEXT." + opt.stream + "." + opt.durable;
    const std::size_t batch = std::max<std::size_t>(1, opt.batch);
    for (bool no_wait = batch > 1;; no_wait = false) {
      const std::string reply = s.inbox + "." + std::to_string(++s.request);
      const std::string body =
          "{\"batch\":" + std::to_string(batch - msgs.size()) +
          (no_wait ? std::string(",\"no_wait\":true}")
                   : ",\"expires\":" +
                         std::to_string(nanos(kPullWait - std::chrono::milliseconds(10))) + "}");
      natsStatus st = natsConnection_PublishRequestString(s.conn->conn(), subject.c_str(),
                                                          reply.c_str(), body.c_str());
      if (st != NATS_OK) return st;
      const auto deadline = Steady::now() + kPullWait;
      bool over = false;  // the server ended this request (a status message)
      while (!over && msgs.size() < batch) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
        if (left.count() <= 0) return NATS_OK;
        natsMsg* m = nullptr;
        st = natsSubscription_NextMsg(
            &m, s.sub, msgs.empty() ? left.count() : std::min(left, kLinger).count());
        if (st == NATS_TIMEOUT) return NATS_OK;
        if (st == NATS_SLOW_CONSUMER) continue;
        if (st != NATS_OK) return st;
        const char* status = nullptr;
        if (natsMsg_GetDataLength(m) > 0 || natsMsgHeader_Get(m, "Status", &status) != NATS_OK ||
            status == nullptr) {
          msgs.push_back(m);  // an article (a blank one too)
          continue;
        }
        // 404 (nothing there), 408 (expired), 409 (a limit): this request is
        // over; 100 is a heartbeat, and a status for an earlier request is late.
        // A waiting request outlives a 409 (max_ack_pending reached) until it
        // expires, so that a full consumer is not asked again at once.
        const bool ours = reply == natsMsg_GetSubject(m);
        over = ours && std::strncmp(status, "100", 3) != 0 &&
               (no_wait || std::strncmp(status, "409", 3) != 0);
        natsMsg_Destroy(m);
      }
      if (msgs.size() >= batch || !no_wait || !msgs.empty()) return NATS_OK;
    }
  }

  /// Fetch thread: `s` becomes the session stop() unsubscribes; false (and
  /// nothing changed) when stopping already.
  bool consume_on(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(mu);
    if (stopping) return false;
    current = s;
    return true;
  }

  /// Fetch thread: lets go of `s` (and of `current`; neither released under mu:
  /// the last owner's deleter locks it).
  void drop_current(std::shared_ptr<Session>& s) {
    std::shared_ptr<Session> cur;
    {
      std::lock_guard lock(mu);
      cur.swap(current);
    }
    cur.reset();
    s.reset();
  }

  bool is_stopping() const {
    std::lock_guard lock(mu);
    return stopping;
  }

  /// Fetch thread: waits `d` or until stopped; false once stopping.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mu);
    return !cv.wait_for(lock, d, [&] { return stopping; });
  }

  void run() {
    Backoff backoff(opt.backoff);
    std::shared_ptr<Session> s;
    for (;;) {
      bury();
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || inflight < max_inflight(); });
        if (stopping) break;
      }
      if (!s) {
        std::string why;
        s = open_session(why);
        if (!s) {
          ++stats.connect_failures;
          std::uint64_t quiet = 0;
          if (down_log.allow(&quiet))
            spdlog::warn("input {}: {}; retrying ({} similar suppressed)", opt.name, why, quiet);
          set_down(std::move(why));
          if (!pause(backoff.next())) break;
          continue;
        }
        // Stopped while connecting: no pull request from this session.
        if (!consume_on(s)) break;
        backoff.reset();
        ++stats.connections;
        stats.active = 1;
        set_down("");
        spdlog::info("input {}: consuming stream '{}' through durable consumer '{}' on {}",
                     opt.name, opt.stream, opt.durable, opt.connect.url);
      }
      // An error after some messages came: they go first, the next fetch meets it again.
      std::vector<natsMsg*> msgs;
      const natsStatus st = fetch(*s, msgs);
      if (msgs.empty() && st == NATS_OK) continue;
      if (msgs.empty()) {
        if (is_stopping()) break;  // stop() unsubscribed: not a lost server
        std::string why = "lost " + opt.connect.url + ": " + nats::status_text(st);
        spdlog::warn("input {}: {}; reconnecting", opt.name, why);
        set_down(std::move(why));
        stats.active = 0;
        drop_current(s);
        if (!pause(backoff.next())) break;
        continue;
      }
      {
        std::lock_guard lock(mu);
        ++inflight;
      }
      // Owned here until deliver() takes them: dropped (the gate closed) they
      // are freed, unacked (redelivered after ack_wait).
      std::shared_ptr<std::vector<natsMsg*>> held(new std::vector<natsMsg*>(std::move(msgs)),
                                                  [](std::vector<natsMsg*>* v) {
                                                    for (natsMsg* m : *v) natsMsg_Destroy(m);
                                                    delete v;
                                                  });
      fetcher->to_loop(
          [self = shared_from_this(), s, held] { self->deliver(s, std::exchange(*held, {})); });
    }
    stats.active = 0;
    drop_current(s);
    {
      std::lock_guard lock(mu);
      fetcher_done = true;
    }
    bury();
  }

  /// Loop: one fetch becomes one batch.
  void deliver(std::shared_ptr<Session> s, std::vector<natsMsg*> msgs) {
    if (stopped) {  // not acked: redelivered after ack_wait
      for (natsMsg* m : msgs) natsMsg_Destroy(m);
      batch_done();
      return;
    }
    acks->owner = weak_from_this();
    LineBatch b;
    b.input = opt.input;
    b.stream = stream_id;
    b.received_at = Clock::now();
    for (natsMsg* m : msgs) {
      std::string_view data(natsMsg_GetData(m), std::size_t(natsMsg_GetDataLength(m)));
      while (!data.empty() && (data.back() == '\n' || data.back() == '\r')) data.remove_suffix(1);
      if (data.size() > opt.max_line_bytes) {
        oversize(s, m, data.size());
        continue;
      }
      b.add(data);
      stats.bytes += data.size();
      ++stats.lines;
      acks->held.push_back({m, s});
    }
    if (b.lines.empty()) {  // every message was over max_line_bytes
      batch_done();
      return;
    }
    b.seq = seq++;
    b.acks = acks;
    consumer.consume(std::move(b), [self = shared_from_this()] { self->batch_done(); });
  }

  void batch_done() {
    {
      std::lock_guard lock(mu);
      --inflight;
    }
    cv.notify_all();
  }

  /// Loop: a message over max_line_bytes is terminated and dead-lettered like
  /// one the decoder refused, and counted as oversize.
  void oversize(const std::shared_ptr<Session>& s, natsMsg* m, std::size_t bytes) {
    ++stats.oversize;
    dead_letter(s, m,
                "too_large: " + std::to_string(bytes) + " bytes, over max_line_bytes (" +
                    std::to_string(opt.max_line_bytes) + ")");
    acknowledge(s, m, "+TERM");
    ++terminated;
    natsMsg_Destroy(m);
  }

  /// Loop: refused messages go to the dead-letter subject with the reason (the
  /// publish queued to the acks thread, before the message's +TERM).
  void dead_letter(const std::shared_ptr<Session>& s, natsMsg* m, std::string_view reason) {
    std::uint64_t quiet = 0;
    if (dead_log.allow(&quiet))
      spdlog::warn(
          "input {}: a message the decoder refused ({}) is terminated{} ({} similar "
          "suppressed)",
          opt.name, reason,
          opt.dead_letter_subject.empty() ? "" : " and published to " + opt.dead_letter_subject,
          quiet);
    if (opt.dead_letter_subject.empty()) return;
    const char* subject = natsMsg_GetSubject(m);
    acker->run([s, to = opt.dead_letter_subject,
                data = std::string(natsMsg_GetData(m), std::size_t(natsMsg_GetDataLength(m))),
                reason = std::string(reason), subject = std::string(subject ? subject : "")] {
      natsMsg* dl = nullptr;
      if (natsMsg_Create(&dl, to.c_str(), nullptr, data.data(), int(data.size())) != NATS_OK)
        return;
      natsMsgHeader_Set(dl, "Newshound-Refused", reason.c_str());
      natsMsgHeader_Set(dl, "Newshound-Subject", subject.c_str());
      natsConnection_PublishMsg(s->conn->conn(), dl);
      natsMsg_Destroy(dl);
    });
  }

  /// Loop: `in progress` for every held message, every ack_wait / 3.
  void arm_progress() {
    progress_timer->expires_after(std::max(opt.ack_wait / 3, std::chrono::milliseconds(100)));
    progress_timer->async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
      auto self = w.lock();
      if (ec || !self || self->stopped) return;
      self->acks->in_progress(*self);
      self->arm_progress();
    });
  }
};

JetStreamInput::JetStreamInput(asio::io_context& io, JetStreamInputOptions opts,
                               LineConsumer& consumer)
    : core_(std::make_shared<Core>(io, std::move(opts), consumer)) {}

/// Waits for neither thread: a fetch thread connecting to a hung server (or
/// the acks thread in a write to one) would hold the loop for nats.c's
/// timeouts. Both are retired: nothing of theirs reaches the loop from now on,
/// they end once their work is done (the fetch thread at its next check of
/// `stopping`, the acks thread when its queue is sent), and
/// nats::close_library() joins them at exit.
JetStreamInput::~JetStreamInput() {
  stop();
  Core& c = *core_;
  c.progress_timer.reset();  // cancelled by stop(); the Core may die off the loop
  if (c.fetcher) c.fetcher->retire();
  c.acker->retire();
}

std::string JetStreamInput::bind() {
  if (core_->opt.stream.empty()) return "input " + core_->opt.name + ": 'stream' is empty";
  return {};
}

void JetStreamInput::start() {
  Core& c = *core_;
  if (c.fetcher || c.stopped) return;
  c.fetcher = nats::Worker::start(c.io.get_executor(), "input " + c.opt.name + " fetch");
  // The job holds the Core, the Core the worker: let go when run() returns.
  c.fetcher->run([core = core_] { core->run(); });
  c.arm_progress();
}

void JetStreamInput::stop() {
  Core& c = *core_;
  if (c.stopped) return;
  c.stopped = true;
  if (c.progress_timer) c.progress_timer->cancel();
  std::shared_ptr<Session> s;
  {
    std::lock_guard lock(c.mu);
    c.stopping = true;
    s = c.current;
  }
  c.cv.notify_all();
  // The session's pull requests must end with the input: one still waiting
  // would take messages (redeliveries too) nobody processes, each a delivery
  // toward max_deliver (issue 16: articles given up across reloads). A waiting
  // request lives until it expires, and nats-server 2.9 keeps a no_wait one
  // made while the consumer is at max_ack_pending with no expiry at all; the
  // connection stays open while batches of the session are in flight. Without
  // the inbox's subscription the server drops them, and the fetch thread's
  // wait for the next message ends at once (the reload does not wait on it).
  // On the acks thread (the UNSUB is a write to a server that may hang), after
  // the acks queued before it.
  if (s && s->sub != nullptr) c.acker->run([s] { natsSubscription_Unsubscribe(s->sub); });
  s.reset();  // outside mu: the last owner's deleter locks it
  c.consumer.end_stream(c.stream_id);
}

void JetStreamInput::set_index(std::uint32_t input) {
  core_->opt.input = input;
}

std::uint64_t JetStreamInput::bytes_in() const {
  return core_->stats.bytes;
}

void JetStreamInput::report_metrics(MetricsExposition& out, std::string_view name) const {
  report_input_metrics(out, name, core_->stats);
  report_jetstream_messages(out, name, core_->stats.acks, core_->naks, core_->terminated,
                            core_->ack_failures->count);
}

std::string JetStreamInput::not_ready() const {
  std::lock_guard lock(core_->mu);
  if (core_->down.empty()) return {};
  return "input " + core_->opt.name + ": " + core_->down;
}

}  // namespace newshound

// Tests (end-to-end): a real `nats-server -js` for the JetStream tests, on a free
// 127.0.0.1 port with a temporary store (started and stopped by its PID only,
// restartable on the same port and store), and a small nats.c client for the
// test's side: create a stream, publish articles, read a stream back.
#pragma once

#include <nats/nats.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "e2e/harness.hpp"

namespace e2e::natstest {

/// The nats-server binary (Debian installs it in /usr/sbin), or "" when missing.
inline std::string server_binary() {
  for (const char* p :
       {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"})
    if (fs::exists(p)) return p;
  return {};
}

/// True when nats-server is installed; else warns "SKIPPED" (scripts/deps.sh installs it).
inline bool have_server() {
  if (!server_binary().empty()) return true;
  WARN("SKIPPED: nats-server is not installed (scripts/deps.sh installs it)");
  return false;
}

/// `nats-server -js -sd <store> -a 127.0.0.1 -p <free port>` plus `extra` args.
class Server {
 public:
  explicit Server(std::vector<std::string> extra = {}) : extra_(std::move(extra)) {
    port_ = free_port();
    start();
  }
  ~Server() { stop(); }

  std::uint16_t port() const { return port_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  const fs::path& log() const { return log_; }

  /// Starts it (again: same port, same store) and waits until it accepts.
  bool start() {
    std::vector<std::string> argv = {
        server_binary(),      "-js", "-sd", (dir_ / "store").string(), "-a", "127.0.0.1", "-p",
        std::to_string(port_)};
    argv.insert(argv.end(), extra_.begin(), extra_.end());
    log_ = dir_ / ("server" + std::to_string(++starts_) + ".log");
    proc_ = std::make_unique<Process>(argv, log_, log_);
    for (int i = 0; i < 500; ++i) {
      asio::io_context io;
      tcp::socket s(io);
      boost::system::error_code ec;
      s.connect({asio::ip::address_v4::loopback(), port_}, ec);
      if (!ec && read_file(log_).find("Server is ready") != std::string::npos) return true;
      if (!proc_->running()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  /// SIGSTOP to its PID: it keeps its port and connections but answers nothing
  /// (a hung server: publishes are written, their acks never come).
  void pause() {
    if (proc_) proc_->signal(SIGSTOP);
  }
  /// SIGCONT: the paused server carries on with what was sent meanwhile.
  void resume() {
    if (proc_) proc_->signal(SIGCONT);
  }
  /// SIGTERM to its PID, then waits (SIGKILL by the Process if it hangs).
  void stop() {
    if (!proc_) return;
    proc_->signal(SIGCONT);  // a paused server would not act on SIGTERM until resumed
    proc_->signal(SIGTERM);
    proc_->wait(std::chrono::seconds(10));
    proc_.reset();
  }

 private:
  TempDir dir_;
  std::vector<std::string> extra_;
  std::uint16_t port_ = 0;
  int starts_ = 0;
  fs::path log_;
  std::unique_ptr<Process> proc_;
};

/// A nats.c connection with a JetStream context for the test's own side.
class Client {
 public:
  explicit Client(const std::string& url) {
    if (natsConnection_ConnectTo(&nc_, url.c_str()) != NATS_OK) return;
    natsConnection_JetStream(&js_, nc_, nullptr);
  }
  /// Connects with `opts` (credentials, TLS: the caller's), which it destroys.
  explicit Client(natsOptions* opts) {
    const natsStatus s = natsConnection_Connect(&nc_, opts);
    natsOptions_Destroy(opts);
    if (s == NATS_OK) natsConnection_JetStream(&js_, nc_, nullptr);
  }
  ~Client() {
    if (js_ != nullptr) jsCtx_Destroy(js_);
    if (nc_ != nullptr) natsConnection_Destroy(nc_);
  }
  bool ok() const { return js_ != nullptr; }
  jsCtx* js() const { return js_; }
  natsConnection* nc() const { return nc_; }

  /// A file-stored stream `name` capturing `subject`, with a duplicate window.
  bool add_stream(const std::string& name, const std::string& subject,
                  std::chrono::seconds duplicates = std::chrono::seconds(120)) {
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = name.c_str();
    const char* subjects[] = {subject.c_str()};
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    cfg.Duplicates = std::chrono::nanoseconds(duplicates).count();
    jsStreamInfo* si = nullptr;
    const natsStatus s = js_AddStream(&si, js_, &cfg, nullptr, nullptr);
    jsStreamInfo_Destroy(si);
    return s == NATS_OK;
  }
  /// Publishes `data` and waits for its ack; `msg_id` as Nats-Msg-Id when given.
  bool publish(const std::string& subject, const std::string& data,
               const std::string& msg_id = "") {
    jsPubOptions po;
    jsPubOptions_Init(&po);
    if (!msg_id.empty()) po.MsgId = msg_id.c_str();
    jsPubAck* pa = nullptr;
    const natsStatus s =
        js_Publish(&pa, js_, subject.c_str(), data.data(), int(data.size()), &po, nullptr);
    jsPubAck_Destroy(pa);
    return s == NATS_OK;
  }
  /// Publishes every one of `data` asynchronously and waits for all the acks.
  bool publish_all(const std::string& subject, const std::vector<std::string>& data) {
    for (const auto& d : data)
      if (js_PublishAsync(js_, subject.c_str(), d.data(), int(d.size()), nullptr) != NATS_OK)
        return false;
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 60000;
    return js_PublishAsyncComplete(js_, &po) == NATS_OK;
  }
  /// Messages in stream `name` (0 when it does not exist).
  std::uint64_t count(const std::string& name) {
    jsStreamInfo* si = nullptr;
    if (js_GetStreamInfo(&si, js_, name.c_str(), nullptr, nullptr) != NATS_OK) return 0;
    const std::uint64_t n = si->State.Msgs;
    jsStreamInfo_Destroy(si);
    return n;
  }
  /// Consumer `durable` of `stream`: {messages not yet delivered, delivered and
  /// not acknowledged}; {-1, -1} when it does not exist.
  std::pair<std::int64_t, std::int64_t> consumer_backlog(const std::string& stream,
                                                         const std::string& durable) {
    jsConsumerInfo* ci = nullptr;
    if (js_GetConsumerInfo(&ci, js_, stream.c_str(), durable.c_str(), nullptr, nullptr) != NATS_OK)
      return {-1, -1};
    const std::pair<std::int64_t, std::int64_t> r{std::int64_t(ci->NumPending),
                                                  std::int64_t(ci->NumAckPending)};
    jsConsumerInfo_Destroy(ci);
    return r;
  }
  struct Message {
    std::string subject, data, msg_id;
  };
  /// Every message of stream `name` captured by `subject`, in stream order.
  std::vector<Message> read_all(const std::string& name, const std::string& subject) {
    std::vector<Message> out;
    const std::uint64_t n = count(name);
    if (n == 0) return out;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = name.c_str();
    so.Ordered = true;
    natsSubscription* sub = nullptr;
    if (js_SubscribeSync(&sub, js_, subject.c_str(), nullptr, &so, nullptr) != NATS_OK) return out;
    for (std::uint64_t i = 0; i < n; ++i) {
      natsMsg* m = nullptr;
      if (natsSubscription_NextMsg(&m, sub, 5000) != NATS_OK) break;
      const char* id = nullptr;
      natsMsgHeader_Get(m, "Nats-Msg-Id", &id);
      out.push_back({natsMsg_GetSubject(m),
                     std::string(natsMsg_GetData(m), std::size_t(natsMsg_GetDataLength(m))),
                     id != nullptr ? id : ""});
      natsMsg_Destroy(m);
    }
    natsSubscription_Destroy(sub);
    return out;
  }

 private:
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace e2e::natstest

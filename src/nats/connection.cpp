// Stage: nats. Connection: builds nats.c's options from ConnectOptions (servers,
// credentials read from their files, TLS), connects once (no nats.c reconnects:
// the owner's backoff retries), opens the JetStream context, and routes nats.c's
// callbacks (its own threads) to the registered Listener through a registry of
// ids, so a callback that races a destruction finds nothing instead of freed memory.
#include "newshound/nats/connection.hpp"

#include "newshound/nats/worker.hpp"

#include <nats/nats.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace newshound::nats {

namespace {

/// Listeners by id: nats.c gets the id as its closure, never a pointer.
struct Registry {
  std::mutex mu;
  std::unordered_map<std::uintptr_t, std::weak_ptr<Listener>> by_id;
  std::uintptr_t next = 1;

  std::uintptr_t add(std::shared_ptr<Listener> l) {
    std::lock_guard lock(mu);
    by_id.emplace(next, std::move(l));
    return next++;
  }
  void remove(std::uintptr_t id) {
    std::lock_guard lock(mu);
    by_id.erase(id);
  }
  std::shared_ptr<Listener> find(void* closure) {
    std::lock_guard lock(mu);
    auto it = by_id.find(reinterpret_cast<std::uintptr_t>(closure));
    return it == by_id.end() ? nullptr : it->second.lock();
  }
};

/// How long close_library() waits for nats.c's threads to let go.
constexpr std::int64_t kCloseWaitMs = 5000;
/// How long close_library() waits for the Workers' threads: the longest job is
/// a jetstream input's session set-up against a server that hangs midway: the
/// connect (3 s timeout) and two JetStream API requests (nats.c's 5 s each).
constexpr std::int64_t kWorkerWaitMs = 15000;

/// Whether nats.c was used (a Connection opened): close_library() has work.
std::atomic<bool> library_used{false};

/// Never destroyed: nats.c's threads may call back while the process exits
/// (after main returned, a closed callback still runs on its thread), so the
/// registry must outlive every static destructor.
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

void on_closed_cb(natsConnection* nc, void* closure) {
  auto l = registry().find(closure);
  if (!l) return;
  const char* last = nullptr;
  natsConnection_GetLastError(nc, &last);
  l->on_closed(last != nullptr && *last != '\0' ? std::string("connection closed: ") + last
                                                : std::string("connection closed"));
}

void on_pub_ack_cb(jsCtx*, natsMsg* msg, jsPubAck* pa, jsPubAckErr* pae, void* closure) {
  if (auto l = registry().find(closure)) {
    const char* id = nullptr;
    natsMsgHeader_Get(msg, "Nats-Msg-Id", &id);
    std::string error;
    if (pa == nullptr) {
      error = pae != nullptr && pae->ErrText != nullptr ? pae->ErrText
              : pae != nullptr                          ? natsStatus_GetText(pae->Err)
                                                        : "no publish ack";
    }
    l->on_pub_ack(id != nullptr ? id : "", std::move(error));
  }
  natsMsg_Destroy(msg);
}

/// The first line of `path` without its line end; "" with `error` set when unreadable.
std::string read_secret(const std::filesystem::path& path, const char* key, std::string& error) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    error = std::string("cannot read ") + key + " " + path.string();
    return {};
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) error = std::string(key) + " " + path.string() + " is empty";
  return line;
}

/// Applies credentials and TLS; "" or why not.
std::string configure(natsOptions* o, const ConnectOptions& c) {
  natsStatus s = natsOptions_SetURL(o, c.url.c_str());
  if (s == NATS_OK) s = natsOptions_SetAllowReconnect(o, false);
  if (s == NATS_OK) s = natsOptions_SetTimeout(o, 3000);
  // Without a write deadline nats.c's socket blocks: a server that stops reading
  // (hung, SIGSTOPped) with the socket buffers full would hold a publish or an
  // ack (made on the owner's Worker thread, or nats.c's flusher, holding the
  // connection's lock the next publish waits for) until it reads again, and
  // with it everything queued behind it: the owner's reconnect. With one, a
  // write that cannot finish within it fails: nats.c 3.4.1 shuts the socket
  // (natsSock_WriteFully on NATS_TIMEOUT), its read loop closes the connection
  // (no reconnect: ours) and the closed callback reports it, which the owners
  // handle as a lost connection (backoff, reconnect, resend).
  if (s == NATS_OK) s = natsOptions_SetWriteDeadline(o, kWriteDeadlineMs);
  if (s == NATS_OK) s = natsOptions_SetName(o, "newshound");
  if (s != NATS_OK) return "invalid url '" + c.url + "': " + natsStatus_GetText(s);
  std::string error;
  if (!c.creds_file.empty()) {
    if (!std::ifstream(c.creds_file)) return "cannot read creds_file " + c.creds_file.string();
    s = natsOptions_SetUserCredentialsFromFiles(o, c.creds_file.c_str(), nullptr);
  }
  if (!c.token_file.empty()) {
    const std::string token = read_secret(c.token_file, "token_file", error);
    if (!error.empty()) return error;
    s = natsOptions_SetToken(o, token.c_str());
  }
  if (!c.user.empty()) {
    std::string password;
    if (!c.password_file.empty()) password = read_secret(c.password_file, "password_file", error);
    if (!error.empty()) return error;
    s = natsOptions_SetUserInfo(o, c.user.c_str(), password.c_str());
  }
  if (s != NATS_OK) return std::string("credentials: ") + natsStatus_GetText(s);
  if (!c.tls.enabled) return {};
  s = natsOptions_SetSecure(o, true);
  if (s == NATS_OK && !c.tls.ca_file.empty())
    s = natsOptions_LoadCATrustedCertificates(o, c.tls.ca_file.c_str());
  if (s == NATS_OK && !c.tls.crt_file.empty())
    s = natsOptions_LoadCertificatesChain(o, c.tls.crt_file.c_str(), c.tls.key_file.c_str());
  if (s == NATS_OK && !c.tls.verify_certificate) s = natsOptions_SkipServerVerification(o, true);
  if (s == NATS_OK && !c.tls.server_name.empty())
    s = natsOptions_SetExpectedHostname(o, c.tls.server_name.c_str());
  if (s != NATS_OK) return std::string("TLS: ") + status_text(s);
  return {};
}

/// What the connection presented, for a refusal: the option and its file.
std::string credentials_text(const ConnectOptions& c) {
  if (!c.creds_file.empty()) return "creds_file " + c.creds_file.string();
  if (!c.token_file.empty()) return "the token in token_file " + c.token_file.string();
  if (!c.user.empty())
    return "user '" + c.user + "' with the password in password_file " + c.password_file.string();
  return "no credentials (set creds_file, token_file, or user and password_file)";
}

/// `why` (nats.c's words for a failed connect) with the options to look at.
std::string connect_failure(const ConnectOptions& c, natsStatus s, std::string why) {
  const auto has = [&](const char* w) { return why.find(w) != std::string::npos; };
  if (s == NATS_CONNECTION_AUTH_FAILED || s == NATS_NOT_PERMITTED || has("uthoriz") ||
      has("uthentic"))
    return why + "; the server refused " + credentials_text(c) +
           (c.creds_file.empty() ? ""
                                 : " (the user's account must be one the server trusts, and the "
                                   "seed must be that JWT's user's)");
  if (!c.creds_file.empty() && (has("JWT") || has("seed") || has("nkey")))
    return why + "; check creds_file " + c.creds_file.string() +
           " (a user JWT and its NKey seed, as nsc writes them)";
  if (s == NATS_SSL_ERROR || has("SSL") || has("TLS") || has("ertificate") || has("andshake")) {
    if (!c.tls.enabled)
      return why + "; the server wants TLS: add a tls table (tls = { ca_file = \"...\" })";
    return why + "; check tls: the server's certificate must chain to ca_file" +
           (c.tls.ca_file.empty() ? std::string(" (none: the system's CAs)")
                                  : " " + c.tls.ca_file.string()) +
           " and name server_name (or the url's host), and a server that verifies clients "
           "needs crt_file and key_file";
  }
  return why;
}

}  // namespace

std::string status_text(int status) {
  natsStatus s = NATS_OK;
  const char* last = nats_GetLastError(&s);
  if (last != nullptr && *last != '\0') {
    // nats.c puts where in its sources it failed first, "(conn.c:1905): ...":
    // not the user's business.
    std::string_view text(last);
    if (const auto end = text.find("): "); text.starts_with('(') && end != std::string_view::npos)
      text.remove_prefix(end + 3);
    return std::string(text);
  }
  return natsStatus_GetText(static_cast<natsStatus>(status));
}

std::unique_ptr<Connection> Connection::open(const ConnectOptions& opts,
                                             std::shared_ptr<Listener> listener,
                                             bool publish_async_acks, std::string& error) {
  library_used = true;
  std::unique_ptr<Connection> c(new Connection());
  c->where_ = opts.url;
  c->listener_ = std::move(listener);
  c->listener_id_ = registry().add(c->listener_);
  void* closure = reinterpret_cast<void*>(c->listener_id_);
  natsOptions* o = nullptr;
  if (natsOptions_Create(&o) != NATS_OK) {
    error = "cannot create NATS options";
    return nullptr;
  }
  error = configure(o, opts);
  if (error.empty() && natsOptions_SetClosedCB(o, on_closed_cb, closure) != NATS_OK)
    error = "cannot set the NATS closed callback";
  natsStatus s = NATS_OK;
  if (error.empty()) {
    s = natsConnection_Connect(&c->nc_, o);
    if (s != NATS_OK)
      error = "cannot connect to " + opts.url + ": " + connect_failure(opts, s, status_text(s));
  }
  natsOptions_Destroy(o);
  if (!error.empty()) return nullptr;
  jsOptions jo;
  jsOptions_Init(&jo);
  if (publish_async_acks) {
    jo.PublishAsync.AckHandler = on_pub_ack_cb;
    jo.PublishAsync.AckHandlerClosure = closure;
    // The sink's own window (max_pending, at most 1 << 20) bounds it, so
    // js_PublishMsgAsync never waits on the loop for room (nats.c's stall wait).
    // nats.c's reconnect buffer (ReconnectBufSize) is never used: no reconnects.
    jo.PublishAsync.MaxPending = 1 << 20;
  }
  s = natsConnection_JetStream(&c->js_, c->nc_, &jo);
  if (s != NATS_OK) {
    error = "cannot open JetStream on " + opts.url + ": " + status_text(s);
    return nullptr;
  }
  return c;
}

Connection::~Connection() {
  registry().remove(listener_id_);
  // Closed before the JetStream context is destroyed: the context's teardown
  // unsubscribes its publish-ack inbox, and an UNSUB still in nats.c's buffer
  // makes the close flush it and wait up to 0.5 s for the server's PONG (the
  // whole 0.5 s when the server hangs). On a closed connection it sends nothing.
  if (nc_ != nullptr) natsConnection_Close(nc_);
  if (js_ != nullptr) jsCtx_Destroy(js_);
  if (nc_ != nullptr) natsConnection_Destroy(nc_);
}

void prepare_library() {
  nats_Close();
}

bool close_library(std::string& error) {
  // First the workers' threads: a retired one may still be closing a
  // connection, or connecting to a hung server (nats.c's timeout bounds it).
  if (!join_workers(kWorkerWaitMs)) {
    error = "a NATS worker thread did not end within " + std::to_string(kWorkerWaitMs) +
            " ms (a connect or a write to a hung server)";
    library_used = false;
    return false;
  }
  if (!library_used.exchange(false)) return true;
  const natsStatus s = nats_CloseAndWait(kCloseWaitMs);
  if (s == NATS_OK) return true;
  error = std::string("nats.c did not release its connections within ") +
          std::to_string(kCloseWaitMs) + " ms: " + natsStatus_GetText(s);
  return false;
}

}  // namespace newshound::nats

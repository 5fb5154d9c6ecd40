// Tests (end-to-end): HTTP push (`[[input]] type = "http"`) against the real
// daemon over raw sockets: NDJSON, JSON array, JSON object and NewsML-G2 bodies
// alert and are answered 200 with their counts and refused records; keep-alive;
// 404, 405, 415, 401 (no or wrong token), 413 before the body is read; a stalled
// output gives 503 with Retry-After, then 200 once it drains; hostile clients
// (garbage, slow headers, an endless chunked body, a huge chunk size) leave the
// daemon alive, answering, with bounded memory. Only 127.0.0.1 is used.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <optional>
#include <set>

#include "e2e/harness.hpp"
#include "e2e/hostile_util.hpp"
#include "e2e/stalled_receiver.hpp"

namespace {
using e2e::article;
using e2e::src;
namespace h = e2e::hostile;
namespace asio = e2e::asio;
using e2e::tcp;

constexpr std::string_view kToken = "0123456789abcdef0123456789abcdef";

struct Reply {
  int status = 0;
  std::string head, body;
  bool has_header(const std::string& line) const { return head.find(line) != std::string::npos; }
};

/// One HTTP/1.1 client connection to 127.0.0.1:port; request() keeps it open.
class Client {
 public:
  explicit Client(std::uint16_t port) : sock_(io_) { connected_ = e2e::connect(sock_, port); }
  bool connected() const { return connected_; }
  tcp::socket& socket() { return sock_; }
  /// Sends raw bytes.
  bool send(std::string_view bytes) {
    boost::system::error_code ec;
    asio::write(sock_, asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }
  /// Reads one response (header, then Content-Length bytes); status 0 on failure.
  Reply read_reply() {
    Reply r;
    boost::system::error_code ec;
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(ec)) return r;
    }
    r.head = buf_.substr(0, end + 2);
    buf_.erase(0, end + 4);
    std::size_t length = 0;
    if (auto at = lower(r.head).find("content-length:"); at != std::string::npos)
      length = std::stoul(r.head.substr(at + 15));
    while (buf_.size() < length)
      if (!fill(ec)) return r;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    r.status = std::atoi(r.head.c_str() + 9);
    return r;
  }
  Reply post(const std::string& body, const std::string& type = "application/x-ndjson",
             const std::string& headers = "", const std::string& path = "/v1/articles") {
    if (!send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type +
              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + headers + "\r\n" +
              body))
      return {};
    return read_reply();
  }
  /// True once the server closed the connection (reads until EOF, bounded).
  bool closed_by_peer() {
    boost::system::error_code ec;
    while (fill(ec)) {
    }
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  bool fill(boost::system::error_code& ec) {
    char tmp[8192];
    const std::size_t n = sock_.read_some(asio::buffer(tmp), ec);
    buf_.append(tmp, n);
    return !ec;
  }
  asio::io_context io_;
  tcp::socket sock_;
  std::string buf_;
  bool connected_ = false;
};

std::string bearer(std::string_view token = kToken) {
  return "Authorization: Bearer " + std::string(token) + "\r\n";
}

/// A daemon with one http input ("push"), its admin endpoint and a tcp output
/// to `output_port`; `input_extra` goes into the [[input]], `output_extra` into
/// the [[output]].
class PushDaemon {
 public:
  PushDaemon(std::uint16_t output_port, const std::string& input_extra,
             const std::string& output_extra = "")
      : port_(e2e::free_port()), admin_(e2e::free_port()) {
    e2e::write_file(dir_ / "push.token", std::string(kToken) + "\n");
    ::chmod((dir_ / "push.token").c_str(), 0600);
    config_ = (dir_ / "push.toml").string();
    e2e::write_file(
        config_, "[[input]]\ntype = \"http\"\nname = \"push\"\nlisten = \"127.0.0.1:" +
                     std::to_string(port_) + "\"\ntoken_file = \"" +
                     (dir_ / "push.token").string() + "\"\n" + input_extra +
                     "\n[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin_) +
                     "\"\n[[output]]\nstories = \"all\"\ntype = \"tcp\"\nconnect = \"127.0.0.1:" +
                     std::to_string(output_port) +
                     "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n" + output_extra +
                     "\n[[watchlist]]\npath = \"" + e2e::people + "\"\n");
    proc_.emplace(std::vector<std::string>{e2e::bin, "run", "--config", config_}, dir_ / "out",
                  dir_ / "err");
    for (int i = 0; i < 500 && pid_ == 0; ++i) {
      pid_ = h::child_pid_with(config_);
      if (pid_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (int i = 0; i < 1000 && metric("newshound_uptime_seconds") < 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() { return proc_->running(); }
  std::string log() { return e2e::read_file(dir_ / "err"); }
  double metric(const std::string& key) {
    const auto m = h::parse_metrics(e2e::http(admin_, "GET", "/metrics").body);
    const auto it = m.find(key);
    return it == m.end() ? -1.0 : it->second;
  }
  double requests(const std::string& status) {
    return metric("newshound_http_requests_total{input=\"push\",status=\"" + status + "\"}");
  }
  int stop() {
    proc_->signal(SIGTERM);
    return proc_->wait();
  }

 private:
  e2e::TempDir dir_;
  std::uint16_t port_, admin_;
  std::string config_;
  std::optional<e2e::Process> proc_;
  pid_t pid_ = 0;
};

boost::json::value json(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value() : v;
}

std::string lavrov(const std::string& id) {
  return article(id, "Sergei Lavrov met the envoy in Geneva.");
}

}  // namespace

TEST_CASE("http push: NDJSON, array, object and NewsML bodies alert and are answered with counts") {
  e2e::LineCollector alerts;
  PushDaemon d(alerts.port(), "");
  Client c(d.port());
  REQUIRE(c.connected());

  // NDJSON: three articles (one without a match), a blank line, a broken line.
  const std::string ndjson = lavrov("nd-1") + "\n" + "{not json\n" + lavrov("nd-2") +
                             article("nd-3", "Nothing of note happened today.");
  Reply r = c.post(ndjson, "application/x-ndjson", bearer());
  INFO(d.log());
  REQUIRE(r.status == 200);
  CHECK(json(r.body) == json(R"({"accepted":3,"rejected":[{"line":3,"reason":"not_json"}]})"));
  CHECK(r.has_header("application/json"));

  // A JSON array on the same connection (keep-alive): an element that is no object.
  std::string a1 = lavrov("arr-1"), a2 = lavrov("arr-2");
  a1.pop_back();
  a2.pop_back();
  r = c.post("[" + a1 + ", 42, " + a2 + "]", "application/json; charset=utf-8", bearer());
  REQUIRE(r.status == 200);
  CHECK(json(r.body) == json(R"({"accepted":2,"rejected":[{"line":2,"reason":"not_object"}]})"));

  // One object.
  r = c.post(lavrov("obj-1"), "application/json", bearer());
  REQUIRE(r.status == 200);
  CHECK(json(r.body) == json(R"({"accepted":1,"rejected":[]})"));

  // A NewsML-G2 message with two items, one of them with no text.
  const std::string newsml =
      "<?xml version='1.0' encoding='UTF-8'?>\n"
      "<newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'><itemSet>"
      "<newsItem guid='urn:test:g2-1' version='1'><contentMeta><headline>Sergei Lavrov in "
      "Geneva</headline></contentMeta></newsItem>"
      "<newsItem guid='urn:test:g2-2' version='1'><contentMeta/></newsItem>"
      "</itemSet></newsMessage>";
  r = c.post(newsml, "application/vnd.iptc.g2.newsitem+xml", bearer());
  REQUIRE(r.status == 200);
  CHECK(json(r.body) == json(R"({"accepted":1,"rejected":[{"line":2,"reason":"no_text"}]})"));

  // Every matching article alerted, once.
  const auto lines = alerts.wait_for(6);
  std::set<std::string> ids;
  for (const auto& l : lines) ids.insert(h::article_of(l));
  CHECK(lines.size() == 6);
  CHECK(ids == std::set<std::string>{"nd-1", "nd-2", "arr-1", "arr-2", "obj-1", "urn:test:g2-1"});
  CHECK(d.requests("200") == 4);
  CHECK(d.metric("newshound_http_articles_total{input=\"push\",result=\"accepted\"}") == 7);
  CHECK(d.metric("newshound_http_articles_total{input=\"push\",result=\"rejected\"}") == 3);
  CHECK(d.metric("newshound_input_bytes_total{input=\"push\"}") > 0);
  CHECK(d.metric("newshound_input_active_connections{input=\"push\"}") == 1);
  CHECK(d.stop() == 0);
}

TEST_CASE("http push: wrong path, method, type or token, and oversize bodies are refused") {
  e2e::LineCollector alerts;
  PushDaemon d(alerts.port(), "max_body_bytes = 65536");
  {
    Client c(d.port());
    const Reply r = c.post(lavrov("x"));  // no token
    CHECK(r.status == 401);
    CHECK(r.has_header("WWW-Authenticate: Bearer realm=\"newshound\""));
    CHECK(c.closed_by_peer());
  }
  {
    Client c(d.port());
    const Reply r = c.post(lavrov("x"), "application/x-ndjson", bearer("wrong-token-wrong-token"));
    CHECK(r.status == 401);
    CHECK(r.has_header("error=\"invalid_token\""));
  }
  CHECK(Client(d.port()).post(lavrov("x"), "application/x-ndjson", bearer(), "/v2/x").status ==
        404);
  CHECK(Client(d.port()).post(lavrov("x"), "text/plain", bearer()).status == 415);
  {
    Client c(d.port());
    REQUIRE(c.send("GET /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n" + bearer() + "\r\n"));
    const Reply r = c.read_reply();
    CHECK(r.status == 405);
    CHECK(r.has_header("Allow: POST"));
  }
  {
    // 413 from the header alone: the 10 MB body is never sent.
    Client c(d.port());
    REQUIRE(
        c.send("POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
               "application/x-ndjson\r\nContent-Length: 10000000\r\n" +
               bearer() + "\r\n"));
    CHECK(c.read_reply().status == 413);
  }
  CHECK(d.requests("401") == 2);
  CHECK(d.requests("413") == 1);
  // A good push still works.
  const Reply ok = Client(d.port()).post(lavrov("after"), "application/x-ndjson", bearer());
  CHECK(ok.status == 200);
  CHECK(d.stop() == 0);
}

TEST_CASE("http push: hostile clients leave the daemon alive, answering, with bounded memory") {
  e2e::LineCollector alerts;
  PushDaemon d(alerts.port(), "max_body_bytes = 65536\nidle_timeout_ms = 1000");
  REQUIRE(d.pid() != 0);
  const auto baseline = h::memory_of(d.pid()).rss_kib;

  // Garbage instead of HTTP (a TLS ClientHello, binary): 400, closed.
  {
    Client c(d.port());
    REQUIRE(c.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 16)));
    CHECK(c.read_reply().status == 400);
  }
  // An endless chunked body: 413 once past max_body_bytes; the client is cut off.
  {
    Client c(d.port());
    REQUIRE(
        c.send("POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
               "application/x-ndjson\r\nTransfer-Encoding: chunked\r\n" +
               bearer() + "\r\n"));
    const std::string chunk = "2000\r\n" + std::string(0x2000, 'x') + "\r\n";
    std::size_t sent = 0;
    while (sent < (64u << 20) && c.socket().available() == 0 && c.send(chunk)) sent += chunk.size();
    CHECK(sent < (8u << 20));  // the daemon stopped taking it long before
    CHECK(c.read_reply().status == 413);
  }
  // A chunk size no body could have.
  {
    Client c(d.port());
    REQUIRE(
        c.send("POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
               "application/x-ndjson\r\nTransfer-Encoding: chunked\r\n" +
               bearer() + "\r\nFFFFFFFFFFFFFFFFFFFF\r\nxx"));
    const int status = c.read_reply().status;
    CHECK((status == 400 || status == 413));
  }
  // Slow headers (slowloris): each closed after idle_timeout_ms.
  {
    std::vector<std::unique_ptr<Client>> slow;
    for (int i = 0; i < 20; ++i) {
      slow.push_back(std::make_unique<Client>(d.port()));
      slow.back()->send("POST /v1/articles HTTP/1.1\r\nHost: 1");
    }
    for (int t = 0; t < 30; ++t) {
      for (auto& s : slow) s->send("2");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& s : slow) CHECK(s->closed_by_peer());
  }
  CHECK(d.metric("newshound_input_idle_timeouts_total{input=\"push\"}") >= 20);
  CHECK(d.running());
  const Reply ok = Client(d.port()).post(lavrov("after-hostile"), "application/x-ndjson", bearer());
  CHECK(ok.status == 200);
  CHECK(alerts.wait_for(1).size() == 1);
  const auto rss = h::memory_of(d.pid()).rss_kib;
  INFO("RSS at start " << baseline << " KiB, after " << rss << " KiB");
  CHECK(rss < baseline + (h::kAsan ? 256 * 1024 : 32 * 1024));
  CHECK(d.stop() == 0);
}

TEST_CASE("http push: a stalled output gives 503 with Retry-After, then 200 once it drains") {
  e2e::StalledReceiver receiver;
  PushDaemon d(receiver.port(), "accept_timeout_ms = 1000\nmax_inflight_bytes = 65536",
               "queue_bytes = 65536");
  std::string filler;
  for (int i = 0; i < 100; ++i) filler += " word";
  std::optional<Reply> unavailable;
  std::size_t accepted = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  for (int batch = 0; !unavailable && std::chrono::steady_clock::now() < until; ++batch) {
    std::string body;
    for (int i = 0; i < 200; ++i)
      body += article("s" + std::to_string(batch) + "-" + std::to_string(i),
                      "Sergei Lavrov met the envoy." + filler);
    const Reply r = Client(d.port()).post(body, "application/x-ndjson", bearer());
    REQUIRE((r.status == 200 || r.status == 503));
    if (r.status == 503) unavailable = r;
    if (r.status == 200) accepted += 200;
  }
  INFO(d.log());
  REQUIRE(unavailable);
  CHECK(unavailable->has_header("Retry-After: 1"));
  CHECK(d.requests("503") >= 1);

  // The receiver reads again: the outputs drain, and a push is accepted.
  receiver.start_reading();
  Reply r;
  const auto until2 = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (r.status != 200 && std::chrono::steady_clock::now() < until2) {
    r = Client(d.port()).post(lavrov("after-stall"), "application/x-ndjson", bearer());
    if (r.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(r.status == 200);
  CHECK(json(r.body) == json(R"({"accepted":1,"rejected":[]})"));
  // Everything answered 200 was delivered (503-answered ones may arrive too).
  const auto until3 = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (receiver.distinct() < accepted + 1 && std::chrono::steady_clock::now() < until3)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(receiver.distinct() >= accepted + 1);
  CHECK(d.stop() == 0);
}

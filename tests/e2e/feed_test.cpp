// Tests (end-to-end): feed inputs ([[input]] type = "feed") of the real daemon
// against a local HTTP server started by the test: each item alerted once, again
// after a change, not again after a restart or SIGKILL; 304s; redirects (301
// remembered, loops refused), garbage, stalls and oversized bodies counted in
// /metrics without hurting the other feeds; an OPML of 200 feeds on one host
// polled one request at a time.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "e2e/harness.hpp"
#include "e2e/ndjson_file.hpp"
#include "unit/sink/http_test_server.hpp"

namespace {

using sinktest::HttpReply;
using sinktest::HttpTestServer;

std::string rss_item(const std::string& guid, const std::string& title, const std::string& date) {
  return "<item><guid>" + guid + "</guid><title>" + title + "</title><link>http://x/" + guid +
         "</link><pubDate>" + date + "</pubDate><description>Blinken met the press about " + guid +
         ".</description></item>";
}

std::string rss(const std::string& items) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>" + items +
         "</channel></rss>";
}

/// The alerts written so far to the file output at `path`.
std::vector<boost::json::object> alerts(const e2e::fs::path& path) {
  return e2e::ndjson_objects(path);
}

bool wait_feed_alerts(const e2e::fs::path& path, std::size_t n,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (alerts(path).size() < n) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::string config(const e2e::TempDir& dir, const std::string& input,
                   const std::string& admin = e2e::admin_off) {
  e2e::write_file(dir.path / "people.names", "Antony Blinken|Blinken\nSergei Lavrov|Lavrov\n");
  return "state_dir = \"" + (dir.path / "state").string() + "\"\n[[input]]\ntype = \"feed\"\n" +
         input + "[[output]]\nstories = \"all\"\ntype = \"file\"\npath = \"" +
         (dir.path / "alerts").string() + "\"\n[[watchlist]]\npath = \"people.names\"\n" + admin;
}

std::unique_ptr<e2e::Process> start(const e2e::TempDir& dir, const std::string& tag) {
  return std::make_unique<e2e::Process>(
      std::vector<std::string>{e2e::bin, "run", "--config", (dir.path / "n.toml").string()},
      dir.path / ("out" + tag), dir.path / ("err" + tag));
}

}  // namespace

TEST_CASE("feed: each item alerted once, again when it changes, never after a restart") {
  e2e::TempDir dir;
  std::mutex mu;
  std::string doc = rss(rss_item("g1", "One", "Mon, 07 Dec 2026 10:00:00 GMT") +
                        rss_item("g2", "Two", "Mon, 07 Dec 2026 10:05:00 GMT"));
  int version = 1;
  std::atomic<int> not_modified{0};
  HttpTestServer server([&](std::size_t, const sinktest::HttpExchange& ex) {
    std::lock_guard l(mu);
    const std::string etag = "\"v" + std::to_string(version) + "\"";
    auto it = ex.headers.find("if-none-match");
    if (it != ex.headers.end() && it->second == etag) {
      ++not_modified;
      return HttpReply{304, "", {{"ETag", etag}}};
    }
    return HttpReply{200, doc, {{"ETag", etag}, {"Content-Type", "application/rss+xml"}}};
  });
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/rss.xml";
  e2e::write_file(dir.path / "n.toml",
                  config(dir, "url = \"" + url + "\"\ninterval_ms = 50\ntimeout_ms = 2000\n"));
  const auto path = dir.path / "alerts";
  {
    auto d = start(dir, "1");
    REQUIRE(wait_feed_alerts(path, 2));
    server.wait_for(server.requests().size() + 4);
    INFO(e2e::read_file(dir.path / "err1"));
    CHECK(alerts(path).size() == 2);
    CHECK(not_modified > 0);
    const auto ua = server.requests().front().headers["user-agent"];
    CHECK(ua.rfind("newshound/", 0) == 0);
    const auto a = alerts(path);
    CHECK(a[0].at("article").as_string() != a[1].at("article").as_string());
    // A changed item (same guid, new date) is a new version: a new alert id, an
    // update because it names someone more (one naming the same would send
    // nothing: docs/stories.md, Versions and lifecycle).
    {
      std::lock_guard l(mu);
      doc = rss(rss_item("g1", "One, updated: Lavrov too", "Mon, 07 Dec 2026 11:00:00 GMT") +
                rss_item("g2", "Two", "Mon, 07 Dec 2026 10:05:00 GMT"));
      ++version;
    }
    REQUIRE(wait_feed_alerts(path, 3));
    const auto b = alerts(path);
    CHECK(b[2].at("article").as_string() == "g1");
    CHECK(b[2].at("id").as_string() != b[0].at("id").as_string());
    CHECK(b[2].at("event").as_string() == "update");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the seen set is synced
    d->signal(SIGKILL);
    d->wait();
  }
  {
    // After SIGKILL: the same items are not alerted again (not even the first poll,
    // which has no ETag to send).
    auto d = start(dir, "2");
    const std::size_t before = server.requests().size();
    server.wait_for(before + 6);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    INFO(e2e::read_file(dir.path / "err2"));
    CHECK(alerts(path).size() == 3);
    d->signal(SIGTERM);
    CHECK(d->wait() == 0);
  }
}

TEST_CASE("feed: an item's link is reported in its alert, an item without one has none") {
  e2e::TempDir dir;
  const std::string atom =
      "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
      "<entry><id>urn:a1</id><title>Atom</title><updated>2026-12-07T10:00:00Z</updated>"
      "<link rel=\"self\" href=\"http://atom/self\"/>"
      "<link rel=\"alternate\" href=\"http://atom/story?a=1&amp;b=2\"/>"
      "<summary>Blinken spoke.</summary></entry></feed>";
  const std::string doc =
      rss(rss_item("g1", "One", "Mon, 07 Dec 2026 10:00:00 GMT") +
          "<item><guid>g2</guid><title>Two</title><pubDate>Mon, 07 Dec 2026 10:05:00 GMT</pubDate>"
          "<description>Blinken again.</description></item>");
  HttpTestServer server([&](std::size_t, const sinktest::HttpExchange& ex) {
    return HttpReply{200, ex.target == "/atom" ? atom : doc, {}};
  });
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  e2e::write_file(dir.path / "n.toml",
                  config(dir, "urls = [\"" + base + "/rss\", \"" + base +
                                  "/atom\"]\ninterval_ms = 60000\ntimeout_ms = 2000\n"));
  auto d = start(dir, "1");
  const auto path = dir.path / "alerts";
  REQUIRE(wait_feed_alerts(path, 3));
  INFO(e2e::read_file(dir.path / "err1"));
  std::map<std::string, boost::json::object> by_article;
  for (auto& a : alerts(path)) by_article[std::string(a.at("article").as_string())] = a;
  REQUIRE(by_article.size() == 3);
  CHECK(by_article.at("g1").at("link") == "http://x/g1");
  CHECK(by_article.at("urn:a1").at("link") == "http://atom/story?a=1&b=2");
  CHECK_FALSE(by_article.at("g2").contains("link"));  // not the feed's own address
  // The link sits right after versioncreated.
  const std::string line = e2e::read_file(path);
  CHECK(line.find("\"versioncreated\":\"2026-12-07T10:00:00Z\",\"link\":\"http://x/g1\",") !=
        std::string::npos);
  d->signal(SIGTERM);
  d->wait();
}

TEST_CASE("feed: redirects, loops, garbage, stalls and huge bodies are counted, others go on") {
  e2e::TempDir dir;
  const std::string big(20000, 'x');
  HttpTestServer server([&](std::size_t, const sinktest::HttpExchange& ex) {
    const std::string& t = ex.target;
    if (t == "/moved") return HttpReply{301, "", {{"Location", "/feed1"}}};
    if (t == "/loop-a") return HttpReply{302, "", {{"Location", "/loop-b"}}};
    if (t == "/loop-b") return HttpReply{302, "", {{"Location", "/loop-a"}}};
    if (t == "/garbage") return HttpReply{200, "\x01\x02 this is not XML <<<"};
    if (t == "/bomb")
      return HttpReply{200,
                       e2e::read_file(std::string(NEWSHOUND_FIXTURES_DIR) + "/feeds/bomb.xml")};
    if (t == "/stall") return HttpReply{200, "", {}, false, true};
    if (t == "/big") return HttpReply{200, rss("<item><title>" + big + "</title></item>")};
    if (t == "/busy") return HttpReply{503, "", {{"Retry-After", "3600"}}};
    return HttpReply{200, rss(rss_item("f1", "Feed one", "Mon, 07 Dec 2026 10:00:00 GMT"))};
  });
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  const std::uint16_t admin = e2e::free_port();
  std::string urls = "urls = [";
  for (const char* p : {"/moved", "/loop-a", "/garbage", "/bomb", "/stall", "/big", "/busy"})
    urls += "\"" + base + p + "\", ";
  urls += "]\n";
  e2e::write_file(
      dir.path / "n.toml",
      config(dir,
             "name = \"wire\"\n" + urls + "interval_ms = 50\ntimeout_ms = 300\nmax_bytes = 4096\n",
             "[admin]\nlisten = \"127.0.0.1:" + std::to_string(admin) + "\"\n"));
  auto d = start(dir, "1");
  REQUIRE(wait_feed_alerts(dir.path / "alerts", 1));
  // Let every feed fail at least twice (the stall takes timeout_ms each time).
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const std::string m = e2e::http(admin, "GET", "/metrics").body;
  INFO(m);
  INFO(e2e::read_file(dir.path / "err1"));
  for (const char* reason :
       {"redirect_loop", "not_xml", "xml_dtd", "failed", "too_large", "http_error"})
    CHECK(m.find("newshound_feed_refused_total{input=\"wire\",reason=\"" + std::string(reason) +
                 "\"}") != std::string::npos);
  CHECK(m.find("newshound_feed_last_success_timestamp_seconds{input=\"wire\",feed=\"" + base +
               "/moved\"}") != std::string::npos);
  // The 301 is remembered: later polls go straight to /feed1.
  std::size_t moved = 0, feed1 = 0, busy = 0;
  for (const auto& r : server.requests()) {
    moved += r.target == "/moved";
    feed1 += r.target == "/feed1";
    busy += r.target == "/busy";
  }
  CHECK(moved == 1);
  CHECK(feed1 > 2);
  CHECK(busy == 1);  // Retry-After: 3600 honoured
  CHECK(alerts(dir.path / "alerts").size() == 1);
  // One log line per failure streak, not per poll.
  const std::string err = e2e::read_file(dir.path / "err1");
  std::size_t loops = 0;
  for (auto at = err.find("/loop-a failed"); at != std::string::npos;
       at = err.find("/loop-a failed", at + 1))
    ++loops;
  CHECK(loops == 1);
  d->signal(SIGTERM);
  CHECK(d->wait() == 0);
}

TEST_CASE("feed: an OPML of 200 feeds on one host is polled one request at a time") {
  e2e::TempDir dir;
  std::atomic<int> active{0}, most{0};
  HttpTestServer server([&](std::size_t, const sinktest::HttpExchange& ex) {
    const int now = ++active;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    --active;
    const std::string id = ex.target.substr(1);
    return HttpReply{200, rss(rss_item(id, "Item " + id, "Mon, 07 Dec 2026 10:00:00 GMT"))};
  });
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  std::string opml = "<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body>";
  for (int folder = 0; folder < 10; ++folder) {
    opml += "<outline text=\"folder\">";
    for (int i = 0; i < 20; ++i)
      opml += "<outline type=\"rss\" xmlUrl=\"" + base + "/f" + std::to_string(folder * 20 + i) +
              "\"/>";
    opml += "</outline>";
  }
  opml += "</body></opml>";
  e2e::write_file(dir.path / "feeds.opml", opml);
  e2e::write_file(dir.path / "n.toml", config(dir, "opml_file = \"feeds.opml\"\n"));
  auto d = start(dir, "1");
  INFO(e2e::read_file(dir.path / "err1"));
  REQUIRE(wait_feed_alerts(dir.path / "alerts", 200, std::chrono::seconds(60)));
  std::set<std::string> targets;
  for (const auto& r : server.requests()) targets.insert(r.target);
  CHECK(targets.size() == 200);
  CHECK(most.load() == 1);
  d->signal(SIGTERM);
  CHECK(d->wait() == 0);
}

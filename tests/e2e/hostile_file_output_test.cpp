// Tests (end-to-end, hostile conditions): a file output whose disk fills up. The
// daemon's file size limit, lowered from outside with prlimit(2), stands in for
// a full disk: a write stops short in the middle of an alert, the next ones fail
// (EFBIG, SIGXFSZ ignored). Once there is room again, every alert must reach the
// file without any new traffic, the file must hold only whole alerts (each line
// parses as JSON), and a file output is created 0640.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>

#include <set>

#include "e2e/hostile_util.hpp"

namespace {
namespace h = e2e::hostile;
using Clock = std::chrono::steady_clock;

std::vector<std::string> lines_of(const e2e::fs::path& p) {
  return e2e::complete_lines(p);
}

/// Waits until `p` holds at least `n` lines (or `timeout` passes); returns them.
std::vector<std::string> wait_lines(const e2e::fs::path& p, std::size_t n,
                                    std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  while (lines_of(p).size() < n && Clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return lines_of(p);
}

mode_t current_umask() {
  const mode_t m = ::umask(0);
  ::umask(m);
  return m;
}
}  // namespace

TEST_CASE("hostile disk: a file output on a full disk retries by itself and keeps whole alerts",
          "[hostile][file]") {
  e2e::TempDir out;
  const auto path = out / "alerts.ndjson";
  h::Daemon d("", "[[output]]\nstories = \"all\"\ntype = \"file\"\nname = \"archive\"\npath = \"" +
                      path.string() + "\"\nreconnect_initial_ms = 20\nreconnect_max_ms = 200\n");
  REQUIRE(d.good_article_alerts("urn:full:warm"));
  REQUIRE(wait_lines(path, 1, std::chrono::seconds(10)).size() == 1);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0640 & ~current_umask()));

  // The disk fills up: room for 300 more bytes, less than one alert.
  rlimit before{};
  REQUIRE(::prlimit(d.pid(), RLIMIT_FSIZE, nullptr, &before) == 0);
  rlimit full = before;
  full.rlim_cur = static_cast<rlim_t>(e2e::fs::file_size(path)) + 300;
  REQUIRE(::prlimit(d.pid(), RLIMIT_FSIZE, &full, nullptr) == 0);

  constexpr int kArticles = 200;
  std::string payload;
  for (int i = 0; i < kArticles; ++i) payload += h::good_article("urn:full:" + std::to_string(i));
  {
    e2e::asio::io_context io;
    e2e::tcp::socket s(io);
    REQUIRE(e2e::connect(s, d.in_port()));
    REQUIRE(h::send_all(s, payload, Clock::now() + std::chrono::seconds(60)));
  }
  // The tcp output takes them all; the file output fails and keeps them.
  REQUIRE(d.downstream().wait_for(kArticles + 1, std::chrono::seconds(60)).size() == kArticles + 1);
  CHECK(d.wait_metric("newshound_sink_failures_total{sink=\"archive\"}", 2) >= 2);
  {
    const auto during = lines_of(path);
    CHECK(during.size() < kArticles + 1);
    for (const auto& line : during) {
      INFO(line.substr(0, 200));
      CHECK_FALSE(h::article_of(line).empty());
    }
  }

  // Room again; no new article is sent: the output retries on its own.
  REQUIRE(::prlimit(d.pid(), RLIMIT_FSIZE, &before, nullptr) == 0);
  const auto after = wait_lines(path, kArticles + 1, std::chrono::seconds(30));
  INFO(d.log().substr(0, 4000));
  CHECK(after.size() == kArticles + 1);
  std::set<std::string> articles;
  for (const auto& line : after) {
    INFO(line.substr(0, 200));
    const std::string a = h::article_of(line);
    CHECK_FALSE(a.empty());  // a whole alert: parses as JSON
    articles.insert(a);
  }
  CHECK(articles.size() == kArticles + 1);  // each once
  CHECK(d.alive());
  CHECK(d.stop() == 0);
}

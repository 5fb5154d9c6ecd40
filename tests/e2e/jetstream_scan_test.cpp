// Tests (end-to-end): `newshound scan --jetstream URL --stream NAME` (issue 16):
// a backtest over a stream writes what `scan` writes for the same articles on
// stdin, honours --since and --subject, gives articles/s and MB/s with --stats,
// leaves no consumer behind, and refuses a missing stream or an unreadable time.
#include <catch2/catch.hpp>
#include <regex>

#include "e2e/nats_server.hpp"

namespace {
using e2e::bin;

std::string js_scan_article(const std::string& id, bool match) {
  return e2e::article(id, match ? "Sergei Lavrov met reporters (" + id + ")."
                                : "Nothing to see here (" + id + ").");
}

}  // namespace

TEST_CASE("jetstream scan: a backtest over a stream writes what scan on stdin writes") {
  if (!e2e::natstest::have_server()) return;
  e2e::natstest::Server server;
  e2e::natstest::Client client(server.url());
  REQUIRE(client.ok());
  REQUIRE(client.add_stream("WIRE", "wire.>"));
  std::string all, europe;
  for (int i = 0; i < 50; ++i) {
    const std::string a = js_scan_article("s" + std::to_string(i), i % 3 != 0);
    const std::string subject = i % 2 == 0 ? "wire.europe" : "wire.asia";
    REQUIRE(client.publish(subject, a));
    all += a;
    if (i % 2 == 0) europe += a;
  }
  const std::vector<std::string> scan = {bin, "scan", "-w", e2e::people, "--workers", "1"};
  const auto from_stdin = e2e::run(scan, all);
  REQUIRE(from_stdin.code == 0);

  auto backtest = scan;
  backtest.insert(backtest.end(), {"--jetstream", server.url(), "--stream", "WIRE"});
  const auto from_stream = e2e::run(backtest);
  INFO(from_stream.err);
  CHECK(from_stream.code == 0);
  CHECK(e2e::without_times(from_stream.out) == e2e::without_times(from_stdin.out));

  // --stats: the summary gives the rate, articles/s and MB/s.
  auto stats = backtest;
  stats.push_back("--stats");
  const auto with_stats = e2e::run(stats);
  INFO(with_stats.err);
  CHECK(std::regex_search(with_stats.err,
                          std::regex("lines 50, articles 50, .*; [0-9]+ articles/s, [0-9.]+ MB/s; "
                                     "load\\+compile [0-9.]+ s, scan [0-9.]+ s\n")));

  // --since a day ago: every article; --since in the future: none (exit 1).
  auto since = backtest;
  since.insert(since.end(), {"--since", "24h"});
  CHECK(e2e::without_times(e2e::run(since).out) == e2e::without_times(from_stdin.out));
  auto later = backtest;
  later.insert(later.end(), {"--since", "2099-01-01T00:00:00Z"});
  const auto none = e2e::run(later);
  CHECK(none.code == 1);
  CHECK(none.out.empty());

  // --subject: only those messages, as scan reads them.
  auto sub = backtest;
  sub.insert(sub.end(), {"--subject", "wire.europe"});
  CHECK(e2e::without_times(e2e::run(sub).out) == e2e::without_times(e2e::run(scan, europe).out));

  // Nothing left behind: the stream has no consumer (an ordered consumer is ephemeral).
  auto consumers = [&] {
    jsStreamInfo* si = nullptr;
    if (js_GetStreamInfo(&si, client.js(), "WIRE", nullptr, nullptr) != NATS_OK) return -1L;
    const long n = long(si->State.Consumers);
    jsStreamInfo_Destroy(si);
    return n;
  };
  for (int i = 0; i < 100 && consumers() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(consumers() == 0);

  auto missing = scan;
  missing.insert(missing.end(), {"--jetstream", server.url(), "--stream", "NOPE"});
  const auto r = e2e::run(missing);
  CHECK(r.code == 2);
  CHECK(r.err.find("no stream 'NOPE'") != std::string::npos);
  auto bad_time = backtest;
  bad_time.insert(bad_time.end(), {"--since", "yesterday"});
  CHECK(e2e::run(bad_time).err.find("--since 'yesterday'") != std::string::npos);
}

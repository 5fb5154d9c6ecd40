// Tests (end-to-end): `newshound scan --workers N` writes the same alerts, the same
// stderr reports and the same counts as one worker, in input order.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "e2e/harness.hpp"

using e2e::run;
using e2e::without_times;

namespace {
using e2e::bin;
using e2e::people;
using e2e::places;
using e2e::src;

/// A deterministic feed of `n` articles (about 1 MB for 4,000: several read
/// batches), some matching, with bad, blank and oversize lines among them.
std::string generated_feed(int n) {
  static const char* names[] = {"Sergei Lavrov", "Vladimir Putin", "Geneva", "U.S.",
                                "Ukraine",       "Russia",         "Lavrov", "us",
                                "Nobody Special"};
  static const char* filler[] = {"talks",     "markets", "grain",  "said",
                                 "officials", "week",    "prices", "\u201cquoted\u201d",
                                 "rise",      "\u2014"};
  std::string feed;
  std::uint64_t x = 12345;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL, x >> 33; };
  for (int i = 0; i < n; ++i) {
    if (i % 97 == 13) feed += "not json\n";
    if (i % 101 == 7) feed += "\n";
    if (i % 503 == 11)
      feed += "{\"uri\":\"big\",\"body_text\":\"" + std::string(3000, 'a') + "\"}\n";
    std::string body;
    for (int w = 0; w < 40; ++w) {
      body += (w % 12 == 11) ? "\\n" : " ";
      body += (next() % 23 == 0) ? names[next() % 9] : filler[next() % 10];
    }
    feed += "{\"uri\":\"a" + std::to_string(i) + "\",\"headline\":\"Item " + std::to_string(i) +
            "\",\"body_text\":\"" + body + "\"}\n";
  }
  return feed;
}

/// The --stats line without its timings, which differ from run to run.
std::string without_durations(const std::string& err) {
  return std::regex_replace(
      err,
      std::regex("; [0-9]+ articles/s, [0-9.]+ MB/s; load\\+compile [0-9.]+ s, scan [0-9.]+ s"),
      "");
}
}  // namespace

TEST_CASE("scan with 2 or 3 workers writes what 1 worker writes, in input order") {
  const std::string feed = generated_feed(4000);
  auto scan = [&](const char* workers) {
    return run({bin, "scan", "-w", people, "-w", places, "--stats", "--max-line-bytes", "2000",
                "--workers", workers},
               feed);
  };
  auto one = scan("1");
  REQUIRE(one.code == 0);
  // The feed really exercises alerts, bad lines and oversize lines.
  std::vector<std::string> ids;
  std::istringstream in(one.out);
  for (std::string line; std::getline(in, line);)
    ids.emplace_back(boost::json::parse(line).as_object().at("article").as_string());
  REQUIRE(ids.size() > 500);
  CHECK(one.err.find("skipped: not_json") != std::string::npos);
  CHECK(one.err.find("skipped: too_large") != std::string::npos);
  CHECK(one.err.find("further bad lines are counted") != std::string::npos);
  for (std::size_t i = 1; i < ids.size(); ++i)
    CHECK(std::stoi(ids[i - 1].substr(1)) < std::stoi(ids[i].substr(1)));

  for (const char* w : {"2", "3"}) {
    INFO("workers " << w);
    auto many = scan(w);
    CHECK(many.code == one.code);
    CHECK(without_times(many.out) == without_times(one.out));
    CHECK(without_durations(many.err) == without_durations(one.err));
  }
  // --stats ends with the process's own timings (what tools/bench reads).
  CHECK(std::regex_search(
      one.err, std::regex("; load\\+compile [0-9]+\\.[0-9]{3} s, scan [0-9]+\\.[0-9]{3} s\n$")));
}

TEST_CASE("scan --shard-literals splits the database and changes no output") {
  const std::string feed = generated_feed(1000);
  auto scan = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{
        bin, "scan", "-w", people, "-w", places, "--stats", "--max-line-bytes", "2000"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, feed);
  };
  auto one = scan({});
  REQUIRE(one.code == 0);
  CHECK(one.err.find(", 1 database shard(s);") != std::string::npos);
  auto sharded = scan({"--shard-literals", "3", "--workers", "2"});
  CHECK(sharded.code == 0);
  CHECK(without_times(sharded.out) == without_times(one.out));
  // The shipped lists hold dozens of literals: many shards of at most 3.
  std::smatch m;
  REQUIRE(std::regex_search(sharded.err, m, std::regex(", ([0-9]+) database shard\\(s\\);")));
  CHECK(std::stoul(m[1].str()) > 10);
  const std::regex shards(", [0-9]+ database shard");
  CHECK(std::regex_replace(without_durations(sharded.err), shards, "") ==
        std::regex_replace(without_durations(one.err), shards, ""));
}

TEST_CASE("scan with several workers keeps the exit codes and the counts") {
  auto none = run({bin, "scan", "-w", people, "--workers", "2"},
                  "{\"uri\":\"x\",\"headline\":\"Weather\",\"body_text\":\"Rain.\"}\n");
  CHECK(none.code == 1);
  CHECK(none.out.empty());
  auto empty = run({bin, "scan", "-w", people, "--workers", "2", "--stats"}, "");
  CHECK(empty.code == 1);
  CHECK(empty.err.find("lines 0, articles 0, alerts 0") != std::string::npos);
  auto hit = run({bin, "scan", "-w", people, "--workers", "2"},
                 "{\"uri\":\"y\",\"headline\":\"x\",\"body_text\":\"Lavrov spoke\"}");
  CHECK(hit.code == 0);
  CHECK(hit.out.find("\"article\":\"y\"") != std::string::npos);
}

TEST_CASE("scan --no-snippets writes the same alerts without their snippets") {
  const std::string feed = generated_feed(600);
  for (const char* workers : {"1", "2"}) {
    INFO("workers " << workers);
    auto with = run({bin, "scan", "-w", people, "-w", places, "--workers", workers}, feed);
    auto bare =
        run({bin, "scan", "-w", people, "-w", places, "--workers", workers, "--no-snippets"}, feed);
    REQUIRE(with.code == 0);
    REQUIRE(bare.code == 0);
    CHECK(bare.out.find("\"snippet\"") == std::string::npos);
    // Line by line: the alert with snippets, once they are taken out, is the bare one.
    std::istringstream a(without_times(with.out)), b(without_times(bare.out));
    std::string la, lb;
    std::size_t lines = 0, snippets = 0;
    while (std::getline(a, la)) {
      REQUIRE(std::getline(b, lb));
      auto v = boost::json::parse(la).as_object();
      for (auto& m : v.at("matches").as_array()) snippets += m.as_object().stable_erase("snippet");
      CHECK(boost::json::serialize(v) == lb);
      ++lines;
    }
    CHECK_FALSE(std::getline(b, lb));
    CHECK(lines > 20);
    CHECK(snippets >= lines);
  }
}

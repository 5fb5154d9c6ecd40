// Tests, stage match: a hidden measurement (run with `unit_match "[.compile-bench]"`),
// not a pass/fail test: 100,000 names (200,000 aliases) and 5,000 topics compiled
// together; prints compile time, database size and peak RSS for docs/performance.md.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "newshound/match/rules.hpp"
#include "newshound/match/topic_file.hpp"
#include "newshound/match/watchlist.hpp"

namespace newshound {
namespace {

std::string word(std::mt19937& rng, std::size_t syllables) {
  static const char* const kSyl[] = {"ka",  "ri", "mo", "sla", "vo", "de", "ne", "tu",
                                     "gor", "an", "el", "zu",  "pe", "ro", "vi", "ch"};
  std::string w;
  for (std::size_t i = 0; i < syllables; ++i) w += kSyl[rng() % 16];
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

TEST_CASE("compile bench: 100,000 names and 5,000 topics", "[.compile-bench]") {
  std::mt19937 rng(99);
  std::string names;
  names.reserve(100000 * 40);
  // 20,000 surnames shared by 100,000 people: "First Last|Last" (duplicates across
  // entities, as in real lists).
  std::vector<std::string> surnames;
  for (int i = 0; i < 20000; ++i) surnames.push_back(word(rng, 3 + rng() % 2));
  for (int i = 0; i < 100000; ++i) {
    const std::string& last = surnames[rng() % surnames.size()];
    names += word(rng, 2 + rng() % 2) + " " + last + "|" + last + "\n";
  }
  std::vector<std::string> vocab;
  for (int i = 0; i < 5000; ++i) vocab.push_back(word(rng, 2 + rng() % 3));
  std::string topics;
  for (int i = 0; i < 5000; ++i) {
    const auto w = [&] { return vocab[rng() % vocab.size()]; };
    topics += "t" + std::to_string(i) + ": (" + w() + " OR \"" + w() + " " + w() + "\") AND " +
              w().substr(0, 4) + "* AND NOT " + w() + " NEAR/5 " + w() + "\n";
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<WatchList> lists(1);
  lists[0].name = "people";
  std::vector<TopicFile> files(1);
  files[0].name = "topics";
  Diagnostics diags;
  parse_names(names, "people.names", lists[0], diags);
  parse_topics(topics, "topics.topics", files[0], diags);
  REQUIRE(diags.empty());
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto t1 = std::chrono::steady_clock::now();
  const auto rules = Rules::compile(lists, files, diags);
  const auto t2 = std::chrono::steady_clock::now();
  REQUIRE(rules != nullptr);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const auto cpu_ms = [](const rusage& r) {
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000 +
           (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1000;
  };
  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  std::cout << "compile bench: " << rules->entities().size() << " entities, "
            << rules->patterns().size() << " patterns, " << rules->literal_count()
            << " distinct literals, " << rules->topics().size() << " topics, "
            << rules->terms().size() << " terms\n"
            << "  parse " << ms(t1 - t0) << " ms, compile " << ms(t2 - t1) << " ms wall, "
            << cpu_ms(ru) - cpu_ms(before) << " ms CPU, database " << rules->database_bytes() / 1024
            << " KiB, peak RSS " << before.ru_maxrss / 1024 << " MiB before compiling, "
            << ru.ru_maxrss / 1024 << " MiB after\n";
  CHECK(rules->topics().size() == 5000);
}

}  // namespace
}  // namespace newshound

// Tool (stories evaluation): memory per N stories, store size, write and reopen
// time, on synthetic stories (random 64-bit signatures, wire-like article ids).
#include "store_cost.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "newshound/stories/lifecycle.hpp"
#include "newshound/stories/story_index.hpp"
#include "newshound/stories/story_store.hpp"
#include "newshound/util/hash.hpp"

namespace newshound::stories_eval {

namespace {

namespace fs = std::filesystem;
using Seconds = std::chrono::duration<double>;

std::uint64_t cost_mix(std::uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Resident set size in bytes (/proc/self/statm), 0 when unreadable.
std::size_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::string article_id(std::size_t i) {  // like a wire's ninjs uri (44 bytes)
  char buf[64];
  std::snprintf(buf, sizeof buf, "urn:newsml:wire.example.com:20261207:n%07zu", i);
  return buf;
}

// Files `n` stories and `n` alerted articles into `index` and `life`.
void fill(std::size_t n, StoryIndex& index, Lifecycle& life, Clock::time_point t0) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::string id = article_id(i);
    const Clock::time_point at = t0 + std::chrono::milliseconds(500 * i);
    index.add(id, {cost_mix(i), 100}, at);
    Arrival a;
    a.article_id = id;
    a.version = "1";
    a.matches = cost_mix(i + n) | 1;
    const std::string alert = stable_hash_hex({"alert", id});
    a.alert_id = alert;
    life.decide(a, at);
  }
}

double mib(std::uintmax_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

}  // namespace

int store_cost(std::size_t n, const std::string& parent) {
  const Clock::time_point t0 = Clock::now();
  StoryOptions so;
  so.max_stories = std::max(n, so.max_stories);
  LifecycleOptions lo;
  lo.max_articles = std::max(n, lo.max_articles);

  const std::size_t rss0 = resident_bytes();
  StoryIndex index(so);
  const std::size_t rss1 = resident_bytes();
  Lifecycle life(lo);
  const auto fill0 = std::chrono::steady_clock::now();
  fill(n, index, life, t0);
  const Seconds filled = std::chrono::steady_clock::now() - fill0;
  const std::size_t rss2 = resident_bytes();
  std::printf(
      "%zu stories and %zu alerted articles (synthetic: random signatures, %zu-byte "
      "article ids, one 32-hex alert id each)\n\n",
      n, n, article_id(0).size());
  std::printf(
      "story index bytes (memory_bytes)   %10.1f MiB  (%.0f bytes per story, band "
      "tables included)\n",
      mib(index.memory_bytes()), static_cast<double>(index.memory_bytes()) / n);
  std::printf(
      "process growth, index + lifecycle  %10.1f MiB  (%.0f bytes per story and "
      "article; the index alone allocates %.1f MiB at construction)\n",
      mib(rss2 - rss0), static_cast<double>(rss2 - rss0) / n, mib(rss1 - rss0));
  std::printf("filing them (add + decide)         %10.3f s\n", filled.count());

  std::string templ = (fs::path(parent) / "newshound-store-cost-XXXXXX").string();
  if (!mkdtemp(templ.data())) {
    std::perror("newshound-stories-eval: mkdtemp");
    return 1;
  }
  const fs::path dir = templ;
  StoryStore store;
  {
    StoryIndex empty_index(so);
    Lifecycle empty_life(lo);
    const StoryStoreOpened o = store.open(dir, empty_index, empty_life);
    if (!o.error.empty()) {
      std::fprintf(stderr, "newshound-stories-eval: %s\n", o.error.c_str());
      return 1;
    }
  }
  // A tracked copy of the same state, all of it one change.
  StoryIndex index2(so);
  Lifecycle life2(lo);
  index2.track_changes(true);
  life2.track_changes(true);
  fill(n, index2, life2, t0);
  const auto w0 = std::chrono::steady_clock::now();
  if (const std::string e = store.commit(index2, life2); !e.empty()) {
    std::fprintf(stderr, "newshound-stories-eval: %s\n", e.c_str());
    return 1;
  }
  const Seconds written = std::chrono::steady_clock::now() - w0;

  // Steady state: batches of 100 joins and 100 updates, one commit each.
  Seconds batches{0};
  constexpr std::size_t kBatches = 100, kPerBatch = 100;
  for (std::size_t b = 0; b < kBatches; ++b) {
    for (std::size_t j = 0; j < kPerBatch; ++j) {
      const std::size_t i = (b * kPerBatch + j) * 7 % n;
      const std::string id = article_id(n + b * kPerBatch + j);
      index2.add(id, {cost_mix(i), 100}, t0 + std::chrono::hours(20));
      Arrival a;
      const std::string old = article_id(i);
      a.article_id = old;
      a.version = "2";
      a.matches = cost_mix(i) | 1;
      a.alert_id = id;
      life2.decide(a, t0 + std::chrono::hours(20));
    }
    const auto c0 = std::chrono::steady_clock::now();
    if (const std::string e = store.commit(index2, life2); !e.empty()) {
      std::fprintf(stderr, "newshound-stories-eval: %s\n", e.c_str());
      return 1;
    }
    batches += std::chrono::steady_clock::now() - c0;
  }
  store.close();

  std::uintmax_t bytes = 0;
  for (const auto& f : fs::directory_iterator(dir)) bytes += f.file_size();
  const auto r0 = std::chrono::steady_clock::now();
  StoryIndex index3(so);
  Lifecycle life3(lo);
  const StoryStoreOpened o = store.open(dir, index3, life3);
  const Seconds reopened = std::chrono::steady_clock::now() - r0;
  store.close();
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!o.error.empty()) {
    std::fprintf(stderr, "newshound-stories-eval: %s\n", o.error.c_str());
    return 1;
  }
  std::printf("store: first write, one transaction %10.3f s\n", written.count());
  std::printf("store: commit of %zu joins + %zu updates     %6.2f ms  (mean of 100 batches)\n",
              kPerBatch, kPerBatch, 1000.0 * batches.count() / kBatches);
  std::printf(
      "store size on disk (closed)        %10.1f MiB  (%.0f bytes per story and "
      "article)\n",
      mib(bytes), static_cast<double>(bytes) / n);
  std::printf("reopen (load %zu stories, %zu articles) %7.3f s\n", o.stories, o.articles,
              reopened.count());
  return 0;
}

}  // namespace newshound::stories_eval

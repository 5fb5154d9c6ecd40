// Tool (benchmark, not a test): Google Benchmark suite for the hot functions of one
// worker, each on its own: decode, normalize, match (Hyperscan scan + verify),
// alert encoding, and the whole PipelineWorker::process.
//
//   NEWSHOUND_MICRO_FEED=feed.ndjson NEWSHOUND_MICRO_NAMES=list.names newshound-micro
//
// Without the variables it uses tools/demo/feed.ndjson and the shipped example
// watch-lists. Bytes/s are input line bytes (decode, pipeline) or folded bytes
// (normalize output, match input).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "newshound/daemon/rules_loader.hpp"
#include "newshound/dispatch/pipeline_worker.hpp"

namespace newshound {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

/// The feed, decoded and normalized once, plus the compiled rules.
struct Fixture {
  std::vector<std::string> lines;
  std::vector<Article> articles;
  std::vector<NormalizedArticle> texts;
  std::shared_ptr<const Rules> rules;
  std::size_t line_bytes = 0, folded_bytes = 0;

  Fixture() {
    const std::string src = NEWSHOUND_SOURCE_DIR;
    std::ifstream f(env_or("NEWSHOUND_MICRO_FEED", src + "/tools/demo/feed.ndjson"));
    for (std::string l; std::getline(f, l);)
      if (!l.empty()) lines.push_back(std::move(l));
    std::vector<WatchlistConfig> lists;
    if (const char* n = std::getenv("NEWSHOUND_MICRO_NAMES"); n && *n)
      lists.push_back({n, {}, {}, 0});
    else
      for (const char* l : {"people", "places"})
        lists.push_back({src + "/config/watchlists/" + l + ".names", {}, {}, 0});
    Diagnostics diags;
    rules = load_rules(lists, diags);
    if (!rules || lines.empty()) {
      std::fprintf(stderr, "newshound-micro: no feed lines or the watch-list did not load\n");
      std::exit(2);
    }
    Decoder decoder;
    Normalizer normalizer;
    for (const auto& l : lines) {
      Article a;
      if (decoder.decode(l, a) != DecodeError::ok) continue;
      NormalizedArticle t;
      normalizer.normalize(a, t);
      line_bytes += l.size();
      folded_bytes += t.text.size();
      articles.push_back(std::move(a));
      texts.push_back(std::move(t));
    }
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_decode(benchmark::State& state) {
  const Fixture& f = fixture();
  Decoder decoder;
  Article a;
  for (auto _ : state)
    for (const auto& l : f.lines) benchmark::DoNotOptimize(decoder.decode(l, a));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.line_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.lines.size()));
}
BENCHMARK(BM_decode);

void BM_normalize(benchmark::State& state) {
  const Fixture& f = fixture();
  Normalizer normalizer;
  NormalizedArticle t;
  for (auto _ : state)
    for (const auto& a : f.articles) {
      normalizer.normalize(a, t);
      benchmark::DoNotOptimize(t.text.data());
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.folded_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.articles.size()));
}
BENCHMARK(BM_normalize);

// The cost moved to consumers by the run-length offset map: mapping a folded span
// back to source offsets (binary search per lookup), four lookups per article.
void BM_offset_lookup(benchmark::State& state) {
  const Fixture& f = fixture();
  std::uint64_t sum = 0;
  for (auto _ : state)
    for (const auto& t : f.texts) {
      const std::size_t n = t.text.size();
      if (n == 0) continue;
      for (std::size_t k = 1; k <= 4; ++k) sum += t.src_begin[n * k / 5] + t.src_end[n * k / 5];
    }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.texts.size() * 8));
}
BENCHMARK(BM_offset_lookup);

void BM_match(benchmark::State& state) {
  const Fixture& f = fixture();
  HyperscanMatcher matcher(f.rules);
  MatchSet m;
  std::size_t hits = 0;
  for (auto _ : state)
    for (std::size_t i = 0; i < f.articles.size(); ++i) {
      matcher.match(f.articles[i], f.texts[i], m);
      hits += m.matches.size();
    }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.folded_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.articles.size()));
}
BENCHMARK(BM_match);

void BM_encode(benchmark::State& state) {
  const Fixture& f = fixture();
  HyperscanMatcher matcher(f.rules);
  std::vector<std::size_t> matching;
  std::vector<MatchSet> sets;
  for (std::size_t i = 0; i < f.articles.size(); ++i) {
    MatchSet m;
    matcher.match(f.articles[i], f.texts[i], m);
    if (m.empty()) continue;
    matching.push_back(i);
    sets.push_back(std::move(m));
  }
  if (matching.empty()) {
    state.SkipWithError("no article of the feed matches the watch-list");
    return;
  }
  AlertEncoder encoder;
  const auto now = Clock::now();
  for (auto _ : state)
    for (std::size_t k = 0; k < matching.size(); ++k)
      benchmark::DoNotOptimize(encoder.encode(f.articles[matching[k]], sets[k], *f.rules, now));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * matching.size()));
}
BENCHMARK(BM_encode);

void BM_pipeline(benchmark::State& state) {
  const Fixture& f = fixture();
  PipelineWorker worker({FieldMap{}}, f.rules);
  const auto now = Clock::now();
  for (auto _ : state)
    for (const auto& l : f.lines) benchmark::DoNotOptimize(worker.process(l, now));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.line_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.lines.size()));
}
BENCHMARK(BM_pipeline);

}  // namespace
}  // namespace newshound

BENCHMARK_MAIN();

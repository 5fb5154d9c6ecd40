// Tool (benchmark, not a test): decode alone under each simdjson kernel the CPU has
// (BM_decode_kernel/<name>), on the same feed as BM_decode (NEWSHOUND_MICRO_FEED,
// default tools/demo/feed.ndjson). Shows what the run-time kernel choice is worth.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "newshound/decode/decoder.hpp"
#include "newshound/decode/kernel.hpp"

namespace newshound {
namespace {

const std::vector<std::string>& feed() {
  static const std::vector<std::string> lines = [] {
    const char* v = std::getenv("NEWSHOUND_MICRO_FEED");
    std::ifstream f(v && *v ? std::string(v)
                            : std::string(NEWSHOUND_SOURCE_DIR) + "/tools/demo/feed.ndjson");
    std::vector<std::string> out;
    for (std::string l; std::getline(f, l);)
      if (!l.empty()) out.push_back(std::move(l));
    return out;
  }();
  return lines;
}

void BM_decode_kernel(benchmark::State& state, std::string kernel) {
  const std::string saved(decode_kernel());
  if (!set_decode_kernel(kernel)) {
    state.SkipWithError("this CPU has no such kernel");
    return;
  }
  Decoder decoder;
  set_decode_kernel(saved);
  const auto& lines = feed();
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size();
  Article a;
  for (auto _ : state)
    for (const auto& l : lines) benchmark::DoNotOptimize(decoder.decode(l, a));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}

const bool registered = [] {
  for (std::string_view k : decode_kernels())
    benchmark::RegisterBenchmark(("BM_decode_kernel/" + std::string(k)).c_str(), BM_decode_kernel,
                                 std::string(k));
  return true;
}();

}  // namespace
}  // namespace newshound

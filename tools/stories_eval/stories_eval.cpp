// Tool: newshound-stories-eval. Prints the precision and recall of the stories
// near-duplicate signature on the evaluation set (tests/data/stories), per kind of
// difference and threshold, then the same summary for the other signatures
// measured (SimHash and MinHash over 1- to 5-word shingles) and the chosen default.
// Modes: --corpus scans a real corpus, --store-cost measures the state's costs.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "corpus_scan.hpp"
#include "eval_set.hpp"
#include "newshound/stories/signature.hpp"
#include "newshound/stories/story_index.hpp"
#include "store_cost.hpp"

using namespace newshound;
using namespace newshound::stories_eval;

namespace {

// Rows: precision and recall over all pairs, then one per kind: recall of the copy
// kinds, precision against each kind of different stories (all copies joined at
// that threshold against that kind's false joins). Columns: thresholds 0..max.
void print_table(const EvalSet& set, const std::vector<double>& d, unsigned max_t) {
  std::printf("%-28s", "threshold (bits)");
  for (unsigned t = 0; t <= max_t; ++t) std::printf("%6u", t);
  std::printf("\n%-28s", "precision (all)");
  for (unsigned t = 0; t <= max_t; ++t) std::printf("%6.3f", score(set, d, t).precision());
  std::printf("\n%-28s", "recall (all)");
  for (unsigned t = 0; t <= max_t; ++t) std::printf("%6.3f", score(set, d, t).recall());
  std::printf("\n");
  for (const std::string& kind : set.kinds) {
    const Score k0 = score(set, d, 0, kind);
    const bool copies = k0.tp + k0.fn > 0;
    const std::string label = (copies ? "R copy: " : "P diff: ") + kind;
    std::printf("%-28s", label.c_str());
    for (unsigned t = 0; t <= max_t; ++t) {
      const Score k = score(set, d, t, kind);
      Score p = score(set, d, t);  // all copies joined, this kind's false joins
      p.fp = k.fp;
      std::printf("%6.3f", copies ? k.recall() : p.precision());
    }
    std::printf("   (%zu pairs)\n", k0.tp + k0.fn + k0.fp + k0.tn);
  }
}

struct Gap {
  double max_same = 0, min_different = 1e9;
};

Gap gap_of(const EvalSet& set, const std::vector<double>& d) {
  Gap g;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (set.pairs[i].same)
      g.max_same = std::max(g.max_same, d[i]);
    else
      g.min_different = std::min(g.min_different, d[i]);
  return g;
}

// One line per method: the widest-margin summary (the largest copy distance, the
// smallest different-story distance) and the range of thresholds meeting the target.
int compare(const EvalSet& set) {
  std::printf("\n%-28s %9s %9s  %s\n", "signature", "max copy", "min diff",
              "thresholds meeting P>=0.99 R>=0.95");
  for (const unsigned mh : {0u, 128u}) {
    for (unsigned k = 1; k <= 5; ++k) {
      const Method m{k, mh};
      std::vector<double> d;
      if (auto e = distances(set, m, d); !e.empty()) {
        std::fprintf(stderr, "%s\n", e.c_str());
        return 1;
      }
      const Gap g = gap_of(set, d);
      double lo = -1, hi = -1;
      const unsigned steps = mh ? 100 : 64;
      for (unsigned i = 0; i <= steps; ++i) {
        const double t = mh ? i / 100.0 : i;
        if (!meets_target(score(set, d, t))) continue;
        if (lo < 0) lo = t;
        hi = t;
      }
      char range[64] = "(none)";
      if (lo >= 0) std::snprintf(range, sizeof range, mh ? "%.2f to %.2f" : "%.0f to %.0f", lo, hi);
      std::printf("%-28s %9.3g %9.3g  %s\n", m.name().c_str(), g.max_same, g.min_different, range);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Precision and recall of the stories near-duplicate signature"};
  std::string dir = std::string(NEWSHOUND_SOURCE_DIR) + "/tests/data/stories";
  unsigned words = kDefaultShingleWords;
  unsigned max_t = 16;
  bool list = false, no_compare = false;
  app.add_option("--set", dir, "The evaluation set's folder (pairs.tsv, texts/)");
  app.add_option("--shingle-words", words, "Words per shingle of the SimHash table");
  app.add_option("--max-threshold", max_t, "Largest threshold of the table")
      ->check(CLI::Range(0, 64));
  app.add_flag("--pairs", list, "Also print every pair's distance");
  app.add_flag("--no-compare", no_compare, "Skip the comparison of signatures");
  std::string corpus;
  unsigned examples = 0;
  app.add_option("--corpus", corpus,
                 "Instead: scan an NDJSON (.gz) corpus, printing each article's distance to "
                 "its nearest earlier one");
  app.add_option("--examples", examples, "With --corpus: example pairs per distance shown");
  std::size_t store_n = 0;
  std::string store_parent = "/tmp";
  app.add_option("--store-cost", store_n,
                 "Instead: memory, store size and reopen time for this many stories "
                 "(synthetic)");
  app.add_option("--store-parent", store_parent,
                 "With --store-cost: the folder to create the store in (removed after)");
  CLI11_PARSE(app, argc, argv);
  if (store_n > 0) return store_cost(store_n, store_parent);
  if (!corpus.empty()) return corpus_scan(corpus, max_t, kDefaultStoryThreshold - 3, examples);

  EvalSet set;
  if (auto e = load_set(dir, set); !e.empty()) {
    std::fprintf(stderr, "newshound-stories-eval: %s\n", e.c_str());
    return 1;
  }
  const Method method{words, 0};
  std::vector<double> d;
  if (auto e = distances(set, method, d); !e.empty()) {
    std::fprintf(stderr, "newshound-stories-eval: %s\n", e.c_str());
    return 1;
  }
  std::size_t copies = 0;
  for (const Pair& p : set.pairs) copies += p.same;
  std::printf("%zu pairs (%zu copies, %zu different stories), %s\n\n", set.pairs.size(), copies,
              set.pairs.size() - copies, method.name().c_str());
  print_table(set, d, max_t);
  if (list) {
    std::printf("\n");
    for (std::size_t i = 0; i < d.size(); ++i)
      std::printf("%3.0f  %-9s %-16s %s  %s\n", d[i], set.pairs[i].same ? "same" : "different",
                  set.pairs[i].kind.c_str(), set.pairs[i].a.c_str(), set.pairs[i].b.c_str());
  }
  if (!no_compare && compare(set) != 0) return 1;
  const Score s = score(set, d, kDefaultStoryThreshold);
  std::printf("\ndefault threshold %u bits (%s): precision %.3f, recall %.3f: %s\n",
              kDefaultStoryThreshold, method.name().c_str(), s.precision(), s.recall(),
              meets_target(s) ? "meets the target" : "MISSES the target");
  return meets_target(s) ? 0 : 2;
}

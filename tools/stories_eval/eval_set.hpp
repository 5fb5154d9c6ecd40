// Tool (stories evaluation): the evaluation set of tests/data/stories (pairs of
// article files labelled same story or different, with the kind of difference),
// the signature distance of every pair under a method, and precision and recall at
// a threshold. Shared by newshound-stories-eval and the stories unit test.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"

namespace newshound::stories_eval {

/// One labelled pair: files `a` and `b` (relative to the set's texts/ folder) are
/// copies of one story (`same`) or different stories; `kind` names the difference.
struct Pair {
  bool same = false;
  std::string kind;
  std::string a, b;
};

struct EvalSet {
  std::string dir;  ///< the set's folder (holding pairs.tsv and texts/)
  std::vector<Pair> pairs;
  std::vector<std::string> kinds;  ///< every kind, in order of first appearance
};

/// Reads `<dir>/pairs.tsv`: one pair a line, `same|different <TAB> kind <TAB> a
/// <TAB> b`; blank lines and lines starting with '#' are skipped. Returns "" or
/// the error (missing file, malformed line).
std::string load_set(const std::string& dir, EvalSet& out);

/// Reads an article file: its first line is the headline, the rest (after one
/// blank line, if any) the body; a `.html` file's body is HTML, any other is text
/// (read as light Markdown). `out` is cleared first. Returns "" or the error.
std::string load_article(const std::string& path, Article& out);

/// How a pair's distance is measured: SimHash Hamming distance (0..64) or, with
/// `minhash` > 0, 1 - the MinHash similarity of that many minima (0..1).
struct Method {
  unsigned shingle_words = 3;
  unsigned minhash = 0;
  std::string name() const;
};

/// The distance of every pair of `set` (same order). Returns "" or the error.
std::string distances(const EvalSet& set, const Method& method, std::vector<double>& out);

/// Counts at one threshold (a pair is joined when its distance <= threshold).
struct Score {
  std::size_t tp = 0, fn = 0, fp = 0, tn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / double(tp + fn); }
};

/// The score over the pairs of `kind` ("" for all pairs).
Score score(const EvalSet& set, const std::vector<double>& d, double threshold,
            std::string_view kind = "");

/// The project's target: precision >= 0.99 and recall >= 0.95.
inline bool meets_target(const Score& s) {
  return s.precision() >= 0.99 && s.recall() >= 0.95;
}

}  // namespace newshound::stories_eval

// Tool (stories evaluation): loading the evaluation set and scoring signature
// distances on it (see eval_set.hpp).
#include "eval_set.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "newshound/stories/signature.hpp"

namespace newshound::stories_eval {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    parts.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return parts;
    start = tab + 1;
  }
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

std::string load_set(const std::string& dir, EvalSet& out) {
  out = EvalSet{};
  out.dir = dir;
  std::ifstream f(dir + "/pairs.tsv");
  if (!f) return "cannot read " + dir + "/pairs.tsv";
  std::string line;
  for (int n = 1; std::getline(f, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    const auto parts = split_tabs(line);
    if (parts.size() != 4 || (parts[0] != "same" && parts[0] != "different") || parts[1].empty())
      return dir + "/pairs.tsv:" + std::to_string(n) + ": expected same|different, kind, a, b";
    out.pairs.push_back({parts[0] == "same", parts[1], parts[2], parts[3]});
    if (std::find(out.kinds.begin(), out.kinds.end(), parts[1]) == out.kinds.end())
      out.kinds.push_back(parts[1]);
  }
  return "";
}

std::string load_article(const std::string& path, Article& out) {
  out.clear();
  std::string text;
  if (!read_file(path, text)) return "cannot read " + path;
  const auto eol = text.find('\n');
  out.headline = text.substr(0, eol);
  out.body = eol == std::string::npos ? "" : text.substr(eol + 1);
  out.body_format = path.ends_with(".html") ? BodyFormat::html : BodyFormat::text;
  out.id = path.substr(path.find_last_of('/') + 1);
  return "";
}

std::string Method::name() const {
  const std::string words = std::to_string(shingle_words) + "-word shingles";
  if (minhash == 0) return "simhash64, " + words;
  return "minhash" + std::to_string(minhash) + ", " + words;
}

std::string distances(const EvalSet& set, const Method& method, std::vector<double>& out) {
  out.clear();
  Signer signer(method.shingle_words);
  Article a, b;
  std::vector<std::uint64_t> ma, mb;
  for (const Pair& p : set.pairs) {
    if (auto e = load_article(set.dir + "/texts/" + p.a, a); !e.empty()) return e;
    if (auto e = load_article(set.dir + "/texts/" + p.b, b); !e.empty()) return e;
    const Signature sa = signer.sign(a);
    if (method.minhash > 0) minhash_of(signer.shingles(), method.minhash, ma);
    const Signature sb = signer.sign(b);
    if (method.minhash > 0) {
      minhash_of(signer.shingles(), method.minhash, mb);
      out.push_back(1.0 - minhash_similarity(ma, mb));
    } else {
      out.push_back(hamming(sa.simhash, sb.simhash));
    }
  }
  return "";
}

Score score(const EvalSet& set, const std::vector<double>& d, double threshold,
            std::string_view kind) {
  Score s;
  for (std::size_t i = 0; i < set.pairs.size() && i < d.size(); ++i) {
    const Pair& p = set.pairs[i];
    if (!kind.empty() && p.kind != kind) continue;
    const bool joined = d[i] <= threshold + 1e-9;
    if (p.same)
      joined ? ++s.tp : ++s.fn;
    else
      joined ? ++s.fp : ++s.tn;
  }
  return s;
}

}  // namespace newshound::stories_eval

// Tool (stories evaluation): the nearest-earlier-article distances of a corpus.
#include "corpus_scan.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <vector>

#include "newshound/stories/signature.hpp"

namespace newshound::stories_eval {

namespace {

struct Entry {
  std::string headline;
  Signature sig;
};

std::string field(const boost::json::object& o, const char* name) {
  const auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool read_corpus(const std::string& path, std::vector<Entry>& out) {
  const bool gz = path.ends_with(".gz");
  std::FILE* f =
      gz ? ::popen(("gzip -dc '" + path + "'").c_str(), "r") : std::fopen(path.c_str(), "r");
  if (f == nullptr) return false;
  Signer signer;
  Article a;
  std::string line;
  char buf[1 << 16];
  auto take = [&] {
    boost::system::error_code ec;
    const auto v = boost::json::parse(line, ec);
    line.clear();
    if (ec || !v.is_object()) return;
    a.clear();
    a.headline = field(v.as_object(), "headline");
    a.body = field(v.as_object(), "body_text");
    out.push_back({a.headline, signer.sign(a)});
  };
  while (std::fgets(buf, sizeof buf, f) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') take();
  }
  if (!line.empty()) take();
  gz ? ::pclose(f) : std::fclose(f);
  return true;
}

}  // namespace

int corpus_scan(const std::string& path, unsigned max_distance, unsigned from, unsigned examples) {
  std::vector<Entry> docs;
  if (!read_corpus(path, docs)) {
    std::fprintf(stderr, "newshound-stories-eval: cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<std::size_t> histogram(max_distance + 1, 0);
  std::vector<unsigned> shown(max_distance + 1, 0);
  std::size_t far = 0, empty = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].sig.shingles == 0) {
      ++empty;
      continue;
    }
    unsigned best = 65;
    std::size_t best_j = 0;
    for (std::size_t j = 0; j < i; ++j) {
      if (docs[j].sig.shingles == 0) continue;
      const unsigned d = hamming(docs[i].sig.simhash, docs[j].sig.simhash);
      if (d < best) best = d, best_j = j;
    }
    if (best > max_distance) {
      ++far;
      continue;
    }
    ++histogram[best];
    if (best >= from && shown[best] < examples) {
      ++shown[best];
      std::printf("  %2u  #%zu (%u) %s  ~  #%zu (%u) %s\n", best, i, docs[i].sig.shingles,
                  docs[i].headline.c_str(), best_j, docs[best_j].sig.shingles,
                  docs[best_j].headline.c_str());
    }
  }
  std::printf("\n%zu articles (%zu without words); nearest earlier article at distance:\n",
              docs.size(), empty);
  for (unsigned d = 0; d <= max_distance; ++d) std::printf("  %2u: %zu\n", d, histogram[d]);
  std::printf("  >%u: %zu\n", max_distance, far);
  return 0;
}

}  // namespace newshound::stories_eval

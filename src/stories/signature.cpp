// Stage: stories. The article signature: folded words (links skipped), word
// shingles hashed with XXH3, SimHash (and MinHash for the evaluation tool).
#include "newshound/stories/signature.hpp"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <limits>

namespace newshound {

namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\0';
}

// A word byte: an ASCII letter or digit, or any byte of a non-ASCII character (the
// fold has turned typographic quotes and dashes into ASCII already, so what stays
// non-ASCII is letters of other scripts).
bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

// A link or address ("https://...", "<www.x.org>", "desk@wire.com"): a changed
// link must not change the signature, so such a chunk gives no words at all.
bool is_link(std::string_view chunk) {
  if (chunk.find("://") != std::string_view::npos) return true;
  if (chunk.find('@') != std::string_view::npos) return true;
  const auto start = chunk.find_first_not_of("<([\"'");
  return start != std::string_view::npos && chunk.substr(start).starts_with("www.");
}

// splitmix64's finalizer: remixes a feature hash for MinHash seed i.
std::uint64_t remix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Signer::Signer(unsigned shingle_words) : k_(shingle_words == 0 ? 1 : shingle_words) {}

Signature Signer::sign(const Article& article) {
  normalizer_.normalize(article, folded_);
  return sign_folded(folded_.text);
}

Signature Signer::sign_folded(std::string_view folded) {
  words_of(folded);
  shingle();
  return {simhash_of(shingles_), static_cast<std::uint32_t>(shingles_.size())};
}

// Splits the folded text into white-space chunks, drops links, and hashes every
// maximal run of word bytes of the other chunks as one word.
void Signer::words_of(std::string_view folded) {
  words_.clear();
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && is_separator(folded[i])) ++i;
    std::size_t end = i;
    while (end < folded.size() && !is_separator(folded[end])) ++end;
    const std::string_view chunk = folded.substr(i, end - i);
    i = end;
    if (chunk.empty() || is_link(chunk)) continue;
    std::size_t w = 0;
    while (w < chunk.size()) {
      while (w < chunk.size() && !is_word_byte(chunk[w])) ++w;
      std::size_t e = w;
      while (e < chunk.size() && is_word_byte(chunk[e])) ++e;
      if (e > w) words_.push_back(XXH3_64bits(chunk.data() + w, e - w));
      w = e;
    }
  }
}

// Shingle j hashes the word hashes j..j+k-1 (contiguous in words_) as one key.
void Signer::shingle() {
  shingles_.clear();
  if (words_.empty()) return;
  const std::size_t k = std::min<std::size_t>(k_, words_.size());
  for (std::size_t j = 0; j + k <= words_.size(); ++j)
    shingles_.push_back(XXH3_64bits(words_.data() + j, k * sizeof(std::uint64_t)));
}

std::uint64_t simhash_of(const std::vector<std::uint64_t>& features) {
  std::array<std::int32_t, 64> votes{};
  for (const std::uint64_t f : features)
    for (unsigned b = 0; b < 64; ++b) votes[b] += ((f >> b) & 1) ? 1 : -1;
  std::uint64_t h = 0;
  for (unsigned b = 0; b < 64; ++b)
    if (votes[b] > 0) h |= std::uint64_t{1} << b;
  return h;
}

void minhash_of(const std::vector<std::uint64_t>& features, unsigned n,
                std::vector<std::uint64_t>& out) {
  out.assign(n, std::numeric_limits<std::uint64_t>::max());
  for (const std::uint64_t f : features)
    for (unsigned i = 0; i < n; ++i)
      out[i] = std::min(out[i], remix(f ^ (0x9e3779b97f4a7c15ULL * (i + 1))));
}

double minhash_similarity(const std::vector<std::uint64_t>& a,
                          const std::vector<std::uint64_t>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n == 0) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < n; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(n);
}

}  // namespace newshound

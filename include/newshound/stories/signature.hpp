// Stage: stories. The near-duplicate signature of an article: its folded text
// (headline and bodies, markup read, quotes/dashes/case folded, links dropped) cut
// into word shingles, each hashed with XXH3, summed into a 64-bit SimHash.
// Synchronous, no I/O. See docs/stories.md for the choice of SimHash over MinHash.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound {

/// Words per shingle by default (chosen on the evaluation set, docs/stories.md).
inline constexpr unsigned kDefaultShingleWords = 3;

/// An article's signature. `shingles` is the number of shingles hashed: 0 for an
/// article with no words, whose `simhash` (0) must not be compared with anything.
struct Signature {
  std::uint64_t simhash = 0;
  std::uint32_t shingles = 0;
};

/// The Hamming distance between two SimHashes (0..64).
inline unsigned hamming(std::uint64_t a, std::uint64_t b) {
  return static_cast<unsigned>(__builtin_popcountll(a ^ b));
}

/// Computes signatures. One per worker: it owns reusable buffers (the folded text,
/// the word and shingle hashes), so once warmed up a call allocates nothing.
/// Never throws except std::bad_alloc.
class Signer {
 public:
  /// `shingle_words` >= 1 (0 is read as 1).
  explicit Signer(unsigned shingle_words = kDefaultShingleWords);

  /// The signature of every text value of `article` (Article::text order: main
  /// headline, main body, other headlines, bodies, descriptions), folded by the
  /// project's Normalizer.
  Signature sign(const Article& article);

  /// The signature of already folded text (NormalizedArticle::text; '\0' and
  /// spaces separate words alike).
  Signature sign_folded(std::string_view folded);

  /// The shingle hashes of the last sign()/sign_folded() call, in text order (a
  /// text with fewer words than a shingle gives one shingle of all its words).
  /// Valid until the next call. For MinHash and tests.
  const std::vector<std::uint64_t>& shingles() const { return shingles_; }

  unsigned shingle_words() const { return k_; }

 private:
  void words_of(std::string_view folded);
  const char* scalar_chunk(const char* p, const char* end);
  void shingle();

  unsigned k_;
  Normalizer normalizer_;
  NormalizedArticle folded_;
  std::vector<std::uint64_t> words_;  // the first words_n_ are the text's word hashes
  std::size_t words_n_ = 0;
  std::vector<std::uint64_t> shingles_;
};

/// The SimHash of a set of feature hashes: bit i is set when more than half of the
/// features have bit i set. 0 for no features.
std::uint64_t simhash_of(const std::vector<std::uint64_t>& features);

/// MinHash, measured against SimHash by the evaluation tool (not used by the
/// index): `out` gets `n` minima, the i-th over the features remixed with seed i.
/// `out` is resized to n and its storage reused. All-ones minima for no features.
void minhash_of(const std::vector<std::uint64_t>& features, unsigned n,
                std::vector<std::uint64_t>& out);

/// The share of equal positions of two MinHashes of the same size (an estimate of
/// the Jaccard similarity of the two feature sets); 0 when either is empty.
double minhash_similarity(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

}  // namespace newshound

// Stage: stories. The article signature: folded words (links skipped), word
// shingles hashed with XXH3, SimHash (and MinHash for the evaluation tool).
#include "newshound/stories/signature.hpp"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace newshound {

namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\0';
}

// A word byte: an ASCII letter or digit, or any byte of a non-ASCII character (the
// fold has turned typographic quotes and dashes into ASCII already, so what stays
// non-ASCII is letters of other scripts).
bool is_word_byte(char c) {
  static constexpr auto kWord = [] {
    std::array<bool, 256> t{};
    for (unsigned u = 0; u < 256; ++u)
      t[u] =
          u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    return t;
  }();
  return kWord[static_cast<unsigned char>(c)];
}

// A link or address ("https://...", "<www.x.org>", "desk@wire.com"): a changed
// link must not change the signature, so such a chunk gives no words at all.
// is_link() is the "://" and '@' half, is_www() the "www." prefix half.
bool is_link(std::string_view chunk) {
  return chunk.find("://") != std::string_view::npos || chunk.find('@') != std::string_view::npos;
}

bool is_www(std::string_view chunk) {
  std::size_t start = 0;
  const auto opener = [](char c) {
    return c == '<' || c == '(' || c == '[' || c == '"' || c == '\'';
  };
  while (start < chunk.size() && opener(chunk[start])) ++start;
  return chunk.substr(start).starts_with("www.");
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
// maximal run of word bytes of the other chunks as one word. One pass: a chunk's
// words are hashed as they end and taken back if the chunk turns out to be a link
// (a ':' or '@' in it, found on the way, or a "www." start).
void Signer::words_of(std::string_view folded) {
  words_.clear();
  const char* p = folded.data();
  const char* const end = p + folded.size();
  while (p < end) {
    while (p < end && is_separator(*p)) ++p;
    if (p == end) break;
    const char* const chunk = p;
    const std::size_t kept = words_.size();
    bool marked = false;
    const char* word = nullptr;  // the current word's start, if in one
    for (; p < end; ++p) {
      const char c = *p;
      if (is_word_byte(c)) {
        if (!word) word = p;
        continue;
      }
      if (word) words_.push_back(XXH3_64bits(word, static_cast<std::size_t>(p - word)));
      word = nullptr;
      if (is_separator(c)) break;
      marked |= c == ':' || c == '@';
    }
    if (word) words_.push_back(XXH3_64bits(word, static_cast<std::size_t>(p - word)));
    const std::string_view c(chunk, static_cast<std::size_t>(p - chunk));
    if ((marked && is_link(c)) || is_www(c)) words_.resize(kept);
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

// Counts, per bit, the features that have it set, in byte counters: bit k of
// every byte of a feature, (f >> k) & 0x01..01, is added to lanes[k], so byte j of
// lanes[k] counts bit 8j + k. A byte counts to 255, so the lanes are emptied into
// `ones` every 255 features. With SSE2, two features a step (one in each half of a
// 128-bit lane). A bit is set in the SimHash when more features have it than not
// (ones > n - ones), as with a +1/-1 vote per feature.
std::uint64_t simhash_of(const std::vector<std::uint64_t>& features) {
  std::array<std::uint32_t, 64> ones{};
  const std::uint64_t* f = features.data();
  const std::size_t n = features.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i low_bits = _mm_set1_epi8(1);
  while (i + 2 <= n) {
    const std::size_t end = i + std::min<std::size_t>((n - i) & ~std::size_t{1}, 2 * 255);
    __m128i lanes[8];
    for (auto& l : lanes) l = _mm_setzero_si128();
    for (; i < end; i += 2) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(f + i));
      for (int k = 0; k < 8; ++k)
        lanes[k] = _mm_add_epi8(lanes[k], _mm_and_si128(_mm_srli_epi64(v, k), low_bits));
    }
    for (unsigned k = 0; k < 8; ++k) {
      alignas(16) std::uint8_t bytes[16];
      _mm_store_si128(reinterpret_cast<__m128i*>(bytes), lanes[k]);
      for (unsigned j = 0; j < 16; ++j) ones[8 * (j % 8) + k] += bytes[j];
    }
  }
#endif
  while (i < n) {
    const std::size_t end = std::min(n, i + 255);
    std::array<std::uint64_t, 8> lanes{};
    for (; i < end; ++i)
      for (unsigned k = 0; k < 8; ++k) lanes[k] += (f[i] >> k) & 0x0101010101010101ULL;
    for (unsigned k = 0; k < 8; ++k)
      for (unsigned j = 0; j < 8; ++j) ones[8 * j + k] += (lanes[k] >> (8 * j)) & 0xff;
  }
  std::uint64_t h = 0;
  for (unsigned b = 0; b < 64; ++b)
    if (2 * std::uint64_t{ones[b]} > n) h |= std::uint64_t{1} << b;
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

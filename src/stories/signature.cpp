// Stage: stories. The article signature: folded words (links skipped), word
// shingles hashed with XXH3, SimHash (and MinHash for the evaluation tool).
#include "newshound/stories/signature.hpp"

// Inlined: a word is a few bytes, and a call through the shared library cost
// about as much as the hash itself (the values are the library's).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
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

// A chunk's first byte where is_www() can be true: 'w' or an opener.
bool may_be_www(char c) {
  return c == 'w' || c == '<' || c == '(' || c == '[' || c == '"' || c == '\'';
}

#if defined(__SSE2__)
// Bit k of each mask tells byte k of 16: a word byte (is_word_byte), a separator,
// a ':' or '@' (a link's mark).
struct ChunkMasks {
  unsigned words, separators, marks;
};

ChunkMasks classify16(const char* q) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  // x - lo < width as unsigned bytes: shifted by 0x80, a signed compare.
  const auto in_range = [](__m128i x, char lo, char width) {
    const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + width)));
  };
  const __m128i non_ascii = _mm_cmplt_epi8(v, _mm_setzero_si128());
  const __m128i digit = in_range(v, '0', 10);
  const __m128i letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
  const __m128i sep =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_setzero_si128()));
  const __m128i mark =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), _mm_cmpeq_epi8(v, _mm_set1_epi8('@')));
  return {static_cast<unsigned>(
              _mm_movemask_epi8(_mm_or_si128(non_ascii, _mm_or_si128(digit, letter)))),
          static_cast<unsigned>(_mm_movemask_epi8(sep)),
          static_cast<unsigned>(_mm_movemask_epi8(mark))};
}
#endif

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
// maximal run of word bytes of the other chunks as one word. A chunk that fits in
// 16 bytes (nearly all: words with their punctuation) is classified with SSE2 in
// one step, its words read from a bit mask; a longer one byte by byte
// (scalar_chunk()). Both give the same words.
void Signer::words_of(std::string_view folded) {
  words_.clear();
  const char* p = folded.data();
  const char* const end = p + folded.size();
#if defined(__SSE2__)
  alignas(16) char tail[16];
  while (p < end) {
    if (is_separator(*p)) {
      ++p;
      continue;
    }
    // 16 readable bytes from the chunk's start: the text's own, or its end copied
    // into `tail` with separators after it.
    const char* q = p;
    if (end - p < 16) {
      std::memset(tail, ' ', sizeof tail);
      std::memcpy(tail, p, static_cast<std::size_t>(end - p));
      q = tail;
    }
    const ChunkMasks m = classify16(q);
    if (m.separators == 0) {  // longer than 16 bytes
      p = scalar_chunk(p, end);
      continue;
    }
    const auto len = static_cast<unsigned>(__builtin_ctz(m.separators));
    const unsigned in_chunk = (1u << len) - 1;
    const std::string_view chunk(q, len);
    p += len;
    if (((m.marks & in_chunk) != 0 && is_link(chunk)) || (may_be_www(chunk[0]) && is_www(chunk)))
      continue;
    for (unsigned w = m.words & in_chunk; w != 0;) {
      const auto s = static_cast<unsigned>(__builtin_ctz(w));
      const auto n = static_cast<unsigned>(__builtin_ctz(~(w >> s)));
      words_.push_back(XXH3_64bits(q + s, n));
      w &= ~(((1u << n) - 1) << s);
    }
  }
#else
  while (p < end) {
    if (is_separator(*p))
      ++p;
    else
      p = scalar_chunk(p, end);
  }
#endif
}

// One chunk from p (not a separator) to the next separator or `end`, byte by byte:
// its words are hashed as they end and taken back if the chunk turns out to be a
// link (a ':' or '@' in it, found on the way, or a "www." start). Returns its end.
const char* Signer::scalar_chunk(const char* p, const char* end) {
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
  return p;
}

// Shingle j hashes the word hashes j..j+k-1 (contiguous in words_) as one key.
void Signer::shingle() {
  shingles_.clear();
  if (words_.empty()) return;
  const std::size_t k = std::min<std::size_t>(k_, words_.size());
  for (std::size_t j = 0; j + k <= words_.size(); ++j)
    shingles_.push_back(XXH3_64bits(words_.data() + j, k * sizeof(std::uint64_t)));
}

namespace {

// Adds `x` (one bit per lane) at weight 2^j to a bit-sliced counter: plane j holds
// bit j of each of the 64 lanes' counts.
inline void ripple(std::uint64_t* planes, unsigned j, std::uint64_t x) {
  while (x != 0) {
    const std::uint64_t carry = planes[j] & x;
    planes[j] ^= x;
    x = carry;
    ++j;
  }
}

// Carry-save adder: a + b + c = 2 * high + low, bit by bit.
inline void csa(std::uint64_t& high, std::uint64_t& low, std::uint64_t a, std::uint64_t b,
                std::uint64_t c) {
  const std::uint64_t u = a ^ b;
  high = (a & b) | (u & c);
  low = u ^ c;
}

}  // namespace

// Counts, per bit, the features that have it set, in 64 bit-sliced counters:
// planes[j] holds bit j of every bit's count. Eight features at a time go through
// a tree of carry-save adders into the weight-1, -2 and -4 planes (Harley-Seal),
// the weight-8 carry rippling up the rest: about six operations a feature. A bit
// is set in the SimHash when more features have it than not (count > n / 2, as
// with a +1/-1 vote per feature), found for all 64 counters at once by comparing
// them with floor(n / 2) + 1 plane by plane from the top.
std::uint64_t simhash_of(const std::vector<std::uint64_t>& features) {
  std::array<std::uint64_t, 66> planes{};  // a count of up to 2^64 - 1 features
  const std::uint64_t* f = features.data();
  const std::size_t n = features.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t twos_a, twos_b, fours_a, fours_b, eights;
    csa(twos_a, planes[0], planes[0], f[i], f[i + 1]);
    csa(twos_b, planes[0], planes[0], f[i + 2], f[i + 3]);
    csa(fours_a, planes[1], planes[1], twos_a, twos_b);
    csa(twos_a, planes[0], planes[0], f[i + 4], f[i + 5]);
    csa(twos_b, planes[0], planes[0], f[i + 6], f[i + 7]);
    csa(fours_b, planes[1], planes[1], twos_a, twos_b);
    csa(eights, planes[2], planes[2], fours_a, fours_b);
    ripple(planes.data(), 3, eights);
  }
  for (; i < n; ++i) ripple(planes.data(), 0, f[i]);
  // count >= m for m = floor(n / 2) + 1, lane by lane: `greater` where a higher
  // plane already decided count > m, `equal` where all planes so far agree with m.
  // Planes above the width of n are zero, as are m's bits there.
  const std::uint64_t m = n / 2 + 1;
  std::uint64_t greater = 0, equal = ~std::uint64_t{0};
  for (auto j = static_cast<unsigned>(std::bit_width(std::max<std::uint64_t>(n, m))); j-- > 0;) {
    if ((m >> j) & 1) {
      equal &= planes[j];
    } else {
      greater |= equal & planes[j];
      equal &= ~planes[j];
    }
  }
  return greater | equal;
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

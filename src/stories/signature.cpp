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
// Bit k of each mask tells byte k of a 64-byte window: a word byte (is_word_byte),
// a separator, a ':' or '@' (a link's mark).
struct WindowMasks {
  std::uint64_t words, separators, marks;
};

WindowMasks classify64(const char* q) {
  // x - lo < width as unsigned bytes: shifted by 0x80, a signed compare.
  const auto in_range = [](__m128i x, char lo, char width) {
    const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + width)));
  };
  WindowMasks m{0, 0, 0};
  for (unsigned k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * k));
    const __m128i non_ascii = _mm_cmplt_epi8(v, _mm_setzero_si128());
    const __m128i digit = in_range(v, '0', 10);
    const __m128i letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
    const __m128i sep =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_setzero_si128()));
    const __m128i mark =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')), _mm_cmpeq_epi8(v, _mm_set1_epi8('@')));
    const auto bits = [&](__m128i x) {
      return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x))) << (16 * k);
    };
    m.words |= bits(_mm_or_si128(non_ascii, _mm_or_si128(digit, letter)));
    m.separators |= bits(sep);
    m.marks |= bits(mark);
  }
  return m;
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
// maximal run of word bytes of the other chunks as one word. With SSE2 the text is
// classified 64 bytes at a time (bit masks of word bytes, separators and link
// marks) and every chunk that ends inside the window is read from the masks; the
// next window starts at the first chunk that did not end. A chunk of 64 bytes or
// more is read byte by byte (scalar_chunk()). Both give the same words.
void Signer::words_of(std::string_view folded) {
  // A word needs a byte that is not a word byte after it, except the last: at most
  // (size + 1) / 2 words. Room for them up front, so the loops store without checks.
  if (words_.size() < folded.size() / 2 + 1) words_.resize(folded.size() / 2 + 1);
  words_n_ = 0;
  const char* p = folded.data();
  const char* const end = p + folded.size();
#if defined(__SSE2__)
  alignas(16) char tail[64];
  while (p < end) {
    // 64 readable bytes from p: the text's own, or its end copied into `tail`
    // with separators after it (so every chunk of the tail ends in the window).
    const char* q = p;
    if (end - p < 64) {
      std::memset(tail, ' ', sizeof tail);
      std::memcpy(tail, p, static_cast<std::size_t>(end - p));
      q = tail;
    }
    const WindowMasks m = classify64(q);
    const std::uint64_t chunky = ~m.separators;
    std::uint64_t starts = chunky & ~(chunky << 1);
    unsigned next = 64;  // where the next window starts, from p
    while (starts != 0) {
      const auto s = static_cast<unsigned>(__builtin_ctzll(starts));
      const std::uint64_t after = m.separators >> s;
      if (after == 0) {  // the chunk goes on past the window
        next = s;
        break;
      }
      const unsigned e = s + static_cast<unsigned>(__builtin_ctzll(after));
      starts &= starts - 1;
      const std::uint64_t in_chunk = (std::uint64_t{1} << e) - (std::uint64_t{1} << s);  // e < 64
      const std::string_view chunk(q + s, e - s);
      if (((m.marks & in_chunk) != 0 && is_link(chunk)) || (may_be_www(q[s]) && is_www(chunk)))
        continue;
      for (std::uint64_t w = m.words & in_chunk; w != 0;) {
        const auto a = static_cast<unsigned>(__builtin_ctzll(w));
        const auto n = static_cast<unsigned>(__builtin_ctzll(~(w >> a)));
        words_[words_n_++] = XXH3_64bits(q + a, n);
        w &= w + (w & (~w + 1));  // the lowest run of ones (this word) cleared
      }
    }
    if (next == 0) {  // a chunk of 64 bytes or more
      p = scalar_chunk(p, end);
      continue;
    }
    p += std::min<std::ptrdiff_t>(next, end - p);
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
  const std::size_t kept = words_n_;
  bool marked = false;
  const char* word = nullptr;  // the current word's start, if in one
  for (; p < end; ++p) {
    const char c = *p;
    if (is_word_byte(c)) {
      if (!word) word = p;
      continue;
    }
    if (word) words_[words_n_++] = XXH3_64bits(word, static_cast<std::size_t>(p - word));
    word = nullptr;
    if (is_separator(c)) break;
    marked |= c == ':' || c == '@';
  }
  if (word) words_[words_n_++] = XXH3_64bits(word, static_cast<std::size_t>(p - word));
  const std::string_view c(chunk, static_cast<std::size_t>(p - chunk));
  if ((marked && is_link(c)) || is_www(c)) words_n_ = kept;
  return p;
}

// Shingle j hashes the word hashes j..j+k-1 (contiguous in words_) as one key; the
// default k hashed with a constant length, so only XXH3's path for it is compiled in.
void Signer::shingle() {
  if (words_n_ == 0) {
    shingles_.clear();
    return;
  }
  const std::size_t k = std::min<std::size_t>(k_, words_n_);
  shingles_.resize(words_n_ - k + 1);  // every element is written below
  const std::uint64_t* w = words_.data();
  std::uint64_t* out = shingles_.data();
  if (k == kDefaultShingleWords) {
    for (std::size_t j = 0; j < shingles_.size(); ++j)
      out[j] = XXH3_64bits(w + j, kDefaultShingleWords * sizeof(std::uint64_t));
  } else {
    for (std::size_t j = 0; j < shingles_.size(); ++j)
      out[j] = XXH3_64bits(w + j, k * sizeof(std::uint64_t));
  }
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

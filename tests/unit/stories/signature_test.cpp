// Tests (stories): the near-duplicate signature ignores what differs between copies
// of one story (markup, hard wraps, typographic quotes and dashes, links) and sees
// what differs between stories.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "newshound/stories/signature.hpp"

using namespace newshound;

namespace {

const char* kBody =
    "Dock workers at the port of Valmora stopped work on Tuesday after talks on pay broke down, "
    "leaving forty ships at anchor. \"We are done waiting,\" union leader Irena Kostava said - "
    "and the port authority's offer of a 6 percent rise remained on the table, its chief said.";

Article article_of(std::string headline, std::string body, BodyFormat format = BodyFormat::text) {
  Article a;
  a.id = "x";
  a.headline = std::move(headline);
  a.body = std::move(body);
  a.body_format = format;
  return a;
}

Signature sign(const Article& a) {
  Signer s;
  return s.sign(a);
}

}  // namespace

TEST_CASE("stories signature: copies in other markup, wraps, quotes and links sign alike") {
  const Signature base = sign(article_of("Valmora dockers strike", kBody));
  REQUIRE(base.shingles > 20);

  const std::string html =
      "<p>Dock workers at the port of <b>Valmora</b> stopped work on Tuesday after talks on "
      "pay broke down, leaving forty ships at anchor.</p>\n<p>&ldquo;We are done waiting,&rdquo; "
      "union leader <a href=\"https://example.org/k\">Irena Kostava</a> said &mdash; and the port "
      "authority&#8217;s offer of a 6 percent rise remained on the table, its chief said.</p>";
  CHECK(sign(article_of("Valmora dockers strike", html, BodyFormat::html)).simhash == base.simhash);

  const std::string wrapped =
      " Dock workers at the port of Valmora stopped work on Tuesday after talks on pay\n"
      "broke down, leaving forty ships at anchor. \u201cWe are done waiting,\u201d union leader\n"
      "[Irena Kostava](https://example.net/other) said \u2014 and the port authority\u2019s offer\n"
      "of a **6 percent** rise remained on the table, its chief said. \n"
      "https://www.example.net/video/123\n<https://example.net/x>\nwww.example.org/y\n";
  CHECK(sign(article_of("Valmora dockers strike", wrapped)).simhash == base.simhash);
}

TEST_CASE("stories signature: a different story is far, a changed word is near") {
  const Signature base = sign(article_of("Valmora dockers strike", kBody));
  std::string fixed = kBody;
  fixed.replace(fixed.find("forty"), 5, "fifty");
  const Signature near = sign(article_of("Valmora dockers strike", fixed));
  CHECK(near.simhash != base.simhash);
  CHECK(hamming(near.simhash, base.simhash) <= 12);

  const Signature other = sign(article_of(
      "Arland raises rates",
      "The Central Bank of Arland raised its main interest rate by a quarter point to 4.75 "
      "percent on Thursday, saying inflation in services was falling too slowly, and governor "
      "Mei Lin Hart said the bank was ready to act again if prices kept climbing this year."));
  CHECK(hamming(other.simhash, base.simhash) > 20);
}

TEST_CASE("stories signature: empty and short texts") {
  Signer s;
  const Signature empty = s.sign(article_of("", ""));
  CHECK(empty.shingles == 0);
  CHECK(empty.simhash == 0);
  CHECK(s.sign(article_of("", "<p></p> https://example.org", BodyFormat::html)).shingles == 0);

  const Signature two = s.sign(article_of("Two words", ""));
  CHECK(two.shingles == 1);  // fewer words than a shingle: one shingle of them all
  CHECK(s.shingles().size() == 1);
}

TEST_CASE("stories signature: a reused signer gives the same signature") {
  Signer s;
  const Article a = article_of("Valmora dockers strike", kBody);
  const Signature first = s.sign(a);
  s.sign(article_of("Something else", "entirely different words here"));
  const Signature again = s.sign(a);
  CHECK(first.simhash == again.simhash);
  CHECK(first.shingles == again.shingles);
}

TEST_CASE("stories signature: simhash and minhash helpers") {
  CHECK(simhash_of({}) == 0);
  CHECK(simhash_of({0xffULL, 0xffULL, 0x0fULL}) == 0xffULL);  // majority per bit
  CHECK(hamming(0, ~std::uint64_t{0}) == 64);

  std::vector<std::uint64_t> a, b;
  minhash_of({1, 2, 3, 4}, 64, a);
  minhash_of({1, 2, 3, 4}, 64, b);
  CHECK(a.size() == 64);
  CHECK(minhash_similarity(a, b) == 1.0);
  minhash_of({5, 6, 7, 8}, 64, b);
  CHECK(minhash_similarity(a, b) < 0.2);
  CHECK(minhash_similarity({}, b) == 0.0);
}

TEST_CASE("stories signature: simhash_of is the per-bit majority vote at every size") {
  // The counting adds eight features at a time (carry-save adders), the rest one by
  // one, into bit-sliced counters: sizes around those steps and powers of two,
  // random features, against a plain vote.
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  for (const std::size_t n : {0,  1,  2,   3,   7,   8,   9,   15,  16,   17,   63,
                              64, 65, 254, 255, 256, 509, 510, 511, 1000, 4096, 4097}) {
    std::vector<std::uint64_t> f(n);
    for (auto& v : f) v = next();
    std::uint64_t expected = 0;
    for (unsigned b = 0; b < 64; ++b) {
      long votes = 0;
      for (const auto v : f) votes += ((v >> b) & 1) ? 1 : -1;
      if (votes > 0) expected |= std::uint64_t{1} << b;
    }
    INFO("features: " << n);
    CHECK(simhash_of(f) == expected);
  }
  // Every feature the same: its bits exactly, at a size past one counter's range.
  CHECK(simhash_of(std::vector<std::uint64_t>(600, 0xf0f0a5a5deadbeefULL)) ==
        0xf0f0a5a5deadbeefULL);
  // A tie (exactly half the features have a bit) leaves the bit clear.
  for (const std::size_t n : {2, 16, 18, 1024}) {
    std::vector<std::uint64_t> f;
    for (std::size_t i = 0; i < n; ++i)
      f.push_back(i % 2 ? ~std::uint64_t{0} : 0x8000000000000001ULL);
    INFO("features: " << n);
    CHECK(simhash_of(f) == 0x8000000000000001ULL);
  }
}

namespace {

// The words as docs/stories.md defines them, byte by byte: white-space chunks
// (' ' or '\0' between them), a chunk with "://" or '@' or starting with "www."
// (after openers) dropped, every maximal run of ASCII letters, digits or
// non-ASCII bytes of the others one word. Each word's XXH3, then (one word a
// shingle) the XXH3 of that hash, as Signer hashes a shingle.
std::vector<std::uint64_t> reference_shingles(std::string_view text) {
  const auto word_byte = [](unsigned char c) {
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  };
  std::vector<std::uint64_t> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\0') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\0') ++j;
    const std::string_view chunk = text.substr(i, j - i);
    i = j;
    std::size_t lead = 0;
    while (lead < chunk.size() &&
           std::string_view("<([\"'").find(chunk[lead]) != std::string_view::npos)
      ++lead;
    if (chunk.find("://") != std::string_view::npos || chunk.find('@') != std::string_view::npos ||
        chunk.substr(lead).starts_with("www."))
      continue;
    for (std::size_t k = 0; k < chunk.size();) {
      if (!word_byte(static_cast<unsigned char>(chunk[k]))) {
        ++k;
        continue;
      }
      std::size_t e = k;
      while (e < chunk.size() && word_byte(static_cast<unsigned char>(chunk[e]))) ++e;
      const std::uint64_t w = XXH3_64bits(chunk.data() + k, e - k);
      out.push_back(XXH3_64bits(&w, sizeof w));
      k = e;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("stories signature: the words are those of the definition, at every length") {
  // Random texts of the bytes that matter (separators, marks, openers, "www.",
  // punctuation, non-ASCII, letters of both cases), with chunks shorter and
  // longer than the 64-byte window the signer classifies at a time, across
  // window edges, ending anywhere.
  const std::vector<std::string> pieces = {" ",
                                           "  ",
                                           std::string(1, '\0'),
                                           "a",
                                           "Zq",
                                           "said",
                                           "1987",
                                           "x9",
                                           ",",
                                           ".",
                                           "-",
                                           ":",
                                           "@",
                                           "://",
                                           "www.",
                                           "(www.",
                                           "<",
                                           "(",
                                           "\"",
                                           "'",
                                           "w",
                                           "ww",
                                           "\xC3\xA9",
                                           "\xD0\x96",
                                           "\xFF",
                                           "dock-workers",
                                           "internationalisation",
                                           "0123456789abcdef",
                                           "abcdefghijklmnop!",
                                           std::string(70, 'q') + ":"};
  std::uint64_t x = 0x2545f4914f6cdd1dULL;
  auto next = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  Signer signer(1);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t n = next() % 80;
    for (std::size_t k = 0; k < n; ++k) text += pieces[next() % pieces.size()];
    signer.sign_folded(text);
    INFO("text: " << text);
    REQUIRE(signer.shingles() == reference_shingles(text));
  }
}

TEST_CASE("stories signature: a warmed-up signer reuses its buffers") {
  Signer s;
  std::string longer;
  for (int i = 0; i < 20; ++i) longer += std::string(kBody) + " ";
  const Article big = article_of("Valmora", longer);
  s.sign(big);
  const auto* data = s.shingles().data();
  const auto capacity = s.shingles().capacity();
  s.sign(article_of("Short", "a few words only here"));
  s.sign(big);
  CHECK(s.shingles().data() == data);
  CHECK(s.shingles().capacity() == capacity);
}

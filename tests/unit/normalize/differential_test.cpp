// Stage: normalize (tests). Differential test of the fast folder (ASCII block path,
// run-length offset columns) against the frozen per-byte reference copy: the
// folded text and every offset must be identical, over generated fragments (markup,
// entities, combining marks, Latin letters of the ICU table, invalid UTF-8, white
// space of every kind), random bytes, and the Reuters corpus when ../shared/corpus
// is present.
#include <catch2/catch.hpp>

#include "gzip_lines.hpp"

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "newshound/decode/decoder.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "reference_normalizer.hpp"

using newshound::Article;
using newshound::BodyFormat;
using newshound::Markup;
using newshound::NormalizedArticle;
using newshound::Normalizer;
using newshound::OffsetColumn;
namespace reference = newshound::reference;

namespace {

/// The column expanded to one value per byte, read through operator[].
std::vector<std::uint32_t> expand(const OffsetColumn& c) {
  std::vector<std::uint32_t> v(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) v[i] = c[i];
  return v;
}

/// Returns "" if `got` equals `want`, else where they first differ.
std::string difference(const NormalizedArticle& got, const reference::Folded& want) {
  if (got.text != want.text) return "text: got '" + got.text + "' want '" + want.text + "'";
  if (got.body_offset != want.body_offset) return "body_offset";
  const auto b = expand(got.src_begin);
  const auto e = expand(got.src_end);
  for (std::size_t i = 0; i < want.text.size(); ++i) {
    if (b.size() != want.src_begin.size() || b[i] != want.src_begin[i])
      return "src_begin at " + std::to_string(i);
    if (e.size() != want.src_end.size() || e[i] != want.src_end[i])
      return "src_end at " + std::to_string(i);
  }
  return "";
}

const char* const kFragments[] = {
    "Reuters",
    "BAHIA",
    "cocoa",
    " ",
    "  ",
    "\n",
    "\n    ",
    "\t",
    "\r\n",
    ".",
    ",",
    "0123",
    "Ab",
    "Z",
    "@",
    "mln",
    "\x7f",
    "\x01",
    "caf\xC3\xA9",
    "Stra\xC3\x9F"
    "e",
    "\xD0\x9C\xD0\xBE",
    "\xE5\x8C\x97",
    "e\xCC\x81",
    "\xCC\x81",
    "\xEF\xAC\x83",
    "\xEF\xB7\xBA",
    "\xE2\x80\x8B",
    "\xC2\xA0",
    "\xE2\x80\x99",
    "\xE2\x80\x9C",
    "\xE2\x80\x94",
    "\xE2\x80\x83",
    "\xFF",
    "\xC3",
    "\xED\xA0\x80",
    "\x80",
    "\xF0\x9F\x98\x80",
    "&amp;",
    "&eacute;",
    "&#8217;",
    "&#x2019;",
    "&bogus;",
    "&#0;",
    "&",
    "&#",
    "<p>",
    "<b>",
    "</div>",
    "<!-- c -->",
    "<!--",
    "<script>x</script>",
    "<br/>",
    "<",
    ">",
    "<img src=x>",
    "[text](http://x)",
    "[",
    "]",
    "(",
    ")",
    "**",
    "__",
    "*",
    "_",
    "![img](u)",
    "!",
    "<STYLE>b{}</STYLE>",
    "<?xml ?>",
    "<!DOCTYPE html>",
    "&nbsp;",
    "Lavrov&rsquo;s",
    "\xE2\x80\xA8",
    "\xC2\x85",
    "\xC5\x81\xC3\xB3"
    "d\xC5\xBA",  // Łódź: Latin letters folded by the ICU table (issue 21)
    "S\xC3\xB8ren",
    "\xC4\x90oko",
    "\xC3\x86r\xC3\xB8",
    "\xC3\x9E\xC3\xB3r",
    "I\xC5\x9F\xC4\xB1k",
    "\xC5\x92",
    "\xC4\xA7",
    "\xC5\x8B",
    "\xC7\x85",      // U+01C5 Dž: compatibility decomposition
    "\xE1\xB4\xAD",  // U+1D2D: decomposes to Æ, then the table
    "\xEA\x9C\xB2",  // U+A732 Ꜳ: Latin Extended-D
    "&AElig;",
    "&oslash;",
};

std::string generated(std::mt19937& rng) {
  std::uniform_int_distribution<int> count(0, 40);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kFragments) - 1);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s;
  for (int k = count(rng); k > 0; --k) {
    if (kind(rng) == 0) {
      s.push_back(static_cast<char>(byte(rng)));
    } else {
      s += kFragments[pick(rng)];
    }
  }
  return s;
}

void check_field(std::string_view field, Markup markup) {
  NormalizedArticle got;
  reference::Folded want;
  Normalizer::append(field, markup, got);
  reference::append(field, markup, want);
  INFO("field: '" << std::string(field) << "' markup " << static_cast<int>(markup));
  CHECK(difference(got, want) == "");
}

}  // namespace

TEST_CASE("offset column reads back what was pushed", "[normalize][differential]") {
  OffsetColumn c;
  const std::vector<std::uint32_t> values = {0, 1, 2, 5, 5, 6, 9, 3, 4, 4, 100};
  for (std::uint32_t v : values) c.push_back(v);
  REQUIRE(c.size() == values.size());
  CHECK(expand(c) == values);
  CHECK(c.runs().size() == 7);  // 0 1 2 | 5 | 5 6 | 9 | 3 4 | 4 | 100
  c.clear();
  CHECK(c.empty());
  CHECK(c.runs().empty());
}

TEST_CASE("fast folding equals the reference on fixed edge cases", "[normalize][differential]") {
  for (Markup m : {Markup::text, Markup::markdown, Markup::html}) {
    check_field("", m);
    check_field(" ", m);
    check_field("a b", m);
    check_field("A B  C\nD\n\nE", m);
    check_field("0123456789abcdef 0123456789ABCDEF\n0123456789abcdef", m);  // block edges
    check_field("0123456789abcde  f", m);
    check_field("0123456789abcdef g", m);
    check_field("0123456789abcdefgh ", m);
    check_field("0123456789abcdef<b>x</b> &amp; y", m);
    check_field(" lead and trail \n", m);
  }
}

TEST_CASE("fast folding equals the reference on generated fields", "[normalize][differential]") {
  std::mt19937 rng(20261123);
  for (int k = 0; k < 3000; ++k) {
    const std::string s = generated(rng);
    for (Markup m : {Markup::text, Markup::markdown, Markup::html}) check_field(s, m);
  }
}

TEST_CASE("fast folding equals the reference on random bytes and ASCII",
          "[normalize][differential]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> len(0, 80);
  std::uniform_int_distribution<int> any(0, 255);
  std::uniform_int_distribution<int> ascii(0, 127);
  for (int k = 0; k < 2000; ++k) {
    std::string s(static_cast<std::size_t>(len(rng)), '\0');
    const bool only_ascii = k % 2 == 0;
    for (char& c : s) c = static_cast<char>(only_ascii ? ascii(rng) : any(rng));
    for (Markup m : {Markup::text, Markup::markdown, Markup::html}) check_field(s, m);
  }
}

TEST_CASE("fast article folding equals the reference, buffers reused",
          "[normalize][differential]") {
  std::mt19937 rng(42);
  Normalizer normalizer;
  NormalizedArticle got;  // reused: stale runs from the previous article must not leak
  reference::Folded want;
  for (int k = 0; k < 1000; ++k) {
    Article a;
    a.headline = generated(rng);
    a.body = generated(rng) + generated(rng);
    a.body_format = k % 2 ? BodyFormat::html : BodyFormat::text;
    normalizer.normalize(a, got);
    reference::normalize(a, want);
    INFO("headline '" << a.headline << "' body '" << a.body << "'");
    REQUIRE(difference(got, want) == "");
  }
}

TEST_CASE("fast folding equals the reference on the Reuters corpus", "[normalize][differential]") {
  const std::string path = std::string(NEWSHOUND_SHARED_DIR) + "/corpus/reuters21578.ndjson.gz";
  if (!std::filesystem::exists(path)) {
    WARN("SKIPPED: ../shared/corpus/reuters21578.ndjson.gz is absent");
    return;
  }
  const std::vector<std::string> lines = newshound::testing::read_gzip_lines(path);
  REQUIRE(lines.size() > 1000);
  newshound::Decoder decoder;
  Normalizer normalizer;
  NormalizedArticle got;
  reference::Folded want;
  std::size_t compared = 0;
  for (const std::string& line : lines) {
    Article a;
    if (decoder.decode(line, a) != newshound::DecodeError::ok) continue;
    for (BodyFormat f : {BodyFormat::text, BodyFormat::html}) {
      a.body_format = f;
      normalizer.normalize(a, got);
      reference::normalize(a, want);
      const std::string diff = difference(got, want);
      if (!diff.empty()) FAIL(a.headline << ": " << diff);
      ++compared;
    }
  }
  CHECK(compared > 2000);
}

// Stage: normalize. The generated Latin-ASCII fold table and its lookup (see
// latin_ascii.hpp). The table (generated/normalize/latin_ascii_table.inc, written by
// src/normalize/gen/latin_ascii_gen.cpp from ICU) is sorted by code point; a
// compile-time index by the code point's high byte narrows a lookup to the entries of
// one 256-code-point block, so text outside the Latin blocks costs one array read.
#include "latin_ascii.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

namespace newshound::normalize_detail {
namespace {

/// One table entry: a code point and its ASCII spelling, NUL-padded.
struct LatinFold {
  char32_t cp;
  char ascii[4];
};

constexpr LatinFold kTable[] = {
#include "normalize/latin_ascii_table.inc"
};
constexpr std::size_t kEntries = std::size(kTable);

constexpr bool sorted() {
  for (std::size_t i = 1; i < kEntries; ++i) {
    if (kTable[i - 1].cp >= kTable[i].cp) return false;
  }
  return true;
}
static_assert(sorted(), "the generated Latin-ASCII table must be sorted by code point");

/// Code points at or past this have no entry (all Latin blocks lie below U+10000).
constexpr char32_t kEnd = 0x10000;

/// For each high byte h, the entries of block [h << 8, (h + 1) << 8): [first, last).
struct Range {
  std::uint16_t first;
  std::uint16_t last;
};
static_assert(kEntries < 0xFFFF, "the block index holds 16-bit entry numbers");

constexpr std::array<Range, (kEnd >> 8)> make_index() {
  std::array<Range, (kEnd >> 8)> index{};
  for (std::size_t i = 0; i < kEntries; ++i) {
    Range& r = index[kTable[i].cp >> 8];
    if (r.first == r.last) r.first = static_cast<std::uint16_t>(i);
    r.last = static_cast<std::uint16_t>(i + 1);
  }
  return index;
}
constexpr auto kIndex = make_index();

}  // namespace

std::string_view latin_ascii(char32_t cp) {
  if (cp >= kEnd) return {};
  const Range r = kIndex[cp >> 8];
  const LatinFold* const first = kTable + r.first;
  const LatinFold* const last = kTable + r.last;
  const LatinFold* it =
      std::lower_bound(first, last, cp, [](const LatinFold& f, char32_t c) { return f.cp < c; });
  if (it == last || it->cp != cp) return {};
  return it->ascii;
}

}  // namespace newshound::normalize_detail

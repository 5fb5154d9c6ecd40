// Stage: normalize (private). FoldWriter appends folded bytes to a NormalizedArticle
// together with their source offsets, collapsing white space runs; it owns the
// per-code-point folding rules (case fold, diacritics, typographic punctuation).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "newshound/normalize/normalized_article.hpp"

namespace newshound::normalize_detail {

/// Byte classes of the ASCII fast path (bit flags).
enum ByteClass : std::uint8_t {
  kSpace = 1,     ///< white space or control character: folds to a space run
  kMarkdown = 2,  ///< may start Markdown markup: [ ] ! * _
  kHtml = 4,      ///< may start HTML markup: < &
  kHigh = 8,      ///< byte >= 0x80: decode and fold the code point
};

namespace tables {
constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kSpace;  // controls, including '\0', fold to space
  t[' '] = kSpace;
  t[0x7F] = kSpace;
  for (unsigned char c : {'[', ']', '!', '*', '_'}) t[c] = kMarkdown;
  t['<'] = kHtml;
  t['&'] = kHtml;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kHigh;
  return t;
}

constexpr std::array<char, 256> make_lower() {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = static_cast<char>((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
  }
  return t;
}
}  // namespace tables

/// Class flags for each byte value.
inline constexpr std::array<std::uint8_t, 256> kByteClass = tables::make_classes();
/// ASCII lower-casing table (identity for bytes that are not upper-case letters).
inline constexpr std::array<char, 256> kLowerByte = tables::make_lower();

/// Writes one field's folding into `out`, starting at its current end. Keeps raw
/// pointers into the (resized) output arrays; finish() trims them to the written
/// size, so capacity is kept and steady state allocates nothing. White space is
/// held back as a pending run and written as one ' ' only before the next visible
/// byte of the same field, so leading and trailing white space is dropped.
class FoldWriter {
 public:
  FoldWriter(NormalizedArticle& out, std::size_t field_size)
      : out_(out), start_(out.text.size()), w_(start_) {
    grow(field_size + 16);
  }
  FoldWriter(const FoldWriter&) = delete;
  FoldWriter& operator=(const FoldWriter&) = delete;

  /// An ASCII byte known not to be white space, already lower-cased.
  void byte(char c, std::uint32_t b, std::uint32_t e) {
    if (cap_ - w_ < 2) grow(2);
    if (pending_) put_space();
    t_[w_] = c;
    sb_[w_] = b;
    se_[w_] = e;
    ++w_;
  }

  /// The ASCII fast path: writes the run of bytes from s[i] that have no class bit
  /// in `mask` (visible ASCII for that markup), lower-cased; returns the index past
  /// the run. Output never outgrows input here, so one capacity check covers it.
  std::size_t plain_run(const unsigned char* s, std::size_t i, std::size_t n, std::uint8_t mask) {
    if (cap_ - w_ < n - i + 1) grow(n - i + 1);
    if (pending_) put_space();
    std::size_t w = w_;
    for (; i < n; ++i) {
      const unsigned char c = s[i];
      if (kByteClass[c] & mask) break;
      t_[w] = kLowerByte[c];
      sb_[w] = static_cast<std::uint32_t>(i);
      se_[w] = static_cast<std::uint32_t>(i + 1);
      ++w;
    }
    w_ = w;
    return i;
  }

  /// White space (or markup acting as white space) covering source bytes [b, e).
  void space(std::uint32_t b, std::uint32_t e) {
    if (!pending_) {
      pending_ = true;
      ws_begin_ = b;
    }
    ws_end_ = e;
  }

  /// Folds any code point (ASCII or not, a valid scalar value) from source [b, e).
  void code_point(char32_t cp, std::uint32_t b, std::uint32_t e) {
    if (cp < 0x80) {
      const auto c = static_cast<unsigned char>(cp);
      if (kByteClass[c] & kSpace) {
        space(b, e);
      } else {
        byte(kLowerByte[c], b, e);
      }
      return;
    }
    wide(cp, b, e);
  }

  /// Trims the arrays to what was written; call once, after the last write.
  void finish() {
    out_.text.resize(w_);
    out_.src_begin.resize(w_);
    out_.src_end.resize(w_);
    cap_ = w_;
  }

 private:
  void wide(char32_t cp, std::uint32_t b, std::uint32_t e);    // non-ASCII code point
  void folded(char32_t cp, std::uint32_t b, std::uint32_t e);  // one already-folded cp
  void grow(std::size_t extra);

  void put_space() {
    pending_ = false;
    if (w_ == start_) return;  // leading white space of the field
    t_[w_] = ' ';
    sb_[w_] = ws_begin_;
    se_[w_] = ws_end_;
    ++w_;
  }

  NormalizedArticle& out_;
  std::size_t start_;
  std::size_t w_;
  std::size_t cap_ = 0;
  char* t_ = nullptr;
  std::uint32_t* sb_ = nullptr;
  std::uint32_t* se_ = nullptr;
  bool pending_ = false;
  std::uint32_t ws_begin_ = 0;
  std::uint32_t ws_end_ = 0;
};

}  // namespace newshound::normalize_detail

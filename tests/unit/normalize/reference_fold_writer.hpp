// Stage: normalize (tests; frozen reference copy of src/normalize, do not optimise). TextWriter
// appends the text read from one field, with source offsets, collapsing white space runs. In `fold`
// mode (FoldWriter, for matching) it applies the per-code-point folding rules (case fold,
// diacritics, typographic punctuation); in `keep` mode (PlainWriter, for humans)
// it writes the code points unchanged. The markup readers drive either one.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newshound::reference_detail {

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

/// What a TextWriter does to each code point.
enum class WriteMode : std::uint8_t {
  fold,  ///< case fold, strip diacritics, typographic punctuation to ASCII
  keep,  ///< unchanged (only white space is collapsed)
};

/// Writes one field's text into `text` (and, when given, the source offsets into
/// `begin`/`end`), starting at their current end. Keeps raw pointers into the
/// (resized) output arrays; finish() trims them to the written size, so capacity
/// is kept and steady state allocates nothing. White space is held back as a
/// pending run and written as one ' ' only before the next visible byte of the
/// same field, so leading and trailing white space is dropped. In fold mode both
/// offset arrays are required; in keep mode either may be null.
template <WriteMode Mode>
class TextWriter {
 public:
  TextWriter(std::string& text, std::vector<std::uint32_t>* begin, std::vector<std::uint32_t>* end,
             std::size_t field_size)
      : text_(text), begin_(begin), end_(end), start_(text.size()), w_(start_) {
    grow(field_size + 16);
  }
  TextWriter(const TextWriter&) = delete;
  TextWriter& operator=(const TextWriter&) = delete;

  /// An ASCII byte known not to be white space (lower-cased already in fold mode).
  void byte(char c, std::uint32_t b, std::uint32_t e) {
    if (cap_ - w_ < 2) grow(2);
    if (pending_) put_space();
    put(c, b, e);
  }

  /// The ASCII fast path: writes the run of bytes from s[i] that have no class bit
  /// in `mask` (visible ASCII for that markup), lower-cased in fold mode; returns
  /// the index past the run. Output never outgrows input here, so one capacity
  /// check covers it.
  std::size_t plain_run(const unsigned char* s, std::size_t i, std::size_t n, std::uint8_t mask) {
    if (cap_ - w_ < n - i + 1) grow(n - i + 1);
    if (pending_) put_space();
    // Locals, not members: stores through char* could alias the members.
    char* const t = t_;
    std::uint32_t* const sb = sb_;
    std::uint32_t* const se = se_;
    std::size_t w = w_;
    for (; i < n; ++i) {
      const unsigned char c = s[i];
      if (kByteClass[c] & mask) break;
      t[w] = Mode == WriteMode::fold ? kLowerByte[c] : static_cast<char>(c);
      if (Mode == WriteMode::fold || sb) sb[w] = static_cast<std::uint32_t>(i);
      if (Mode == WriteMode::fold || se) se[w] = static_cast<std::uint32_t>(i + 1);
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

  /// Writes any code point (ASCII or not, a valid scalar value) from source [b, e).
  void code_point(char32_t cp, std::uint32_t b, std::uint32_t e) {
    if (cp < 0x80) {
      const auto c = static_cast<unsigned char>(cp);
      if (kByteClass[c] & kSpace) {
        space(b, e);
      } else {
        byte(Mode == WriteMode::fold ? kLowerByte[c] : static_cast<char>(c), b, e);
      }
      return;
    }
    wide(cp, b, e);
  }

  /// Trims the arrays to what was written; call once, after the last write.
  void finish() {
    text_.resize(w_);
    if (begin_) begin_->resize(w_);
    if (end_) end_->resize(w_);
    cap_ = w_;
  }

 private:
  void wide(char32_t cp, std::uint32_t b, std::uint32_t e);     // non-ASCII code point
  void folded(char32_t cp, std::uint32_t b, std::uint32_t e);   // one already-folded cp
  void encoded(char32_t cp, std::uint32_t b, std::uint32_t e);  // cp as UTF-8, as is
  void grow(std::size_t extra);

  /// One byte with its offsets; capacity checked by the caller.
  void put(char c, std::uint32_t b, std::uint32_t e) {
    t_[w_] = c;
    if (Mode == WriteMode::fold || sb_) sb_[w_] = b;
    if (Mode == WriteMode::fold || se_) se_[w_] = e;
    ++w_;
  }

  void put_space() {
    pending_ = false;
    if (w_ == start_) return;  // leading white space of the field
    put(' ', ws_begin_, ws_end_);
  }

  std::string& text_;
  std::vector<std::uint32_t>* begin_;
  std::vector<std::uint32_t>* end_;
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

/// Folds for matching, into a NormalizedArticle's three arrays.
using FoldWriter = TextWriter<WriteMode::fold>;
/// Renders for humans: code points kept, white space collapsed.
using PlainWriter = TextWriter<WriteMode::keep>;

extern template class TextWriter<WriteMode::fold>;
extern template class TextWriter<WriteMode::keep>;

}  // namespace newshound::reference_detail

// Stage: normalize (private). TextWriter appends the text read from one field,
// with source offsets, collapsing white space runs. In `fold` mode (FoldWriter,
// for matching) it applies the per-code-point folding rules (case fold,
// diacritics, Latin letters to ASCII, typographic punctuation) and records offsets as runs
// (OffsetColumn); in `keep` mode (PlainWriter, for humans) it writes the code points unchanged,
// with per-byte offsets. The markup readers drive either one.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ascii_block.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/normalize/normalizer.hpp"

namespace newshound::normalize_detail {

/// What a TextWriter does to each code point.
enum class WriteMode : std::uint8_t {
  fold,  ///< case fold, strip diacritics, Latin letters and typographic punctuation to ASCII
  keep,  ///< unchanged (only white space is collapsed)
};

/// Writes one field's text into `text` (and the source offsets), starting at their
/// current end. Keeps a raw pointer into the (resized) text; finish() trims it to
/// the written size, so capacity is kept and steady state allocates nothing. White
/// space is held back as a pending run and written as one ' ' only before the next
/// visible byte of the same field, so leading and trailing white space is dropped.
/// Fold mode writes both offset columns as runs: a byte whose offsets continue the
/// current runs (source advances with the text) costs no offset write. Keep mode
/// writes per-byte offsets into `begin`/`end`, either of which may be null.
template <WriteMode Mode>
class TextWriter {
 public:
  /// Fold mode: appends to `text` and the two run-length columns.
  TextWriter(std::string& text, OffsetColumn& begin, OffsetColumn& end, std::size_t field_size)
      : text_(text), cb_(&begin), ce_(&end), start_(text.size()), w_(start_) {
    grow(field_size + kBlock);
  }
  /// Keep mode: appends to `text` and, when given, the per-byte offset vectors.
  TextWriter(std::string& text, ByteOffsets* begin, ByteOffsets* end, std::size_t field_size)
      : text_(text), begin_(begin), end_(end), start_(text.size()), w_(start_) {
    grow(field_size + kBlock);
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
  /// the index past the run. In fold mode a single white-space byte between two
  /// such bytes is part of the run too (it folds to ' ' with its own offsets, as
  /// the slow path would write it), and 16 bytes are classified at a time (in
  /// keep mode too, the bytes copied instead of lower-cased). Output
  /// never outgrows input here, so one capacity check covers it.
  std::size_t plain_run(const unsigned char* s, std::size_t i, std::size_t n, std::uint8_t mask) {
    if (cap_ - w_ < n - i + kBlock) grow(n - i + kBlock);
    if (pending_) put_space();
    if constexpr (Mode == WriteMode::fold) {
      const std::size_t from = i;
      const std::size_t w0 = w_;
      i = fold_ascii_run(s, i, n, mask, t_ + w_);
      w_ += i - from;
      // Byte w0 + k came from source byte from + k: one run per column at most.
      if (from != next_b_)
        cb_->add_run(static_cast<std::uint32_t>(w0), static_cast<std::uint32_t>(from));
      if (from + 1 != next_e_)
        ce_->add_run(static_cast<std::uint32_t>(w0), static_cast<std::uint32_t>(from + 1));
      next_b_ = i;
      next_e_ = i + 1;
      return i;
    } else {
      // The same block loop, copying instead of lower-casing; a white-space byte
      // inside the run is the ' ' the slow path would write for it (its own
      // offsets: a run of one). Then the offsets, which advance with the text.
      const std::size_t from = i;
      i = fold_ascii_run<false>(s, i, n, mask, t_ + w_);
      // Locals, not members: stores through pointers could alias the members.
      std::uint32_t* const sb = begin_ ? begin_->data() + w_ : nullptr;
      std::uint32_t* const se = end_ ? end_->data() + w_ : nullptr;
      const std::size_t len = i - from;
      if (sb)
        for (std::size_t k = 0; k < len; ++k) sb[k] = static_cast<std::uint32_t>(from + k);
      if (se)
        for (std::size_t k = 0; k < len; ++k) se[k] = static_cast<std::uint32_t>(from + k + 1);
      w_ += len;
      return i;
    }
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

  /// True once a non-ASCII code point was written (fold mode: one left unfolded).
  bool wrote_non_ascii() const { return non_ascii_; }

  /// Trims the outputs to what was written; call once, after the last write.
  void finish() {
    text_.resize(w_);
    if constexpr (Mode == WriteMode::fold) {
      cb_->set_size(w_);
      ce_->set_size(w_);
    } else {
      if (begin_) begin_->resize(w_);
      if (end_) end_->resize(w_);
    }
    cap_ = w_;
  }

 private:
  /// Sentinel for "no run to continue": never equal to a 32-bit offset.
  static constexpr std::uint64_t kNoRun = std::uint64_t{1} << 32;

  void wide(char32_t cp, std::uint32_t b, std::uint32_t e);          // non-ASCII code point
  void folded(char32_t cp, std::uint32_t b, std::uint32_t e);        // one already-folded cp
  void encoded(char32_t cp, std::uint32_t b, std::uint32_t e);       // cp as UTF-8, as is
  void ascii(std::string_view a, std::uint32_t b, std::uint32_t e);  // a Latin letter's spelling
  void grow(std::size_t extra);

  /// One byte with its offsets; capacity checked by the caller.
  void put(char c, std::uint32_t b, std::uint32_t e) {
    t_[w_] = c;
    if constexpr (Mode == WriteMode::fold) {
      if (b != next_b_) cb_->add_run(static_cast<std::uint32_t>(w_), b);
      if (e != next_e_) ce_->add_run(static_cast<std::uint32_t>(w_), e);
      next_b_ = std::uint64_t{b} + 1;
      next_e_ = std::uint64_t{e} + 1;
    } else {
      if (begin_) (*begin_)[w_] = b;
      if (end_) (*end_)[w_] = e;
    }
    ++w_;
  }

  void put_space() {
    pending_ = false;
    if (w_ == start_) return;  // leading white space of the field
    put(' ', ws_begin_, ws_end_);
  }

  std::string& text_;
  OffsetColumn* cb_ = nullptr;  // fold mode
  OffsetColumn* ce_ = nullptr;
  std::uint64_t next_b_ = kNoRun;  // fold mode: the offsets that would continue the runs
  std::uint64_t next_e_ = kNoRun;
  ByteOffsets* begin_ = nullptr;  // keep mode
  ByteOffsets* end_ = nullptr;
  std::size_t start_;
  std::size_t w_;
  std::size_t cap_ = 0;
  char* t_ = nullptr;
  bool pending_ = false;
  bool non_ascii_ = false;
  std::uint32_t ws_begin_ = 0;
  std::uint32_t ws_end_ = 0;
};

/// Folds for matching, into a NormalizedArticle's text and offset columns.
using FoldWriter = TextWriter<WriteMode::fold>;
/// Renders for humans: code points kept, white space collapsed.
using PlainWriter = TextWriter<WriteMode::keep>;

extern template class TextWriter<WriteMode::fold>;
extern template class TextWriter<WriteMode::keep>;

}  // namespace newshound::normalize_detail

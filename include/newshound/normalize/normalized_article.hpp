// Stage: normalize. The third hand-off type: an article's searchable text, folded
// once, with a run-length map from every folded byte back to the original field bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"

namespace newshound {

/// Stable lower-case name ("headline", "body", "description") used in alerts.
/// (Field itself is declared with the Article, newshound/decode/article.hpp.)
std::string_view to_string(Field f);

/// One column of a folded text's offset map (source begin or source end of each
/// folded byte), stored as runs: from folded position `pos` on, the value grows by
/// one per byte (value(i) = run.value + (i - run.pos)) until the next run starts.
/// ASCII text, where one source byte gives one folded byte, is a single run; a run
/// starts wherever that stops (collapsed white space, markup, non-ASCII). Reads like
/// a read-only std::vector<std::uint32_t>: operator[] is a binary search over the
/// runs, O(log runs), meant for the few positions a match needs. Owns its storage;
/// clear() keeps capacity, so a reused column allocates nothing once warmed up.
class OffsetColumn {
 public:
  struct Run {
    std::uint32_t pos;    ///< first folded byte of the run
    std::uint32_t value;  ///< offset of that byte
  };

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// The offset of folded byte i; requires i < size() (like vector::operator[]).
  std::uint32_t operator[](std::size_t i) const {
    const auto it = std::upper_bound(runs_.begin(), runs_.end(), i,
                                     [](std::size_t k, const Run& r) { return k < r.pos; });
    const Run& r = *(it - 1);
    return r.value + static_cast<std::uint32_t>(i - r.pos);
  }

  void clear() {
    runs_.clear();
    size_ = 0;
  }

  /// Appends one byte's offset (starts a run only if `v` does not continue the last).
  void push_back(std::uint32_t v) {
    if (size_ == 0 || runs_.empty() ||
        runs_.back().value + static_cast<std::uint32_t>(size_ - runs_.back().pos) != v)
      runs_.push_back({static_cast<std::uint32_t>(size_), v});
    ++size_;
  }

  /// For the normalizer: starts a run at folded byte `pos` (>= size(), > the last
  /// run's pos) with offset `value`; set_size() then covers the bytes written.
  void add_run(std::uint32_t pos, std::uint32_t value) { runs_.push_back({pos, value}); }
  void set_size(std::size_t n) { size_ = n; }

  /// The runs, ordered by pos (the first, if any, at pos 0).
  const std::vector<Run>& runs() const { return runs_; }

 private:
  std::vector<Run> runs_;
  std::size_t size_ = 0;
};

/// One article text value's part of NormalizedArticle::text: folded [begin, end).
struct TextSegment {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  Field field = Field::headline;
};

/// The folded text of one article: its text values in Article order (main headline,
/// main body, then the other headlines, bodies and descriptions), each followed by a
/// single '\0' separator except the last; segment i is Article text value i. With
/// only a headline and a body that is headline '\0' body. Folding (see
/// docs/matching.md): Unicode case fold, diacritics removed (NFKD minus combining
/// marks), typographic quotes/apostrophes/dashes to ASCII, every run of white space to
/// one ' ', markup removed (HTML tags and entities in HTML values; Markdown links and
/// `**`/`__` in text). Never contains '\0' except the separators.
///
/// For each byte i of `text`, `src_begin[i]`/`src_end[i]` give the byte range, in
/// the original text value, of the source character that produced it; so a folded
/// span [s, e) maps back to the original span [src_begin[s], src_end[e-1]).
/// Offsets are relative to the value the byte came from; a ' ' that stands for a
/// white-space run covers the whole run (including block tags and markup inside it);
/// all bytes of an expansion (ss from the German sharp s) share their source range;
/// the separators' entries are 0. Both columns have text.size() entries, stored
/// run-length encoded (see OffsetColumn). The text is at most 4 GiB.
/// Owned by one worker and reused: clear() keeps capacity.
///
/// `segments` may be left empty by code that builds the text by hand (tests): the
/// text is then read as headline '\0' body with the body at `body_offset`.
struct NormalizedArticle {
  std::string text;
  OffsetColumn src_begin;
  OffsetColumn src_end;
  std::uint32_t body_offset = 0;  ///< index in `text` of the main body's first byte
  std::vector<TextSegment> segments;
  /// True when `text` kept a non-ASCII code point (a letter of a non-Latin script,
  /// a symbol, U+FFFD): set by the normalizer on its slow path, never by the ASCII
  /// one. The match stage builds the transliterated view (transliterator.hpp) only
  /// then. Code that builds the text by hand sets it itself (false: no view).
  bool non_ascii = false;

  void clear() {
    non_ascii = false;
    text.clear();
    src_begin.clear();
    src_end.clear();
    body_offset = 0;
    segments.clear();
  }

  /// Number of segments (2 when `segments` is empty: headline and body).
  std::size_t segment_count() const { return segments.empty() ? 2 : segments.size(); }

  /// Segment i (< segment_count()).
  TextSegment segment(std::size_t i) const {
    if (!segments.empty()) return segments[i];
    if (i == 0) return {0, body_offset > 0 ? body_offset - 1 : 0, Field::headline};
    return {body_offset, static_cast<std::uint32_t>(text.size()), Field::body};
  }

  /// The segment holding folded position `pos` (a separator belongs to the segment
  /// before it).
  std::uint32_t segment_at(std::uint32_t pos) const {
    if (segments.empty()) return pos < body_offset ? 0 : 1;
    const auto it =
        std::upper_bound(segments.begin(), segments.end(), pos,
                         [](std::uint32_t p, const TextSegment& s) { return p < s.begin; });
    return it == segments.begin() ? 0 : static_cast<std::uint32_t>(it - segments.begin() - 1);
  }

  Field field_at(std::uint32_t pos) const { return segment(segment_at(pos)).field; }
};

}  // namespace newshound

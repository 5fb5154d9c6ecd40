// Stage: normalize. The third hand-off type: an article's searchable text, folded
// once, with a run-length map from every folded byte back to the original field bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newshound {

/// Which article field a match lies in.
enum class Field : std::uint8_t { headline, body };

/// Stable lower-case name ("headline", "body") used in alerts.
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

/// The folded text of one article: headline, then a single '\0' separator, then the
/// body. Folding (see docs/matching.md): Unicode case fold, diacritics removed
/// (NFKD minus combining marks), typographic quotes/apostrophes/dashes to ASCII,
/// every run of white space to one ' ', markup removed (HTML tags and entities in
/// HTML bodies; Markdown links and `**`/`__` in text). Never contains '\0' except
/// the separator.
///
/// For each byte i of `text`, `src_begin[i]`/`src_end[i]` give the byte range, in
/// the original field value, of the source character that produced it; so a folded
/// span [s, e) maps back to the original span [src_begin[s], src_end[e-1]).
/// Offsets are relative to the field (headline or body) the byte came from; a ' '
/// that stands for a white-space run covers the whole run (including block tags and
/// markup inside it); all bytes of an expansion (ß -> ss) share their source range;
/// the separator's entries are 0. Both columns have text.size() entries, stored
/// run-length encoded (see OffsetColumn). The text is at most 4 GiB.
/// Owned by one worker and reused: clear() keeps capacity.
struct NormalizedArticle {
  std::string text;
  OffsetColumn src_begin;
  OffsetColumn src_end;
  std::uint32_t body_offset = 0;  ///< index in `text` of the first body byte (after '\0')

  void clear() {
    text.clear();
    src_begin.clear();
    src_end.clear();
    body_offset = 0;
  }

  Field field_at(std::uint32_t pos) const {
    return pos < body_offset ? Field::headline : Field::body;
  }
};

}  // namespace newshound

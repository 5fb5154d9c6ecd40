// Stage: encode. SnippetWriter: the words around a match (snippet()), written into
// a caller's buffer with the writer's reusable scratch, and the work counters that
// tests use to prove a snippet costs a bounded window, not the field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/normalize/normalizer.hpp"

namespace newshound {

/// What SnippetWriter::append() did, summed since the last reset(): how many
/// snippets, how many windows were rendered (a window shared by several matches
/// of a field is rendered once), and the bytes of the original field examined
/// (markup searches plus rendered windows). Each snippet examines at most a
/// bounded window, so the sum grows linearly with the number of matches.
struct SnippetStats {
  std::uint64_t snippets = 0;
  std::uint64_t renders = 0;
  std::uint64_t bytes_examined = 0;
};

/// Writes snippets. Holds the rendered window of the last snippet and reuses it
/// for the next snippet of the same field with the same window (the common case
/// in a headline and in short bodies); a window of text without markup is
/// rendered with up to as much text again after it, and the next matches'
/// windows inside that region are cut from it, so dense matches in a long body
/// share one rendering. In steady state it allocates nothing.
/// One per thread; not thread-safe.
class SnippetWriter {
 public:
  /// With `share_regions` false every window is rendered on its own, never cut
  /// from a larger region (snippet() does so: the reference for the sharing).
  explicit SnippetWriter(bool share_regions = true) : share_regions_(share_regions) {}

  /// Appends to `out` exactly what snippet() returns for the same arguments.
  /// Never throws except std::bad_alloc.
  void append(std::string& out, std::string_view field, std::uint32_t start, std::uint32_t end,
              Markup markup, int words = 6);

  /// Drops the remembered window. Call it whenever the bytes a previous `field`
  /// view pointed at may have changed (e.g. at the start of every article).
  void forget() { window_valid_ = false; }

  const SnippetStats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }

 private:
  /// A window's rendering: text and, per byte, its source offset from `base`.
  struct Window {
    std::string_view text;
    std::span<const std::uint32_t> src;
    std::size_t base;
  };
  /// The rendering of field bytes [lo, hi), from the held region or rendered.
  Window window(std::string_view s, std::size_t lo, std::size_t hi, Markup markup);
  /// The piece [lo, hi) of the held markup-free region.
  Window piece(std::size_t lo, std::size_t hi) const;

  std::string text_;  ///< the rendered region
  ByteOffsets src_;   ///< per byte of text_: its offset in the region
  // The region text_ holds: field bytes [lo, hi) of the field at data/size; free:
  // markup free, cut at code point boundaries (its pieces are windows).
  const char* window_data_ = nullptr;
  std::size_t window_size_ = 0;
  std::size_t window_lo_ = 0;
  std::size_t window_hi_ = 0;
  Markup window_markup_ = Markup::text;
  bool window_free_ = false;
  bool share_regions_ = true;
  bool window_valid_ = false;
  SnippetStats stats_;
};

}  // namespace newshound

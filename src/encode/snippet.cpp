// Stage: encode. snippet(): the words around a match, for humans reading an alert.
// Takes a bounded region of the ORIGINAL field around the match (so a huge body
// costs no more than a small one), renders it with the normalize stage's
// render_plain() (markup removed, entities decoded, white space collapsed, invalid
// UTF-8 replaced), then keeps whole words on each side of the match, capped in
// bytes, and marks what was cut with "…". Every search is bounded by that region,
// so a snippet costs O(region) whatever the field's length (SnippetStats counts it),
// and SnippetWriter renders a region shared by several matches only once.
#include "newshound/encode/snippet.hpp"

#include <algorithm>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {

namespace {

constexpr std::size_t kBytesPerWord = 32;  // output cap per side: (words+1) * this
constexpr std::size_t kScanPerWord = 256;  // input read per side: (words+1) * this
constexpr std::size_t npos = std::string_view::npos;
const std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

/// True if `c` is one of the (few) `chars`: a loop, where find_first_of() would
/// call memchr once per byte searched.
bool one_of(char c, std::string_view chars) {
  for (const char x : chars)
    if (c == x) return true;
  return false;
}

/// True if a UTF-8 decoder reading `s` from a code point boundary never reads
/// across s[k]: k is an end of `s` or s[k] is not a continuation byte.
bool boundary(std::string_view s, std::size_t k) {
  return k == 0 || k >= s.size() || !utf8::is_continuation(s[k]);
}

/// Index of the first of `chars` in s[from, to), or npos. Reads only s[from, to)
/// and counts those bytes in `examined`.
std::size_t first_of(std::string_view s, std::size_t from, std::size_t to, std::string_view chars,
                     std::uint64_t& examined) {
  if (to <= from) return npos;
  examined += to - from;
  for (std::size_t k = from; k < to; ++k)
    if (one_of(s[k], chars)) return k;
  return npos;
}

/// Index of the last of `chars` in s[from, to), or npos. Reads only s[from, to)
/// (never back to the start of `s`) and counts those bytes in `examined`.
std::size_t last_of(std::string_view s, std::size_t from, std::size_t to, std::string_view chars,
                    std::uint64_t& examined) {
  if (to <= from) return npos;
  examined += to - from;
  for (std::size_t k = to; k > from; --k)
    if (one_of(s[k - 1], chars)) return k - 1;
  return npos;
}

/// A region that starts at `lo` > 0 may start inside a markup construct whose
/// opening lies before it (the rest of an HTML tag, "](url)" or a url of a Markdown
/// link), which would render as text: moves `lo` past it, not beyond `limit`.
std::size_t skip_cut_markup(std::string_view s, std::size_t lo, std::size_t limit, Markup m,
                            std::uint64_t& examined) {
  std::size_t past = npos;
  if (m == Markup::html) {
    const std::size_t k = first_of(s, lo, limit, "<>", examined);
    if (k != npos && s[k] == '>') past = k + 1;  // inside a tag
  } else if (m == Markup::markdown) {
    const std::size_t k = first_of(s, lo, limit, "[]()", examined);
    if (k != npos && s[k] == ')') past = k + 1;  // inside a url
    if (k != npos && s[k] == ']' && k + 1 < limit && s[k + 1] == '(') {
      const std::size_t close = first_of(s, k + 2, limit, ")", examined);
      if (close != npos) past = close + 1;  // inside a link's text
    }
  }
  return past != npos && past <= limit ? past : lo;
}

/// A region that ends at `hi` < s.size() may end inside a construct that opens
/// before it (an HTML tag, a Markdown link): moves `hi` back before its opening,
/// not below `limit`.
std::size_t cut_open_markup(std::string_view s, std::size_t limit, std::size_t hi, Markup m,
                            std::uint64_t& examined) {
  std::size_t k = npos;
  if (m == Markup::html) {
    k = last_of(s, limit, hi, "<>", examined);
    if (k != npos && s[k] != '<') k = npos;
  } else if (m == Markup::markdown) {
    k = last_of(s, limit, hi, "[)", examined);
    if (k != npos && s[k] != '[') k = npos;
  }
  return k != npos ? k : hi;
}

/// True if a cut at s[k] (0 < k < s.size()) may split a word: no ASCII white space
/// (nor, in HTML, a tag) on either side of it.
bool splits_word(std::string_view s, std::size_t k, Markup m) {
  const auto before = static_cast<unsigned char>(s[k - 1]);
  const auto at = static_cast<unsigned char>(s[k]);
  if (before <= ' ' || at <= ' ') return false;
  return m != Markup::html || (before != '>' && at != '<');
}

std::size_t word_start(std::string_view t, std::size_t i) {
  while (i > 0 && t[i - 1] != ' ') --i;
  return i;
}

std::size_t word_end(std::string_view t, std::size_t i) {
  while (i < t.size() && t[i] != ' ') ++i;
  return i;
}

}  // namespace

SnippetWriter::Window SnippetWriter::window(std::string_view s, std::size_t lo, std::size_t hi,
                                            Markup markup) {
  const bool same_field = window_valid_ && window_data_ == s.data() && window_size_ == s.size() &&
                          window_markup_ == markup;
  if (same_field && window_lo_ == lo && window_hi_ == hi) return {text_, src_, lo};
  if (same_field && window_free_ && window_lo_ <= lo && hi <= window_hi_ && boundary(s, lo) &&
      boundary(s, hi))
    return piece(lo, hi);
  // A window of markup-free text (the usual body) is rendered with up to its own
  // length more text after it, as far as that stays markup free: the windows of
  // the next matches are then pieces of this rendering (markup_free_prefix()).
  std::size_t region_hi = hi;
  bool free = share_regions_ && boundary(s, lo) && boundary(s, hi);
  if (free) {
    const std::size_t limit = std::min(s.size(), hi + (hi - lo));
    region_hi = lo + markup_free_prefix(s.substr(lo, limit - lo), markup);
    free = region_hi >= hi;
    while (region_hi > hi && !boundary(s, region_hi)) --region_hi;
    if (!free) region_hi = hi;
  }
  text_.clear();
  src_.clear();
  render_plain(s.substr(lo, region_hi - lo), markup, text_, &src_);
  ++stats_.renders;
  stats_.bytes_examined += region_hi - lo;
  window_data_ = s.data();
  window_size_ = s.size();
  window_lo_ = lo;
  window_hi_ = region_hi;
  window_markup_ = markup;
  window_free_ = free;
  window_valid_ = true;
  return region_hi == hi ? Window{text_, src_, lo} : piece(lo, hi);
}

SnippetWriter::Window SnippetWriter::piece(std::size_t lo, std::size_t hi) const {
  // The bytes rendered from [lo, hi) (offsets from window_lo_), without the space
  // of a white-space run cut by either end: rendered alone they would be dropped.
  const auto i0 = static_cast<std::size_t>(
      std::lower_bound(src_.begin(), src_.end(), lo - window_lo_) - src_.begin());
  auto i1 = static_cast<std::size_t>(
      std::lower_bound(src_.begin() + i0, src_.end(), hi - window_lo_) - src_.begin());
  std::size_t b = i0;
  if (b < i1 && text_[b] == ' ') ++b;
  if (i1 > b && text_[i1 - 1] == ' ') --i1;
  return {std::string_view(text_).substr(b, i1 - b),
          std::span<const std::uint32_t>(src_).subspan(b, i1 - b), window_lo_};
}

std::string snippet(std::string_view s, std::uint32_t start_in, std::uint32_t end_in, Markup markup,
                    int words_in) {
  // Reused: steady state renders without allocating. Each window is rendered
  // alone: the reference that SnippetWriter's shared regions are tested against.
  thread_local SnippetWriter writer(false);
  writer.forget();  // `s` may hold other bytes than at the last call
  std::string result;
  writer.append(result, s, start_in, end_in, markup, words_in);
  return result;
}

void SnippetWriter::append(std::string& out, std::string_view s, std::uint32_t start_in,
                           std::uint32_t end_in, Markup markup, int words_in) {
  ++stats_.snippets;
  const std::size_t n = s.size();
  const std::size_t words = words_in > 0 ? static_cast<std::size_t>(words_in) : 0;
  // Clamp and widen the span to code point boundaries.
  std::size_t start = std::min<std::size_t>(start_in, n);
  std::size_t end = std::clamp<std::size_t>(end_in, start, n);
  while (start > 0 && start < n && utf8::is_continuation(s[start]) && start_in - start < 3) --start;
  while (end < n && utf8::is_continuation(s[end]) && end - end_in < 3) ++end;

  // The region of the field read: a bounded number of bytes each side, starting
  // and ending at code point boundaries and outside markup.
  const std::size_t budget = (words + 1) * kScanPerWord;
  std::size_t lo = start > budget ? start - budget : 0;
  std::size_t hi = std::min(n, end + budget);
  if (lo > 0) {
    while (lo < start && utf8::is_continuation(s[lo])) ++lo;
    lo = skip_cut_markup(s, lo, start, markup, stats_.bytes_examined);
  }
  if (hi < n) {
    while (hi > end && utf8::is_continuation(s[hi])) --hi;
    hi = cut_open_markup(s, end, hi, markup, stats_.bytes_examined);
  }

  // The region's rendering, taken from the last one rendered when it can be.
  const Window win = window(s, lo, hi, markup);
  const std::string_view text = win.text;
  const std::span<const std::uint32_t> src = win.src;
  // The match in the rendered text (offsets are non-decreasing).
  const auto ms = static_cast<std::size_t>(
      std::lower_bound(src.begin(), src.end(), start - win.base) - src.begin());
  const auto me = static_cast<std::size_t>(
      std::lower_bound(src.begin(), src.end(), end - win.base) - src.begin());

  // Left: the rest of the match's own word, then up to `words` whole words. A word
  // split by the region's edge is left out; a region that is cut shows "…".
  const bool lo_split = lo > 0 && splits_word(s, lo, markup);
  std::size_t ws = word_start(text, ms);
  bool lead_cut = false;
  for (std::size_t count = 0; ws > 0; ++count) {  // text[ws - 1] == ' '
    const std::size_t b = word_start(text, ws - 1);
    if (count == words || (b == 0 && lo_split)) {
      lead_cut = true;
      break;
    }
    ws = b;
  }
  if (ws == 0 && lo > 0) lead_cut = true;
  // Right, the mirror image.
  const bool hi_split = hi < n && splits_word(s, hi, markup);
  std::size_t we = word_end(text, me);
  bool trail_cut = false;
  for (std::size_t count = 0; we < text.size(); ++count) {  // text[we] == ' '
    const std::size_t e = word_end(text, we + 1);
    if (count == words || (e == text.size() && hi_split)) {
      trail_cut = true;
      break;
    }
    we = e;
  }
  if (we == text.size() && hi < n) trail_cut = true;

  // Cap each side in bytes, cutting at a code point, preferably at a space (not
  // the one next to the match, which would leave no context on that side).
  const std::size_t cap = (words + 1) * kBytesPerWord;  // +1: the match's own word
  if (ms - ws > cap) {
    std::size_t from = ms - cap;
    while (from < ms && utf8::is_continuation(text[from])) ++from;
    const std::size_t sp = text.find(' ', from);
    if (sp != npos && sp + 1 < ms) {
      from = sp + 1;
    } else if (from < ms && text[from] == ' ') {
      ++from;
    }
    ws = from;
    lead_cut = true;
  }
  if (we > me && we - me > cap) {
    std::size_t to = me + cap;
    while (to > me && utf8::is_continuation(text[to])) --to;
    const std::size_t sp = text.rfind(' ', to);
    if (sp != npos && sp > me) {
      to = sp;
    } else if (to > me && text[to - 1] == ' ') {
      --to;
    }
    we = to;
    trail_cut = true;
  }

  if (lead_cut) out += kEllipsis;
  out.append(text, ws, we - ws);
  if (trail_cut) out += kEllipsis;
}

}  // namespace newshound

// Stage: normalize (tests; frozen reference copy of src/normalize, do not optimise). HTML tag
// recognition for the folder: which tags read as white space (block-level) and which vanish
// (inline), comments and declarations, and skipping the content of <script> and <style>. Every
// search is memoised or starts past the previous one, so a field is scanned in linear time.
#include "reference_html_markup.hpp"

#include <cstring>
#include <string_view>

namespace newshound::reference_detail {
namespace {

bool is_alpha(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_alnum(unsigned char c) {
  return is_alpha(c) || (c >= '0' && c <= '9');
}
unsigned char lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? c | 0x20 : c;
}

constexpr std::string_view kBlockTags[] = {
    "address", "article", "aside",      "blockquote", "br",     "caption", "dd",     "div",
    "dl",      "dt",      "figcaption", "figure",     "footer", "h1",      "h2",     "h3",
    "h4",      "h5",      "h6",         "header",     "hr",     "li",      "main",   "nav",
    "ol",      "p",       "pre",        "section",    "table",  "tbody",   "td",     "tfoot",
    "th",      "thead",   "title",      "tr",         "ul",     "img",     "iframe", "option",
};

bool is_block(std::string_view name) {
  for (std::string_view b : kBlockTags) {
    if (b == name) return true;
  }
  return false;
}

const unsigned char* find_byte(const unsigned char* s, std::size_t n, std::size_t from,
                               unsigned char c) {
  if (from >= n) return nullptr;
  return static_cast<const unsigned char*>(std::memchr(s + from, c, n - from));
}

/// Index just past "-->" at or after `from`, or 0 if there is none.
std::size_t find_comment_end(const unsigned char* s, std::size_t n, std::size_t from) {
  while (const unsigned char* p = find_byte(s, n, from, '>')) {
    const std::size_t k = static_cast<std::size_t>(p - s);
    if (k >= from + 2 && s[k - 1] == '-' && s[k - 2] == '-') return k + 1;
    from = k + 1;
  }
  return 0;
}

/// Index just past the '>' of "</name ...>" (case-insensitive) at or after `from`,
/// or n if the element is never closed.
std::size_t find_end_tag(const unsigned char* s, std::size_t n, std::size_t from,
                         std::string_view name) {
  while (const unsigned char* p = find_byte(s, n, from, '<')) {
    const std::size_t k = static_cast<std::size_t>(p - s);
    from = k + 1;
    if (k + 2 + name.size() > n || s[k + 1] != '/') continue;
    bool same = true;
    for (std::size_t j = 0; j < name.size() && same; ++j) {
      same = lower(s[k + 2 + j]) == static_cast<unsigned char>(name[j]);
    }
    if (!same) continue;
    const unsigned char* gt = find_byte(s, n, k + 2 + name.size(), '>');
    return gt ? static_cast<std::size_t>(gt - s) + 1 : n;
  }
  return n;
}

}  // namespace

Tag scan_tag(const unsigned char* s, std::size_t n, std::size_t i, HtmlScan& memo) {
  if (i + 1 >= n) return {};
  const unsigned char c = s[i + 1];
  if (c == '!' && i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
    if (memo.no_comment_end) return {};
    const std::size_t end = find_comment_end(s, n, i + 4);
    if (end == 0) {
      memo.no_comment_end = true;
      return {};
    }
    return {TagKind::inline_tag, end};
  }
  const bool closing = c == '/';
  const std::size_t name_at = i + (closing ? 2 : 1);
  const bool declaration = !closing && (c == '!' || c == '?');
  if (!declaration && (name_at >= n || !is_alpha(s[name_at]))) return {};

  if (!memo.gt_known || memo.next_gt <= i) {
    const unsigned char* gt = find_byte(s, n, i + 1, '>');
    memo.next_gt = gt ? static_cast<std::size_t>(gt - s) : n;
    memo.gt_known = true;
  }
  if (memo.next_gt >= n) return {};  // unterminated: text
  const std::size_t end = memo.next_gt + 1;
  if (declaration) return {TagKind::inline_tag, end};

  char name[12];
  std::size_t len = 0;
  for (std::size_t k = name_at; k < n && is_alnum(s[k]); ++k) {
    if (len == sizeof name) return {TagKind::inline_tag, end};  // no known tag is this long
    name[len++] = static_cast<char>(lower(s[k]));
  }
  const std::string_view tag(name, len);
  if (!closing && (tag == "script" || tag == "style")) {
    const bool self_closed = end >= 2 && s[end - 2] == '/';
    return {TagKind::block_tag, self_closed ? end : find_end_tag(s, n, end, tag)};
  }
  return {is_block(tag) ? TagKind::block_tag : TagKind::inline_tag, end};
}

}  // namespace newshound::reference_detail

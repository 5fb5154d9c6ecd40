// Stage: route. snippet(): the words around a match, for humans reading an alert.
// Works on the ORIGINAL field value: finds a window of whole words around the
// match (scanning a bounded number of bytes, so a huge body costs no more than a
// small one), then copies it with white space collapsed, HTML tags dropped and
// common entities decoded, invalid UTF-8 replaced, and each side capped in bytes.
#include <algorithm>
#include <cstring>

#include "newshound/route/alert_encoder.hpp"
#include "utf8.hpp"

namespace newshound {

namespace {

constexpr std::size_t kBytesPerWord = 32;  // output cap per side: (words+1) * this
constexpr std::size_t kScanPerWord = 256;  // input scanned per side: (words+1) * this
constexpr std::size_t kMaxTag = 1024;      // longer "<...>" is not taken for a tag
constexpr std::size_t npos = std::string_view::npos;
const std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// s[i] == '<' and it opens a tag: returns one past its '>', else npos.
std::size_t tag_end(std::string_view s, std::size_t i) {
  if (s[i] != '<' || i + 1 >= s.size()) return npos;
  const char c = s[i + 1];
  if (!is_ascii_alpha(c) && c != '/' && c != '!' && c != '?') return npos;
  const std::size_t lim = std::min(s.size(), i + kMaxTag);
  const void* gt = std::memchr(s.data() + i + 1, '>', lim - i - 1);
  if (gt == nullptr) return npos;
  return static_cast<std::size_t>(static_cast<const char*>(gt) - s.data()) + 1;
}

/// True for a tag in [lt, gt) that renders inline (<b>, </a>, <span ...>): it
/// neither separates words nor produces a space. Other tags (<p>, <br/>) do.
bool inline_tag(std::string_view s, std::size_t lt, std::size_t gt) {
  static constexpr std::string_view kInline[] = {
      "a", "abbr", "b",     "bdi",  "cite",   "code", "em",  "font", "i", "mark",
      "q", "s",    "small", "span", "strong", "sub",  "sup", "time", "u"};
  std::size_t i = lt + 1;
  if (i < gt && s[i] == '/') ++i;
  char name[8];
  std::size_t len = 0;
  while (i < gt && is_ascii_alpha(s[i])) {
    if (len == sizeof name) return false;
    name[len++] = static_cast<char>(s[i] | 0x20);
    ++i;
  }
  const std::string_view n(name, len);
  for (auto k : kInline)
    if (k == n) return true;
  return false;
}

/// s[pos-1] == '>' closing a tag: returns the index of its '<', else npos.
std::size_t tag_begin(std::string_view s, std::size_t pos) {
  if (pos == 0 || s[pos - 1] != '>') return npos;
  const std::size_t lim = pos > kMaxTag ? pos - kMaxTag : 0;
  for (std::size_t j = pos - 1; j-- > lim;) {
    if (s[j] == '>') return npos;
    if (s[j] == '<') return tag_end(s, j) == pos ? j : npos;
  }
  return npos;
}

bool space_at(std::string_view s, std::size_t i, std::uint32_t* len) {
  const utf8::CodePoint c = utf8::decode(s, i);
  *len = c.len;
  return c.valid && utf8::is_space(c.cp);
}

/// Moves back over white space and tags, not below `floor`.
std::size_t back_sep(std::string_view s, std::size_t i, bool html, std::size_t floor) {
  while (i > floor) {
    if (html) {
      const std::size_t t = tag_begin(s, i);
      if (t != npos) {
        i = t;
        continue;
      }
    }
    const std::size_t p = utf8::prev_boundary(s, i);
    std::uint32_t len;
    if (!space_at(s, p, &len)) break;
    i = p;
  }
  return i;
}

/// Moves back over word characters, not below `floor`.
std::size_t back_word(std::string_view s, std::size_t i, bool html, std::size_t floor) {
  while (i > floor) {
    if (html) {
      const std::size_t t = tag_begin(s, i);
      if (t != npos) {
        if (!inline_tag(s, t, i)) break;
        i = t;
        continue;
      }
    }
    const std::size_t p = utf8::prev_boundary(s, i);
    std::uint32_t len;
    if (space_at(s, p, &len)) break;
    i = p;
  }
  return i;
}

std::size_t fwd_sep(std::string_view s, std::size_t i, bool html, std::size_t ceil) {
  while (i < ceil) {
    if (html) {
      const std::size_t t = tag_end(s, i);
      if (t != npos) {
        i = t;
        continue;
      }
    }
    std::uint32_t len;
    if (!space_at(s, i, &len)) break;
    i += len;
  }
  return i;
}

std::size_t fwd_word(std::string_view s, std::size_t i, bool html, std::size_t ceil) {
  while (i < ceil) {
    if (html) {
      const std::size_t t = tag_end(s, i);
      if (t != npos) {
        if (!inline_tag(s, i, t)) break;
        i = t;
        continue;
      }
    }
    std::uint32_t len;
    if (space_at(s, i, &len)) break;
    i += len;
  }
  return i;
}

/// s[i] == '&': decodes a character reference; returns its length, 0 if none.
std::size_t entity(std::string_view s, std::size_t i, char32_t* cp) {
  const std::size_t lim = std::min(s.size(), i + 12);
  std::size_t semi = i + 1;
  while (semi < lim && s[semi] != ';') ++semi;
  if (semi >= lim) return 0;
  const std::string_view name = s.substr(i + 1, semi - i - 1);
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 7) return 0;
    char32_t v = 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return 0;
      v = v * (hex ? 16 : 10) + static_cast<char32_t>(d);
    }
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return semi - i + 1;
  }
  static constexpr struct {
    std::string_view name;
    char32_t cp;
  } kNamed[] = {{"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
                {"apos", '\''},     {"nbsp", 0xA0},    {"mdash", 0x2014}, {"ndash", 0x2013},
                {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
                {"hellip", 0x2026}, {"laquo", 0xAB},   {"raquo", 0xBB}};
  for (const auto& e : kNamed) {
    if (e.name == name) {
      *cp = e.cp;
      return semi - i + 1;
    }
  }
  return 0;
}

}  // namespace

std::string snippet(std::string_view s, std::uint32_t start_in, std::uint32_t end_in, bool html,
                    int words_in) {
  const std::size_t n = s.size();
  const std::size_t words = words_in > 0 ? static_cast<std::size_t>(words_in) : 0;
  // Clamp and widen the span to code point boundaries.
  std::size_t start = std::min<std::size_t>(start_in, n);
  std::size_t end = std::clamp<std::size_t>(end_in, start, n);
  while (start > 0 && start < n && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 &&
         start_in - start < 3)
    --start;
  while (end < n && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80 && end - end_in < 3) ++end;

  // Left window: the rest of the match's own word, then `words` whole words.
  const std::size_t budget = (words + 1) * kScanPerWord;
  const std::size_t floor = start > budget ? start - budget : 0;
  std::size_t ws = back_word(s, start, html, floor);
  bool lead_cut = false;
  for (std::size_t count = 0;; ++count) {
    const std::size_t j = back_sep(s, ws, html, floor);
    if (j == 0) break;  // nothing but space before: no cut
    if (count == words || j <= floor) {
      lead_cut = true;
      break;
    }
    ws = back_word(s, j, html, floor);
  }
  if (ws <= floor && ws > 0) lead_cut = true;

  // Right window, the mirror image.
  const std::size_t ceil = std::min(n, end + budget);
  std::size_t we = fwd_word(s, end, html, ceil);
  bool trail_cut = false;
  for (std::size_t count = 0;; ++count) {
    const std::size_t j = fwd_sep(s, we, html, ceil);
    if (j == n) break;
    if (count == words || j >= ceil) {
      trail_cut = true;
      break;
    }
    we = fwd_word(s, j, html, ceil);
  }
  if (we >= ceil && we < n) trail_cut = true;

  // Copy [ws, we): collapse space, drop tags, decode entities; note where the
  // match lands in the output.
  std::string out;
  out.reserve(we - ws);
  std::size_t ms = npos, me = npos;
  bool pending = false;
  auto flush = [&] {
    if (pending && !out.empty()) out += ' ';
    pending = false;
  };
  for (std::size_t i = ws; i < we;) {
    if (ms == npos && i >= start) {
      flush();
      ms = out.size();
    }
    if (me == npos && i >= end) me = out.size();
    if (html) {
      const std::size_t t = tag_end(s, i);
      if (t != npos) {
        if (!inline_tag(s, i, t)) pending = true;
        i = t;
        continue;
      }
      char32_t cp;
      const std::size_t len = s[i] == '&' ? entity(s, i, &cp) : 0;
      if (len != 0) {
        if (utf8::is_space(cp)) {
          pending = true;
        } else {
          flush();
          utf8::append(out, cp);
        }
        i += len;
        continue;
      }
    }
    const utf8::CodePoint c = utf8::decode(s, i);
    if (c.valid && utf8::is_space(c.cp)) {
      pending = true;
    } else {
      flush();
      if (c.valid)
        out.append(s.substr(i, c.len));
      else
        utf8::append(out, 0xFFFD);
    }
    i += c.len;
  }
  if (ms == npos) ms = out.size();
  if (me == npos) me = out.size();

  // Cap each side in bytes, cutting at a code point (preferably a space).
  const std::size_t cap = (words + 1) * kBytesPerWord;  // +1: the match's own word
  std::size_t from = 0, to = out.size();
  if (ms > cap) {
    from = ms - cap;
    while (from < ms && (static_cast<unsigned char>(out[from]) & 0xC0) == 0x80) ++from;
    const std::size_t sp = out.find(' ', from);
    if (sp != npos && sp < ms) from = sp + 1;
    lead_cut = true;
  }
  if (to - me > cap) {
    to = me + cap;
    while (to > me && (static_cast<unsigned char>(out[to]) & 0xC0) == 0x80) --to;
    const std::size_t sp = out.rfind(' ', to);
    if (sp != npos && sp >= me) to = sp;
    trail_cut = true;
  }
  std::string result;
  result.reserve(to - from + 2 * kEllipsis.size());
  if (lead_cut) result += kEllipsis;
  result.append(out, from, to - from);
  if (trail_cut) result += kEllipsis;
  return result;
}

}  // namespace newshound

// Stage: match. Owns the sentence and paragraph boundaries of NEAR/s and NEAR/p
// (docs/query-language.md, "Sentences and paragraphs"): where a new sentence or
// paragraph starts in one original text value, and the unit number of every folded
// byte of an article. Both topic evaluators use this one definition; the topic
// engine calls it only when a woken topic has a NEAR/s or NEAR/p.
#include <utf8proc.h>

#include <algorithm>
#include <array>

#include "newshound/match/topic_eval.hpp"

namespace newshound {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

bool ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// True if `s` at `i` starts with `prefix`, ASCII case ignored.
bool starts_nocase(std::string_view s, std::size_t i, std::string_view prefix) {
  if (i + prefix.size() > s.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k)
    if (lower(s[i + k]) != prefix[k]) return false;
  return true;
}

/// The abbreviations after which a '.' does not end a sentence (as written, the
/// dot left out); docs/query-language.md lists them. Single letters (initials) and
/// words with an inner dot (`U.S`, `e.g`) are abbreviations too.
constexpr std::array<std::string_view, 36> kAbbreviations = {
    "Mr",  "Mrs", "Ms",  "Dr",  "Prof", "Gen", "Col",  "Lt",   "Sgt", "Capt", "Gov", "Sen",
    "Rep", "Rev", "St",  "Jr",  "Sr",   "Inc", "Corp", "Ltd",  "Co",  "No",   "vs",  "Jan",
    "Feb", "Mar", "Apr", "Jun", "Jul",  "Aug", "Sep",  "Sept", "Oct", "Nov",  "Dec", "Mt"};

/// True if the word that ends just before the '.' at `dot` is an abbreviation.
bool abbreviation_before(std::string_view s, std::size_t dot) {
  std::size_t b = dot;
  while (b > 0 && !is_space(s[b - 1]) && s[b - 1] != '(' && s[b - 1] != '"' && s[b - 1] != '>') --b;
  const std::string_view word = s.substr(b, dot - b);
  if (word.empty()) return false;
  if (word.size() == 1 && ascii_alpha(word[0])) return true;  // an initial: "J. Smith"
  for (std::size_t k = 0; k + 1 < word.size(); ++k)
    if (word[k] == '.' && word[k + 1] != '.') return true;  // an inner dot: "U.S." "e.g."
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end();
}

/// Length of the HTML tag at `i` (`<` then a letter or '/', up to '>'), else 0.
std::size_t tag_len(std::string_view s, std::size_t i) {
  if (s[i] != '<' || i + 1 >= s.size() || !(ascii_alpha(s[i + 1]) || s[i + 1] == '/')) return 0;
  const std::size_t close = s.find('>', i);
  return close == std::string_view::npos ? 0 : close - i + 1;
}

/// True if a paragraph-ending tag starts at `i`: <p>, </p>, <li>, </li> (any case,
/// attributes allowed).
bool paragraph_tag(std::string_view s, std::size_t i) {
  for (const std::string_view t : {"<p", "</p", "<li", "</li"}) {
    if (!starts_nocase(s, i, t)) continue;
    const std::size_t k = i + t.size();
    if (k < s.size() && (s[k] == '>' || s[k] == '/' || is_space(s[k]))) return true;
  }
  return false;
}

bool br_tag(std::string_view s, std::size_t i) {
  if (!starts_nocase(s, i, "<br")) return false;
  const std::size_t k = i + 3;
  return k < s.size() && (s[k] == '>' || s[k] == '/' || is_space(s[k]));
}

/// Paragraph breaks of `s` into `out` (original byte offsets, ascending).
void paragraph_breaks(std::string_view s, BodyFormat format, std::vector<std::uint32_t>& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      std::size_t j = i + 1;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r')) ++j;
      if (j < s.size() && s[j] == '\n') out.push_back(static_cast<std::uint32_t>(i));
    } else if (format == BodyFormat::html && s[i] == '<') {
      if (paragraph_tag(s, i)) {
        out.push_back(static_cast<std::uint32_t>(i));
      } else if (br_tag(s, i)) {
        std::size_t j = i + tag_len(s, i);
        while (j < s.size() && is_space(s[j])) ++j;
        if (j > i && j < s.size() && br_tag(s, j)) out.push_back(static_cast<std::uint32_t>(i));
      }
    }
  }
}

/// True if a sentence may start at `i`: an upper-case letter, a digit or a quote.
bool starts_sentence(std::string_view s, std::size_t i) {
  const char c = s[i];
  if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' || c == '\'') return true;
  if (static_cast<unsigned char>(c) < 0x80) return false;
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) return false;
  if (cp == 0x201C || cp == 0x2018 || cp == 0x00AB || cp == 0x201E) return true;  // “ ‘ « „
  return utf8proc_get_property(cp)->category == UTF8PROC_CATEGORY_LU;
}

/// Sentence ends of `s` into `out`: where the white space after an end mark starts.
void sentence_breaks(std::string_view s, BodyFormat format, std::vector<std::uint32_t>& out) {
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t end = 0;
    if (s[i] == '.' || s[i] == '!' || s[i] == '?') {
      end = i + 1;
    } else if (s.substr(i, kEllipsis.size()) == kEllipsis) {
      end = i + kEllipsis.size();
    } else {
      continue;
    }
    if (s[i] == '.' && abbreviation_before(s, i)) continue;
    // Closing quotes and brackets stay with the sentence they end.
    for (;;) {
      if (end < s.size() && (s[end] == '"' || s[end] == '\'' || s[end] == ')')) {
        ++end;
      } else if (s.substr(end, 3) == "\xE2\x80\x9D" || s.substr(end, 3) == "\xE2\x80\x99") {
        end += 3;  // ” ’
      } else {
        break;
      }
    }
    std::size_t j = end;
    bool gap = false;
    for (;;) {
      if (j < s.size() && is_space(s[j])) {
        ++j;
        gap = true;
      } else if (format == BodyFormat::html && j < s.size() && tag_len(s, j) > 0) {
        j += tag_len(s, j);
      } else if (format == BodyFormat::html && s.substr(j, 6) == "&nbsp;") {
        j += 6;
        gap = true;
      } else {
        break;
      }
    }
    if (gap && j < s.size() && starts_sentence(s, j))
      out.push_back(static_cast<std::uint32_t>(end));
    i = end > i ? end - 1 : i;
  }
}

}  // namespace

void unit_breaks_of(std::string_view value, BodyFormat format, NearUnit unit,
                    std::vector<std::uint32_t>& out) {
  out.clear();
  if (unit == NearUnit::words) return;
  paragraph_breaks(value, format, out);
  if (unit == NearUnit::sentence) {
    sentence_breaks(value, format, out);
    std::sort(out.begin(), out.end());
  }
}

void number_units_of(const Article& article, const NormalizedArticle& na, NearUnit unit,
                     std::vector<std::uint32_t>& out, std::vector<std::uint32_t>& breaks) {
  out.assign(na.text.size(), 0);
  std::uint32_t number = 0;
  const std::size_t values = std::min<std::size_t>(na.segment_count(), article.text_count());
  for (std::size_t v = 0; v < values; ++v) {
    const TextSegment seg = na.segment(v);
    const TextRef ref = article.text(v);
    unit_breaks_of(ref.text, ref.format, unit, breaks);
    ++number;  // every text value starts a new unit
    std::size_t b = 0;
    const std::uint32_t end =
        std::min<std::uint32_t>(seg.end, static_cast<std::uint32_t>(out.size()));
    for (std::uint32_t f = seg.begin; f < end && f < na.src_begin.size(); ++f) {
      while (b < breaks.size() && na.src_begin[f] >= breaks[b]) {
        ++number;
        ++b;
      }
      out[f] = number;
    }
  }
}

}  // namespace newshound

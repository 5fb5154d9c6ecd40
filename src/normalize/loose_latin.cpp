// Stage: normalize. The loose Latin folding (see loose_latin.hpp): one left-to-right
// pass over the transliterated units with a look-back of two output bytes.
#include "loose_latin.hpp"

namespace newshound::normalize_detail {
namespace {

bool is_letter(char c) {
  return c >= 'a' && c <= 'z';
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/// Appends one view byte.
void put(TranslitView& out, char c, std::uint32_t b, std::uint32_t e, std::uint8_t t) {
  out.text.push_back(c);
  out.main_begin.push_back(b);
  out.main_end.push_back(e);
  out.translit.push_back(t);
}

/// Merges source [.., e) and flag t into the last view byte, rewritten to `c`.
void merge_last(TranslitView& out, char c, std::uint32_t e, std::uint8_t t) {
  out.text.back() = c;
  out.main_end.back() = std::max(out.main_end.back(), e);
  out.translit.back() = static_cast<std::uint8_t>(out.translit.back() | t);
}

}  // namespace

void loose_fold(std::string_view u, const std::vector<std::uint32_t>& b,
                const std::vector<std::uint32_t>& e, const std::vector<std::uint8_t>& t,
                TranslitView& out) {
  // Where this call's output starts: look-back never reaches before it.
  const std::size_t start = out.text.size();
  const auto last = [&](std::size_t back) -> char {
    return out.text.size() >= start + back ? out.text[out.text.size() - back] : '\0';
  };
  const std::size_t n = u.size();
  std::size_t i = 0;
  while (i < n) {
    char c = u[i];
    if (!is_letter(c)) {
      put(out, c, b[i], e[i], t[i]);
      ++i;
      continue;
    }
    // Digraphs and longer: the output bytes share the whole source range.
    if (u.substr(i, 4) == "shch") {
      const auto tt = static_cast<std::uint8_t>(t[i] | t[i + 1] | t[i + 2] | t[i + 3]);
      for (const char k : {'s', 'c', 'h'}) put(out, k, b[i], e[i + 3], tt);
      i += 4;
      continue;
    }
    if (u.substr(i, 2) == "kh") {
      put(out, 'h', b[i], e[i + 1], static_cast<std::uint8_t>(t[i] | t[i + 1]));
      i += 2;
      continue;
    }
    if (c == 'x') {
      put(out, 'k', b[i], e[i], t[i]);
      put(out, 's', b[i], e[i], t[i]);
      ++i;
      continue;
    }
    if (c == 'y' || c == 'j') c = 'i';
    if (c == 'i' && last(1) == 'i') {  // a doubled i reads one i
      merge_last(out, 'i', e[i], t[i]);
    } else if (c == 'e' && last(1) == 'i' && (!is_letter(last(2)) || is_vowel(last(2)))) {
      merge_last(out, 'e', e[i], t[i]);  // "ye" after a vowel or at a word start reads e
    } else {
      put(out, c, b[i], e[i], t[i]);
    }
    ++i;
  }
}

}  // namespace newshound::normalize_detail

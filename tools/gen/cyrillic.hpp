// Tool: newshound-gen. Latin text respelled in Cyrillic letters (a reverse
// romanization: "sh" -> ш, "kh" -> х, "ya" -> я, b -> б...), for generated feeds in which
// a share of the articles is Cyrillic (`articles --cyrillic-share`): names from
// --names come out as a Russian desk would write them, so a watch-list with
// `transliterate = true` matches them again. Case is kept; other bytes are copied.
#pragma once

#include <string>
#include <string_view>

namespace gen {

/// `latin` respelled in Cyrillic (see above).
inline std::string cyrillic(std::string_view latin) {
  struct Digraph {
    const char* latin;
    const char* lower;
    const char* upper;
  };
  static constexpr Digraph kDigraphs[] = {{"sh", "ш", "Ш"}, {"ch", "ч", "Ч"}, {"zh", "ж", "Ж"},
                                          {"kh", "х", "Х"}, {"ya", "я", "Я"}, {"yu", "ю", "Ю"},
                                          {"ts", "ц", "Ц"}};
  // a..z, lower then upper.
  static constexpr const char* kLower[26] = {"а", "б", "к", "д", "е", "ф",  "г", "х", "и",
                                             "й", "к", "л", "м", "н", "о",  "п", "к", "р",
                                             "с", "т", "у", "в", "в", "кс", "ы", "з"};
  static constexpr const char* kUpper[26] = {"А", "Б", "К", "Д", "Е", "Ф",  "Г", "Х", "И",
                                             "Й", "К", "Л", "М", "Н", "О",  "П", "К", "Р",
                                             "С", "Т", "У", "В", "В", "КС", "Ы", "З"};
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  std::string out;
  out.reserve(latin.size() * 2);
  for (std::size_t i = 0; i < latin.size();) {
    const char c = latin[i];
    const bool up = c >= 'A' && c <= 'Z';
    bool done = false;
    if (i + 1 < latin.size()) {
      for (const Digraph& d : kDigraphs) {
        if (lower(c) == d.latin[0] && lower(latin[i + 1]) == d.latin[1]) {
          out += up ? d.upper : d.lower;
          i += 2;
          done = true;
          break;
        }
      }
    }
    if (done) continue;
    if (c >= 'a' && c <= 'z') {
      out += kLower[c - 'a'];
    } else if (up) {
      out += kUpper[c - 'A'];
    } else {
      out += c;
    }
    ++i;
  }
  return out;
}

}  // namespace gen

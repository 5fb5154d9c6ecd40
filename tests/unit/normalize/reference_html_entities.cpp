// Stage: normalize (tests; frozen reference copy of src/normalize, do not optimise). HTML character
// reference decoding: a sorted table of named references (typographic punctuation, Latin-1)
// searched by binary search, and numeric references with Windows-1252 repair of the C1 range.
#include "reference_html_entities.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "newshound/util/utf8.hpp"

namespace newshound::reference_detail {
namespace {

struct Named {
  std::string_view name;
  char32_t cp;
};

// Sorted by name (byte order) for binary search.
constexpr Named kNamed[] = {
    {"AElig", 0x00C6},  {"Aacute", 0x00C1}, {"Acirc", 0x00C2},  {"Agrave", 0x00C0},
    {"Aring", 0x00C5},  {"Atilde", 0x00C3}, {"Auml", 0x00C4},   {"Ccedil", 0x00C7},
    {"Dagger", 0x2021}, {"ETH", 0x00D0},    {"Eacute", 0x00C9}, {"Ecirc", 0x00CA},
    {"Egrave", 0x00C8}, {"Euml", 0x00CB},   {"Iacute", 0x00CD}, {"Icirc", 0x00CE},
    {"Igrave", 0x00CC}, {"Iuml", 0x00CF},   {"Ntilde", 0x00D1}, {"OElig", 0x0152},
    {"Oacute", 0x00D3}, {"Ocirc", 0x00D4},  {"Ograve", 0x00D2}, {"Oslash", 0x00D8},
    {"Otilde", 0x00D5}, {"Ouml", 0x00D6},   {"Prime", 0x2033},  {"Scaron", 0x0160},
    {"THORN", 0x00DE},  {"Uacute", 0x00DA}, {"Ucirc", 0x00DB},  {"Ugrave", 0x00D9},
    {"Uuml", 0x00DC},   {"Yacute", 0x00DD}, {"Yuml", 0x0178},   {"aacute", 0x00E1},
    {"acirc", 0x00E2},  {"acute", 0x00B4},  {"aelig", 0x00E6},  {"agrave", 0x00E0},
    {"amp", 0x0026},    {"apos", 0x0027},   {"aring", 0x00E5},  {"atilde", 0x00E3},
    {"auml", 0x00E4},   {"bdquo", 0x201E},  {"brvbar", 0x00A6}, {"bull", 0x2022},
    {"ccedil", 0x00E7}, {"cedil", 0x00B8},  {"cent", 0x00A2},   {"circ", 0x02C6},
    {"copy", 0x00A9},   {"curren", 0x00A4}, {"dagger", 0x2020}, {"deg", 0x00B0},
    {"divide", 0x00F7}, {"eacute", 0x00E9}, {"ecirc", 0x00EA},  {"egrave", 0x00E8},
    {"emsp", 0x2003},   {"ensp", 0x2002},   {"eth", 0x00F0},    {"euml", 0x00EB},
    {"euro", 0x20AC},   {"fnof", 0x0192},   {"frac12", 0x00BD}, {"frac14", 0x00BC},
    {"frac34", 0x00BE}, {"gt", 0x003E},     {"hellip", 0x2026}, {"iacute", 0x00ED},
    {"icirc", 0x00EE},  {"iexcl", 0x00A1},  {"igrave", 0x00EC}, {"iquest", 0x00BF},
    {"iuml", 0x00EF},   {"laquo", 0x00AB},  {"ldquo", 0x201C},  {"lrm", 0x200E},
    {"lsaquo", 0x2039}, {"lsquo", 0x2018},  {"lt", 0x003C},     {"macr", 0x00AF},
    {"mdash", 0x2014},  {"micro", 0x00B5},  {"middot", 0x00B7}, {"minus", 0x2212},
    {"nbsp", 0x00A0},   {"ndash", 0x2013},  {"not", 0x00AC},    {"ntilde", 0x00F1},
    {"oacute", 0x00F3}, {"ocirc", 0x00F4},  {"oelig", 0x0153},  {"ograve", 0x00F2},
    {"ordf", 0x00AA},   {"ordm", 0x00BA},   {"oslash", 0x00F8}, {"otilde", 0x00F5},
    {"ouml", 0x00F6},   {"para", 0x00B6},   {"permil", 0x2030}, {"plusmn", 0x00B1},
    {"pound", 0x00A3},  {"prime", 0x2032},  {"quot", 0x0022},   {"raquo", 0x00BB},
    {"rdquo", 0x201D},  {"reg", 0x00AE},    {"rlm", 0x200F},    {"rsaquo", 0x203A},
    {"rsquo", 0x2019},  {"sbquo", 0x201A},  {"scaron", 0x0161}, {"sect", 0x00A7},
    {"shy", 0x00AD},    {"sup1", 0x00B9},   {"sup2", 0x00B2},   {"sup3", 0x00B3},
    {"szlig", 0x00DF},  {"thinsp", 0x2009}, {"thorn", 0x00FE},  {"tilde", 0x02DC},
    {"times", 0x00D7},  {"trade", 0x2122},  {"uacute", 0x00FA}, {"ucirc", 0x00FB},
    {"ugrave", 0x00F9}, {"uml", 0x00A8},    {"uuml", 0x00FC},   {"yacute", 0x00FD},
    {"yen", 0x00A5},    {"yuml", 0x00FF},   {"zwj", 0x200D},    {"zwnj", 0x200C},
};

constexpr std::size_t kMaxName = 8;  // longest name in the table

// Windows-1252 meaning of 0x80..0x9F (0 where undefined).
constexpr char32_t kCp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode_numeric(const unsigned char* s, std::size_t n, Entity& out) {
  std::size_t i = 2;  // past "&#"
  const bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
  if (hex) ++i;
  const std::size_t digits_start = i;
  std::uint32_t value = 0;
  for (; i < n; ++i) {
    const int d = hex ? hex_value(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
    if (d < 0) break;
    value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    if (value > 0x10FFFF) value = 0x110000;  // saturate: stays invalid, never overflows
  }
  if (i == digits_start || i >= n || s[i] != ';') return false;
  char32_t cp = value;
  if (cp >= 0x80 && cp <= 0x9F && kCp1252[cp - 0x80] != 0) cp = kCp1252[cp - 0x80];
  if (cp == 0 || !utf8::is_scalar(cp)) cp = utf8::kReplacement;
  out = {cp, static_cast<std::uint32_t>(i + 1)};
  return true;
}

}  // namespace

bool decode_entity(const unsigned char* s, std::size_t n, Entity& out) {
  if (n < 3) return false;
  if (s[1] == '#') return decode_numeric(s, n, out);
  std::size_t i = 1;
  while (i < n && i <= kMaxName + 1 && is_alnum(s[i])) ++i;
  if (i == 1 || i >= n || s[i] != ';' || i - 1 > kMaxName) return false;
  const std::string_view name(reinterpret_cast<const char*>(s + 1), i - 1);
  const auto* end = std::end(kNamed);
  const auto* it = std::lower_bound(std::begin(kNamed), end, name,
                                    [](const Named& a, std::string_view b) { return a.name < b; });
  if (it == end || it->name != name) return false;
  out = {it->cp, static_cast<std::uint32_t>(i + 1)};
  return true;
}

}  // namespace newshound::reference_detail

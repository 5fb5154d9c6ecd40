// Fuzzing: the normalize stage. Input: 1 control byte (markup, headline/body
// split) then the field bytes. Checks the folding maps (one src_begin/src_end per
// folded byte, ranges inside the field), valid UTF-8 out, fold_phrase agreeing
// with Normalizer::append, and render_plain's white-space and offset promises.
// Transliteration on: the transliterated view of the folded article (and of the raw
// bytes) keeps one map entry per byte, each a non-empty range inside the folded
// text, begins never decreasing, and the '\0' separators where they were.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "newshound/normalize/normalizer.hpp"
#include "newshound/normalize/transliterator.hpp"
#include "newshound/util/utf8.hpp"

using namespace newshound;

namespace {

// The maps of text[from, to) all point inside a field of `field_size` bytes.
void check_maps(const NormalizedArticle& n, std::size_t from, std::size_t to,
                std::size_t field_size) {
  for (std::size_t i = from; i < to; ++i) {
    FUZZ_CHECK(n.src_begin[i] <= n.src_end[i]);
    FUZZ_CHECK(n.src_end[i] <= field_size);
    FUZZ_CHECK(n.src_begin[i] < field_size);
  }
}

void check_append(std::string_view field, Markup markup, NormalizedArticle& n) {
  n.clear();
  Normalizer::append(field, markup, n);
  FUZZ_CHECK(n.text.size() == n.src_begin.size());
  FUZZ_CHECK(n.text.size() == n.src_end.size());
  FUZZ_CHECK(n.text.find('\0') == std::string::npos);
  FUZZ_CHECK(utf8::is_valid(n.text));
  FUZZ_CHECK(n.text.find("  ") == std::string::npos);  // white-space runs are one ' '
  check_maps(n, 0, n.text.size(), field.size());
  word_char_at(n.text, n.text.size() / 2);
  word_char_before(n.text, n.text.size() / 2);
}

void check_render(std::string_view field, Markup markup, std::string& out, ByteOffsets& src) {
  out.assign("x");  // appends after what is already there
  src.clear();
  render_plain(field, markup, out, &src);
  FUZZ_CHECK(out.size() == src.size());
  FUZZ_CHECK(out[0] == 'x');
  FUZZ_CHECK(utf8::is_valid(out));
  const std::string_view rendered = std::string_view(out).substr(1);
  if (!rendered.empty()) {
    FUZZ_CHECK(rendered.front() != ' ' && rendered.back() != ' ');
  }
  FUZZ_CHECK(rendered.find("  ") == std::string_view::npos);
  for (std::size_t i = 1; i < src.size(); ++i) {
    FUZZ_CHECK(src[i] < field.size());
    if (i > 1) FUZZ_CHECK(src[i - 1] <= src[i]);
  }
  std::string plain;  // the same without the map
  render_plain(field, markup, plain);
  FUZZ_CHECK(plain == rendered);
}

void check_view(std::string_view folded, const TranslitView& v) {
  FUZZ_CHECK(v.text.size() == v.main_begin.size());
  FUZZ_CHECK(v.text.size() == v.main_end.size());
  FUZZ_CHECK(v.text.size() == v.translit.size());
  for (std::size_t i = 0; i < v.text.size(); ++i) {
    FUZZ_CHECK(v.main_begin[i] < v.main_end[i]);
    FUZZ_CHECK(v.main_end[i] <= folded.size());
    if (i > 0) FUZZ_CHECK(v.main_begin[i - 1] <= v.main_begin[i]);
    if (v.text[i] == '\0') FUZZ_CHECK(folded[v.main_begin[i]] == '\0');
  }
  std::size_t zeros = 0;
  for (const char c : folded) zeros += c == '\0' ? 1 : 0;
  std::size_t view_zeros = 0;
  for (const char c : v.text) view_zeros += c == '\0' ? 1 : 0;
  FUZZ_CHECK(zeros == view_zeros);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view all(reinterpret_cast<const char*>(data) + 1, size - 1);
  static NormalizedArticle n;
  static std::string out;
  static ByteOffsets src;

  for (Markup m : {Markup::text, Markup::markdown, Markup::html}) {
    check_append(all, m, n);
    check_render(all, m, out, src);
  }

  // A watch-list phrase folds like article text, trimmed.
  const std::string phrase = fold_phrase(all);
  n.clear();
  Normalizer::append(all, Markup::text, n);
  std::string_view t = n.text;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  FUZZ_CHECK(phrase == t);

  // A whole article: headline and body split where the control byte says.
  static Article a;
  a.clear();
  const std::size_t cut = all.empty() ? 0 : data[0] % (all.size() + 1);
  a.headline.assign(all.substr(0, cut));
  a.body.assign(all.substr(cut));
  a.body_format = (data[0] & 0x80) ? BodyFormat::html : BodyFormat::text;
  static Normalizer normalizer;
  normalizer.normalize(a, n);
  FUZZ_CHECK(n.text.size() == n.src_begin.size() && n.text.size() == n.src_end.size());
  FUZZ_CHECK(n.body_offset >= 1 && n.body_offset <= n.text.size());
  FUZZ_CHECK(n.text[n.body_offset - 1] == '\0');
  FUZZ_CHECK(n.text.find('\0') == n.body_offset - 1);
  FUZZ_CHECK(n.src_begin[n.body_offset - 1] == 0 && n.src_end[n.body_offset - 1] == 0);
  if (n.body_offset > 1) FUZZ_CHECK(n.field_at(0) == Field::headline);
  FUZZ_CHECK(n.field_at(n.body_offset) == Field::body);
  check_maps(n, 0, n.body_offset - 1, a.headline.size());
  check_maps(n, n.body_offset, n.text.size(), a.body.size());

  // Transliteration on: the view of the folded article, of the raw bytes, and the
  // alias spelling of a transliterating list.
  static Transliterator translit;
  static TranslitView view;
  translit.build(n.text, view);
  check_view(n.text, view);
  translit.build(all, view);
  check_view(all, view);
  const std::string alias = translit.fold_phrase(all);
  FUZZ_CHECK(alias.find('\0') == std::string::npos || all.find('\0') != std::string_view::npos);
  return 0;
}

// Stage: normalize. The markup-reading loop over one field for each markup (plain
// text, Markdown, HTML), driving a TextWriter that either folds (matching) or keeps
// the characters (plain rendering for humans); the article entry point, phrase
// folding for the watch list, and render_plain(). The loop is one pass: an ASCII
// fast path (16 bytes at a time when folding, see ascii_block.hpp), with white-space
// runs, non-ASCII code points and markup constructs handed to out-of-line helpers.
#include "newshound/normalize/normalizer.hpp"

#include <cstring>
#include <limits>

#include "fold_writer.hpp"
#include "html_entities.hpp"
#include "html_markup.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {
namespace {

using namespace normalize_detail;

using Byte = unsigned char;

/// Markdown link state: which '[' opens a link and where its "](url)" lies.
struct MarkdownScan {
  std::size_t next_open = 0;   ///< cached index of the next '[' (n if none)
  std::size_t next_close = 0;  ///< cached index of the next ']' (n if none)
  bool open_known = false;
  bool close_known = false;
  std::size_t link_close = std::numeric_limits<std::size_t>::max();  ///< ']' of the open link
  std::size_t link_end = 0;  ///< index past the ')' of the open link
};

std::size_t next_of(const Byte* s, std::size_t n, std::size_t from, Byte c) {
  if (from >= n) return n;
  const void* p = std::memchr(s + from, c, n - from);
  return p ? static_cast<std::size_t>(static_cast<const Byte*>(p) - s) : n;
}

/// If s[i] == '[' opens a Markdown link "[text](url)" — no '[' inside the text, '('
/// right after ']', a url without white space — records it in `md` and returns true.
bool open_link(const Byte* s, std::size_t n, std::size_t i, MarkdownScan& md) {
  if (!md.close_known || md.next_close <= i) {
    md.next_close = next_of(s, n, i + 1, ']');
    md.close_known = true;
  }
  if (!md.open_known || md.next_open <= i) {
    md.next_open = next_of(s, n, i + 1, '[');
    md.open_known = true;
  }
  const std::size_t close = md.next_close;
  if (close + 1 >= n || md.next_open < close || s[close + 1] != '(') return false;
  constexpr std::size_t kMaxUrl = 4096;
  for (std::size_t k = close + 2; k < n && k < close + 2 + kMaxUrl; ++k) {
    const Byte c = s[k];
    if (c == ')') {
      md.link_close = close;
      md.link_end = k + 1;
      return true;
    }
    if (kByteClass[c] & kSpace) return false;
  }
  return false;
}

/// Handles the Markdown byte s[i] (one of [ ] ! * _); returns the next index.
template <class Writer>
std::size_t markdown_special(const Byte* s, std::size_t n, std::size_t i, MarkdownScan& md,
                             Writer& w) {
  const Byte c = s[i];
  const auto pos = static_cast<std::uint32_t>(i);
  switch (c) {
    case '*':
    case '_':
      if (i + 1 < n && s[i + 1] == c) return i + 2;  // ** or __: emphasis, vanishes
      break;
    case '[':
      if (open_link(s, n, i, md)) return i + 1;
      break;
    case ']':
      if (i == md.link_close) {
        md.link_close = std::numeric_limits<std::size_t>::max();
        return md.link_end;  // "](url)" vanishes
      }
      break;
    case '!':
      if (i + 1 < n && s[i + 1] == '[' && open_link(s, n, i + 1, md)) return i + 2;  // image
      break;
    default:
      break;
  }
  w.byte(static_cast<char>(c), pos, pos + 1);
  return i + 1;
}

/// Handles the HTML byte s[i] ('<' or '&'); returns the next index.
template <class Writer>
std::size_t html_special(const Byte* s, std::size_t n, std::size_t i, HtmlScan& memo, Writer& w) {
  const auto pos = static_cast<std::uint32_t>(i);
  if (s[i] == '&') {
    Entity ent;
    if (decode_entity(s + i, n - i, ent)) {
      w.code_point(ent.cp, pos, pos + ent.len);
      return i + ent.len;
    }
  } else {
    const Tag tag = scan_tag(s, n, i, memo);
    if (tag.kind == TagKind::block_tag) w.space(pos, static_cast<std::uint32_t>(tag.end));
    if (tag.kind != TagKind::text) return tag.end;
  }
  w.byte(static_cast<char>(s[i]), pos, pos + 1);
  return i + 1;
}

/// Reads one field under markup M, handing its text to `w` (fold or keep).
template <Markup M, class Writer>
void read_field(const Byte* s, std::size_t n, Writer& w) {
  constexpr std::uint8_t mask =
      kSpace | kHigh | (M == Markup::markdown ? kMarkdown : 0) | (M == Markup::html ? kHtml : 0);
  MarkdownScan md;
  HtmlScan html;
  std::size_t i = 0;
  while (i < n) {
    const Byte c = s[i];
    const std::uint8_t cls = kByteClass[c] & mask;
    const auto pos = static_cast<std::uint32_t>(i);
    if (cls == 0) {  // the fast path: a run of visible ASCII bytes
      i = w.plain_run(s, i, n, mask);
    } else if (cls & kSpace) {
      w.space(pos, pos + 1);
      ++i;
    } else if (cls & kHigh) {
      const utf8::Decoded d = utf8::decode(s + i, n - i);
      w.code_point(d.cp, pos, pos + d.len);
      i += d.len;
    } else if constexpr (M == Markup::markdown) {
      i = markdown_special(s, n, i, md, w);
    } else if constexpr (M == Markup::html) {
      i = html_special(s, n, i, html, w);
    }
  }
}

/// Reads `field` under `markup` into `w` and finishes it. Offsets are 32-bit: a
/// field longer than 4 GiB is read up to that length.
template <class Writer>
void read_markup(std::string_view field, Markup markup, Writer& w) {
  const auto* s = reinterpret_cast<const Byte*>(field.data());
  switch (markup) {
    case Markup::text:
      read_field<Markup::text>(s, field.size(), w);
      break;
    case Markup::markdown:
      read_field<Markup::markdown>(s, field.size(), w);
      break;
    case Markup::html:
      // Without '<' or '&' there is no markup to read: plain text is the same reading.
      if (std::memchr(s, '<', field.size()) == nullptr &&
          std::memchr(s, '&', field.size()) == nullptr) {
        read_field<Markup::text>(s, field.size(), w);
      } else {
        read_field<Markup::html>(s, field.size(), w);
      }
      break;
  }
  w.finish();
}

std::string_view clamp_field(std::string_view field) {
  constexpr std::size_t kMaxField = std::numeric_limits<std::uint32_t>::max();
  return field.size() > kMaxField ? field.substr(0, kMaxField) : field;
}

}  // namespace

std::string_view to_string(Field f) {
  switch (f) {
    case Field::headline:
      return "headline";
    case Field::body:
      return "body";
    case Field::description:
      return "description";
  }
  return "body";
}

void Normalizer::append(std::string_view field, Markup markup, NormalizedArticle& out) {
  field = clamp_field(field);
  FoldWriter w(out.text, out.src_begin, out.src_end, field.size());
  read_markup(field, markup, w);
  out.non_ascii = out.non_ascii || w.wrote_non_ascii();
}

void render_plain(std::string_view field, Markup markup, std::string& out, ByteOffsets* src_begin) {
  field = clamp_field(field);
  if (src_begin) src_begin->resize(out.size());
  PlainWriter w(out, src_begin, nullptr, field.size());
  read_markup(field, markup, w);
}

std::size_t markup_free_prefix(std::string_view text, Markup markup) {
  const std::uint8_t mask = markup == Markup::markdown ? kMarkdown
                            : markup == Markup::html   ? kHtml
                                                       : 0;
  if (mask == 0) return text.size();
  const auto* s = reinterpret_cast<const Byte*>(text.data());
  std::size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time: the snippet writer asks this of every window it renders.
  for (; i + kBlock <= text.size(); i += kBlock) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const unsigned bits = markup_bits(v, markup == Markup::markdown, markup == Markup::html);
    if (bits != 0) return i + static_cast<std::size_t>(__builtin_ctz(bits));
  }
#endif
  while (i < text.size() && (kByteClass[s[i]] & mask) == 0) ++i;
  return i;
}

void Normalizer::normalize(const Article& article, NormalizedArticle& out) {
  out.clear();
  const std::size_t n = article.text_count();
  for (std::size_t i = 0; i < n; ++i) {
    const TextRef t = article.text(i);
    if (i > 0) {
      out.text.push_back('\0');
      out.src_begin.push_back(0);
      out.src_end.push_back(0);
    }
    const auto begin = static_cast<std::uint32_t>(out.text.size());
    if (i == 1) out.body_offset = begin;
    // Plain text is read as light Markdown (links, emphasis), HTML/XHTML as HTML.
    append(t.text, t.format == BodyFormat::html ? Markup::html : Markup::markdown, out);
    out.segments.push_back({begin, static_cast<std::uint32_t>(out.text.size()), t.field});
  }
}

std::string fold_phrase(std::string_view phrase) {
  NormalizedArticle folded;
  Normalizer::append(phrase, Markup::text, folded);
  return std::move(folded.text);
}

}  // namespace newshound

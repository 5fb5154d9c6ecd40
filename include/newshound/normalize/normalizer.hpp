// Stage: normalize. Folds article text and watch-list phrases to one canonical form
// so that aliases can be matched as plain byte literals, and renders fields as
// plain text for humans with the same markup reader. Synchronous, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/article.hpp"
#include "newshound/normalize/normalized_article.hpp"
#include "newshound/util/default_init_allocator.hpp"

namespace newshound {

/// How a field's bytes are marked up.
enum class Markup { text, markdown, html };

/// Folds articles into NormalizedArticle. One per worker; holds no state between
/// calls besides reusable buffers. Input must be valid UTF-8 (the decoder
/// guarantees it); invalid sequences are folded to U+FFFD rather than trusted.
/// Never throws except std::bad_alloc.
class Normalizer {
 public:
  /// Folds every text value of `article` (Article::text order, one segment each):
  /// plain values are read as Markdown text, HTML/XHTML values as HTML, per their
  /// BodyFormat. `out` is cleared first and its storage reused.
  void normalize(const Article& article, NormalizedArticle& out);

  /// Appends the folding of `field` to `out` (offsets relative to `field`).
  /// Exposed for tests and for the phrase folding below. Markdown: `[text](url)`
  /// reads as text, `**`/`__` vanish. HTML: inline tags vanish, block tags read as
  /// white space, <script>/<style>/comments are dropped (an unclosed <script> or
  /// <style> drops the rest of the field), entities are decoded; an unterminated
  /// tag or unknown entity is text. Any byte string is accepted; a field over
  /// 4 GiB is folded up to that length.
  static void append(std::string_view field, Markup markup, NormalizedArticle& out);
};

/// Per-byte source offsets of a rendering (render_plain()): resized without
/// zero-filling, as every element is written after it grows.
using ByteOffsets = std::vector<std::uint32_t, DefaultInitAllocator<std::uint32_t>>;

/// Renders `field` as human-readable plain text, appending it to `out`: the markup
/// is read exactly as Normalizer::append() reads it (Markdown links read as their
/// text, `**`/`__` vanish; HTML tags vanish, block tags and <script>/<style> read as
/// white space, entities are decoded), but characters are NOT folded: case,
/// diacritics and punctuation are kept. Every white-space run (Unicode white space
/// and control characters included) becomes one ' ', leading and trailing white
/// space is dropped, invalid UTF-8 becomes U+FFFD, so `out` gains valid UTF-8.
/// When `src_begin` is given it is first resized to out.size() (elements added
/// there are left unwritten: read none) and then gets, for each appended byte, the
/// offset in `field` of the source character (for a ' ', the start of its
/// white-space run) that produced it; offsets never decrease.
/// Accepts any bytes; a field over 4 GiB is rendered up to that length. Never
/// throws except std::bad_alloc; reuses the capacity of `out` and `src_begin`.
void render_plain(std::string_view field, Markup markup, std::string& out,
                  ByteOffsets* src_begin = nullptr);

/// The length of the longest prefix of `text` with no byte that may start markup
/// under `markup` (Markdown: `[ ] ! * _`; HTML: `<` `&`; plain text: none; so
/// text.size() when there is none). In such text render_plain() reads every
/// code point on its own and only collapses white space, so rendering a piece of
/// such text cut at code point boundaries gives the matching piece of the whole
/// text's rendering (the bytes whose src_begin lies in the piece), trimmed of one
/// leading and one trailing ' '. Never throws.
std::size_t markup_free_prefix(std::string_view text, Markup markup);

/// Folds a watch-list phrase (alias or topic term) exactly as article text is
/// folded, as plain text (no markup), trimmed. Returns "" for a phrase that folds
/// to nothing (callers must reject it: empty literals are not compiled).
std::string fold_phrase(std::string_view phrase);

/// True if the code point that starts at (or, for `before`, ends just before)
/// `pos` in folded `text` is a letter or a digit (Unicode categories L* and N*).
/// Positions at the ends of `text` and at the '\0' separator count as non-word.
bool word_char_at(std::string_view text, std::size_t pos);
bool word_char_before(std::string_view text, std::size_t pos);

}  // namespace newshound

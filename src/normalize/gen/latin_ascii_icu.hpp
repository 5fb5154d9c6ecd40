// Build tool and tests (stage normalize): ICU's Latin-ASCII transliterator, one Latin
// letter at a time, lower-cased. The single definition of the fold table's content:
// the generator (latin_ascii_gen.cpp) writes the table from it at build time, and the
// unit tests compare the table, the normalizer and the frozen reference folder with
// it. Links ICU; the daemon never does (it reads the generated table).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>

#include <unicode/translit.h>

namespace newshound::latin_ascii_icu {

/// A block of code points [first, last] the table covers.
struct Block {
  char32_t first;
  char32_t last;
};

/// The Latin blocks: Latin-1 Supplement, Latin Extended-A and -B, IPA Extensions,
/// Phonetic Extensions (and their Supplement), Latin Extended Additional, Latin
/// Extended-C, -D and -E.
inline constexpr std::array<Block, 7> kBlocks = {{{0x0080, 0x024F},
                                                  {0x0250, 0x02AF},
                                                  {0x1D00, 0x1DBF},
                                                  {0x1E00, 0x1EFF},
                                                  {0x2C60, 0x2C7F},
                                                  {0xA720, 0xA7FF},
                                                  {0xAB30, 0xAB6F}}};

/// ICU's "Latin-ASCII" transliterator. Owns it; not thread-safe (one per thread).
class LatinAscii {
 public:
  /// Creates the transliterator; on failure returns null and sets `error` to ICU's
  /// error name.
  static std::unique_ptr<LatinAscii> create(std::string& error);
  ~LatinAscii();
  LatinAscii(const LatinAscii&) = delete;
  LatinAscii& operator=(const LatinAscii&) = delete;

  /// The lower-cased ASCII spelling of `cp` when it is a letter (Unicode L*) of one of
  /// kBlocks that Latin-ASCII turns wholly into ASCII (e.g. U+0141 -> "l", U+00C6 ->
  /// "ae"); nullopt for anything else (not a letter, outside kBlocks, or left
  /// non-ASCII by ICU).
  std::optional<std::string> fold(char32_t cp) const;

  /// ICU's version string, e.g. "72.1", for the generated file's header.
  static std::string icu_version();

 private:
  explicit LatinAscii(icu::Transliterator* t) : t_(t) {}
  icu::Transliterator* t_;
};

}  // namespace newshound::latin_ascii_icu

// Stage: encode tests. A SnippetWriter that cuts the windows of later matches out
// of one rendered region (markup-free text) writes exactly what snippet() writes
// for each match on its own (a fresh rendering of that match's window alone):
// random long fields of words, white-space runs, non-ASCII and invalid UTF-8,
// controls and some markup, with matches in reading order, at random offsets
// (inside code points too), under Markdown and HTML, for several word counts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"

using namespace newshound;

namespace {

std::string random_field(std::mt19937& rng, std::size_t pieces, bool markup) {
  static const std::vector<std::string> plain = {"Federal",
                                                 "Reserve",
                                                 "said",
                                                 "the",
                                                 "U.S.",
                                                 "caf\xC3\xA9",
                                                 "\xE2\x80\xA6",
                                                 "\xC2\xA0",
                                                 "\xE2\x80\xA8",
                                                 "\xC3",
                                                 "\x80",
                                                 "\xFF",
                                                 "\x01",
                                                 "\t",
                                                 "\n    ",
                                                 "  ",
                                                 "\xF0\x9F\x98\x80",
                                                 "(x)",
                                                 "a,b.",
                                                 "1987",
                                                 "\xED\xA0\x80"};
  static const std::vector<std::string> marked = {
      "[link](http://x/)", "**", "_", "!", "]", "<b>", "&amp;", "<p>", "["};
  std::uniform_int_distribution<std::size_t> pick(0, plain.size() - 1), mark(0, marked.size() - 1);
  std::uniform_int_distribution<int> sep(0, 3), rare(0, 400);
  std::string s;
  for (std::size_t i = 0; i < pieces; ++i) {
    if (markup && rare(rng) == 0) s += marked[mark(rng)];
    s += plain[pick(rng)];
    if (sep(rng) != 0) s += ' ';
  }
  return s;
}

}  // namespace

TEST_CASE("snippet region: pieces of one rendering equal fresh renderings",
          "[route][snippet][region]") {
  std::mt19937 rng(20261207);
  for (int round = 0; round < 60; ++round) {
    const bool markup = round % 3 == 2;
    const std::string field = random_field(rng, 200 + 40 * static_cast<std::size_t>(round), markup);
    const auto n = static_cast<std::uint32_t>(field.size());
    std::uniform_int_distribution<std::uint32_t> at(0, n + 2), len(0, 40), gap(0, 600);
    const int words = round % 9;
    for (const Markup m : {Markup::markdown, Markup::html}) {
      SnippetWriter writer;
      // Matches in reading order (as the encoder writes them), some overlapping.
      std::uint32_t start = at(rng) % 64;
      std::string out;
      for (int k = 0; k < 400 && start <= n + 2; ++k) {
        const std::uint32_t end = start + len(rng);
        out.clear();
        writer.append(out, field, start, end, m, words);
        const std::string fresh = snippet(field, start, end, m, words);
        if (out != fresh) {
          INFO("round " << round << " markup " << static_cast<int>(m) << " match [" << start << ", "
                        << end << ") of " << n);
          REQUIRE(out == fresh);
        }
        start += gap(rng);
      }
    }
  }
}

TEST_CASE("snippet region: dense matches in a long plain body share renderings",
          "[route][snippet][region]") {
  std::string body;
  while (body.size() < 100'000)
    body += "The Federal Reserve said on Tuesday that rates would hold. ";
  SnippetWriter writer;
  std::string out;
  std::uint64_t snippets = 0;
  for (std::size_t pos = body.find("Federal"); pos != std::string::npos;
       pos = body.find("Federal", pos + 1)) {
    out.clear();
    const auto start = static_cast<std::uint32_t>(pos);
    writer.append(out, body, start, start + 15, Markup::markdown);
    CHECK(out == snippet(body, start, start + 15, Markup::markdown));
    ++snippets;
  }
  // One rendering of about two windows serves the ~30 matches of one window.
  CHECK(writer.stats().snippets == snippets);
  CHECK(writer.stats().renders * 10 < snippets);
}

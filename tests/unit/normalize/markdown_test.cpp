// Stage: normalize (tests). Markdown reading of headlines and text bodies: links
// keep their text, emphasis markers vanish, other punctuation stays text.
#include <catch2/catch.hpp>

#include "fold_helpers.hpp"

using newshound::Markup;
using newshound::test::fold;

namespace {
std::string md(std::string_view s) {
  return fold(s, Markup::markdown);
}
}  // namespace

TEST_CASE("markdown links read as their text", "[normalize][markdown]") {
  CHECK(md("Lavrov [said](#) on Monday") == "lavrov said on monday");
  CHECK(md("[Reuters](https://example.com/a_b?x=1&y=2) reported") == "reuters reported");
  CHECK(md("see ![Kremlin wall](img/k.jpg) photo") == "see kremlin wall photo");
  CHECK(md("[**Putin**](#)") == "putin");
  CHECK(md("[](#)empty") == "empty");
}

TEST_CASE("brackets that are not links stay text", "[normalize][markdown]") {
  CHECK(md("[sic] and [1]") == "[sic] and [1]");
  CHECK(md("[a] (b)") == "[a] (b)");    // space between ] and (
  CHECK(md("[a](b c)") == "[a](b c)");  // white space in the url
  CHECK(md("[a [b](#)") == "[a b");     // the inner bracket opens the link
  CHECK(md("[unclosed link(#)") == "[unclosed link(#)");
  CHECK(md("[a](unclosed") == "[a](unclosed");
  CHECK(md("wow! [x]") == "wow! [x]");
}

TEST_CASE("emphasis markers vanish so phrases span them", "[normalize][markdown]") {
  CHECK(md("Sergei **Lavrov**") == "sergei lavrov");
  CHECK(md("**Sergei\nLavrov**") == "sergei lavrov");
  CHECK(md("Vla**di**mir") == "vladimir");
  CHECK(md("__BREAKING__: NATO") == "breaking: nato");
  CHECK(md("***") == "*");
}

TEST_CASE("single markdown characters are text", "[normalize][markdown]") {
  CHECK(md("*Note* _see_ # 5 < 6") == "*note* _see_ # 5 < 6");
  CHECK(md("AT&amp;T") == "at&amp;t");  // no entities outside HTML
}

TEST_CASE("markdown fold of typographic text", "[normalize][markdown]") {
  CHECK(md("“We’re ready,” **Lavrov** [said](#) — again") ==
        "\"we're ready,\" lavrov said - again");
}

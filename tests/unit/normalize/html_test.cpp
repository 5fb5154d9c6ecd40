// Stage: normalize (tests). HTML reading of bodies: tags, script/style/comments,
// entities, and what stays text when markup is malformed.
#include <catch2/catch.hpp>

#include "fold_helpers.hpp"

using newshound::Markup;
using newshound::test::fold;

namespace {
std::string html(std::string_view s) {
  return fold(s, Markup::html);
}
}  // namespace

TEST_CASE("inline tags vanish, block tags read as white space", "[normalize][html]") {
  CHECK(html("Vla<b>dimir</b> Putin") == "vladimir putin");
  CHECK(html("<p>Sergei</p><p>Lavrov</p>") == "sergei lavrov");
  CHECK(html("Sergei<br>Lavrov<br/>said") == "sergei lavrov said");
  CHECK(html("<ul><li>NATO</li><li>EU</li></ul>") == "nato eu");
  CHECK(html("<table><tr><td>U.S.</td><td>Japan</td></tr></table>") == "u.s. japan");
  CHECK(html("<H1>HEADLINE</H1>Body") == "headline body");
  CHECK(html("<div class=\"x\">A</div><blockquote>B</blockquote>") == "a b");
  CHECK(html("<a href=\"https://example.com/\">Lav</a><span>rov</span>") == "lavrov");
  CHECK(html("<em>Ed</em><strong>ouard</strong> <i>x</i>") == "edouard x");
}

TEST_CASE("script, style and comments are dropped", "[normalize][html]") {
  CHECK(html("a<script>var Putin = 1;</script>b") == "a b");
  CHECK(html("a<SCRIPT type=\"x\">if (a<b) {}</SCRIPT >b") == "a b");
  CHECK(html("a<style>p { color: red }</style>b") == "a b");
  CHECK(html("Vla<!-- Putin -->dimir") == "vladimir");
  CHECK(html("a<script>never closed Putin") == "a");
  CHECK(html("<!DOCTYPE html><?xml x?>text") == "text");
}

TEST_CASE("entities are decoded, then folded", "[normalize][html]") {
  CHECK(html("AT&amp;T &lt;tag&gt; &quot;q&quot; &apos;") == "at&t <tag> \"q\" '");
  CHECK(html("Lavrov&rsquo;s &lsquo;a&rsquo; &ldquo;b&rdquo;") == "lavrov's 'a' \"b\"");
  CHECK(html("1&ndash;2&mdash;3&hellip;") == "1-2-3...");
  CHECK(html("&Eacute;douard M&eacute;lenchon") == "edouard melenchon");
  CHECK(html("&agrave; &ouml; &ccedil; &ntilde; &szlig;") == "a o c n ss");
  CHECK(html("New&nbsp;York") == "new york");
  CHECK(html("Lavrov&#8217;s &#x2019; &#X2019;") == "lavrov's ' '");
  CHECK(html("&#233;&#xE9;") == "ee");
  CHECK(html("Lavrov&#146;s") == "lavrov's");         // Windows-1252 apostrophe
  CHECK(html("&lt;b&gt;x&lt;/b&gt;") == "<b>x</b>");  // decoded '<' is text, not a tag
}

TEST_CASE("malformed markup is text", "[normalize][html]") {
  CHECK(html("a < b and c > d") == "a < b and c > d");
  CHECK(html("x <b unterminated") == "x <b unterminated");
  CHECK(html("AT&T &unknown; &amp &#; &#xZZ;") == "at&t &unknown; &amp &#; &#xzz;");
  CHECK(html("&#0;|&#xD800;|&#x110000;|&#99999999999;") ==
        "\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD");
  CHECK(html("<!-- unterminated comment") == "<!-- unterminated comment");
  CHECK(html("<") == "<");
  CHECK(html("&") == "&");
}

TEST_CASE("entity for a control character or zero-width char follows the text rules",
          "[normalize][html]") {
  CHECK(html("a&#9;&#10;b") == "a b");
  CHECK(html("Pu&#8203;tin") == "putin");
  CHECK(html("a&#1;b") == "a b");
}

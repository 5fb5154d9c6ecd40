// Stage: encode tests. The work of snippets is linear in the matches: each snippet
// examines a bounded window of its field (SnippetStats counts the bytes), never the
// field back to its start, and a window shared by several matches is rendered
// once. Asserts counted work, not time: a 600 KB article naming one entity 100,000
// times (68 s per article when every snippet scanned back to the field's start).
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <string>

#include "newshound/encode/alert_encoder.hpp"

using namespace newshound;

namespace {

// The alert bounds (AlertLimits) lifted: these tests measure the snippet work of
// every match, not the bounded alert.
const AlertLimits kUnbounded{1'000'000, std::size_t{1} << 30, 1'000'000};

/// An entity-only view and an article whose body is `unit` repeated `times`,
/// with one match of entity 0 on each repeat's `needle`.

struct Dense {
  std::vector<ListInfo> lists{{"people", "", {}}};
  std::vector<Entity> entities{{"Vladimir Putin", 0}};
  Article article;
  MatchSet matches;

  Dense(const std::string& unit, const std::string& needle, std::size_t times,
        BodyFormat format = BodyFormat::text) {
    article.id = "dense";
    article.headline = "Putin and Putin";
    article.body_format = format;
    article.body.reserve(unit.size() * times);
    const auto at = static_cast<std::uint32_t>(unit.find(needle));
    for (std::size_t i = 0; i < times; ++i) {
      Match m;
      m.entity = 0;
      m.field = Field::body;
      m.value = 1;
      m.start = static_cast<std::uint32_t>(article.body.size()) + at;
      m.end = m.start + static_cast<std::uint32_t>(needle.size());
      matches.matches.push_back(m);
      article.body += unit;
    }
    for (std::uint32_t s : {0u, 10u}) matches.matches.push_back({0, 0, Field::headline, s, s + 5});
  }

  SnippetStats encode(AlertEncoder& enc) const {
    enc.reset_stats();
    const auto alert =
        enc.encode(article, matches, RulesView{lists, entities, "v1"}, {}, kUnbounded);
    REQUIRE(alert != nullptr);
    return enc.snippet_stats();
  }
};

// The most a snippet may examine: its read window (words+1)*256 bytes each side of
// the match, searched for cut markup at most twice and rendered once.
constexpr std::uint64_t kPerSnippet = 5 * 7 * 256 + 64;

}  // namespace

TEST_CASE("snippet work: bounded per match, doubling the matches at most doubles it",
          "[route][snippet][work]") {
  for (const BodyFormat format : {BodyFormat::text, BodyFormat::html}) {
    const std::string unit = format == BodyFormat::html ? "<p>Mr Putin said</p> " : "Putin said ";
    AlertEncoder enc;
    const SnippetStats one = Dense(unit, "Putin", 2'000, format).encode(enc);
    const SnippetStats two = Dense(unit, "Putin", 4'000, format).encode(enc);
    INFO("bytes examined: " << one.bytes_examined << " for 2,000 matches, " << two.bytes_examined
                            << " for 4,000");
    CHECK(one.snippets == 2'002);
    CHECK(two.snippets == 4'002);
    CHECK(one.bytes_examined <= one.snippets * kPerSnippet);
    CHECK(two.bytes_examined <= two.snippets * kPerSnippet);
    // Matches near the field's ends read less (their window is clamped), a share
    // that halves as the matches double: hence ~2, not exactly 2.
    CHECK(two.bytes_examined * 10 <= 21 * one.bytes_examined);
    // The headline's two matches share one window: rendered once.
    CHECK(two.renders <= two.snippets - 1);
  }
}

TEST_CASE("snippet work: one window per short field, whatever the matches",
          "[route][snippet][work]") {
  AlertEncoder enc;
  const SnippetStats s = Dense("Putin ", "Putin", 100, BodyFormat::text).encode(enc);
  CHECK(s.snippets == 102);
  CHECK(s.renders == 2);  // the headline's window and the 600-byte body's
}

TEST_CASE("snippet work: a 600 KB article naming one entity 100,000 times",
          "[route][snippet][work]") {
  const Dense dense("Putin ", "Putin", 100'000);
  REQUIRE(dense.article.body.size() == 600'000);
  AlertEncoder enc;
  const SnippetStats s = dense.encode(enc);
  INFO("bytes examined " << s.bytes_examined);
  CHECK(s.snippets == 100'002);
  CHECK(s.bytes_examined <= s.snippets * kPerSnippet);  // not 100,000 x 300 KB
  // The snippets are what snippet() gives for each match on its own.
  const auto alert = enc.encode(dense.article, dense.matches,
                                RulesView{dense.lists, dense.entities, "v1"}, {}, kUnbounded);
  const auto root = boost::json::parse(alert->json).as_object();
  const auto& ms = root.at("matches").as_array();
  REQUIRE(ms.size() == 100'002);
  for (std::size_t i :
       {std::size_t{2}, std::size_t{3}, std::size_t{50'000}, std::size_t{100'001}}) {
    const Match& m = dense.matches.matches[i - 2];
    CHECK(ms[i].at("snippet").as_string() ==
          snippet(dense.article.body, m.start, m.end, Markup::markdown));
  }
}

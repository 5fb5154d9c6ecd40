// Stage: encode tests. No allocation per match: once an AlertEncoder's buffers have
// grown, encoding a dense article (a long body naming an entity 200 times, each
// snippet a window of its own, plus headline matches) allocates exactly what an
// alert with a single match does (the Alert and its strings), whatever the number
// of matches. Counts calls to the global operator new (support/alloc_counter.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "newshound/encode/alert_encoder.hpp"
#include "support/alloc_counter.hpp"

using namespace newshound;

namespace {

const AlertLimits kUnbounded{1'000'000, std::size_t{1} << 30, 1'000'000};

/// An article naming "Federal Reserve" `times` times in a long Markdown body (each
/// repeat ~4 KB apart, so every snippet renders a window of its own) and twice in
/// its headline, with one match per mention (or only the first when `one`).
struct DenseArticle {
  std::vector<ListInfo> lists{{"markets", "", {"fed", "us"}}, {"people", "", {"x"}}};
  std::vector<Entity> entities{{"Federal Reserve", 0}, {"Jerome \"J\" Powell\\", 1}};
  Article article;
  MatchSet matches;

  explicit DenseArticle(std::size_t times) {
    article.id = "urn:dense:\"1\"";
    article.headline = "Federal Reserve \xE2\x80\x9Cholds\xE2\x80\x9D \x01 Federal Reserve";
    article.versioncreated = "2026-12-07T01:00:00Z";
    article.body_format = BodyFormat::text;
    std::string filler;
    for (int i = 0; i < 160; ++i) filler += "[word](http://x/) **bold** text\n";
    for (std::size_t i = 0; i < times; ++i) {
      const auto at = static_cast<std::uint32_t>(article.body.size() + filler.size());
      article.body += filler;
      article.body += "the Federal Reserve and Jerome Powell said. ";
      matches.matches.push_back({0, 1, Field::body, at + 4, at + 19});
      matches.matches.push_back({1, 1, Field::body, at + 24, at + 37});
    }
    matches.matches.push_back({0, 0, Field::headline, 0, 15});
    matches.matches.push_back({0, 0, Field::headline, 34, 49});
  }

  /// Allocations of one encode(), after one to warm the encoder's buffers.
  long allocations(AlertEncoder& enc) const {
    const RulesView rules{lists, entities, "0123456789ab"};
    REQUIRE(enc.encode(article, matches, rules, {}, kUnbounded) != nullptr);
    newshound::test::AllocCounter counter;
    const auto alert = enc.encode(article, matches, rules, {}, kUnbounded);
    counter.stop();
    REQUIRE(alert != nullptr);
    return counter.allocations();
  }
};

}  // namespace

TEST_CASE("encode: no allocation per match on a dense article", "[encode][alloc]") {
  AlertEncoder enc;
  DenseArticle dense(200), single(1);
  single.matches.matches.resize(1);
  const long per_alert = single.allocations(enc);
  const long dense_allocs = dense.allocations(enc);
  INFO("single match: " << per_alert << ", 402 matches: " << dense_allocs);
  CHECK(per_alert >= 1);  // the Alert itself: the counter counts
  CHECK(per_alert <= 8);  // the Alert and its strings and list vector
  CHECK(dense_allocs == per_alert);
}

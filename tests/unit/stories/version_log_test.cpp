// Tests (stories): a batch's VersionLog gives back every version added, strings
// and fields, in order, across buffer growth and reuse; an ArticleVersion copies a
// view and converts back to one.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "newshound/stories/article_version.hpp"

using namespace newshound;

namespace {

Article article_n(int n) {
  Article a;
  a.id = "urn:newshound:test:" + std::to_string(n) +
         std::string(static_cast<std::size_t>(n % 7) * 9, 'x');
  a.version = n % 3 == 0 ? "" : std::to_string(n);
  a.versioncreated = "2026-12-07T10:" + std::to_string(10 + n % 50) + ":00Z";
  a.headline = n % 5 == 0 ? "" : "Headline number " + std::to_string(n) + " with \xc3\xa9 accents";
  a.pubstatus = n % 4 == 0 ? PubStatus::canceled : PubStatus::usable;
  a.embargoed = n % 6 == 0 ? "2026-12-08T00:00:00Z" : "";
  a.urgency = static_cast<std::uint8_t>(n % 9);
  a.received_at = Clock::time_point(std::chrono::seconds(n));
  return a;
}

void check_version(const ArticleVersionView& v, const Article& a, int n) {
  INFO("version " << n);
  CHECK(v.article_id == a.id);
  CHECK(v.version == (a.version.empty() ? a.versioncreated : a.version));
  CHECK(v.versioncreated == a.versioncreated);
  CHECK(v.headline == a.headline);
  CHECK(v.pubstatus == a.pubstatus);
  CHECK(v.embargo.has_value() == !a.embargoed.empty());
  CHECK(v.urgency == a.urgency);
  CHECK(v.matches == static_cast<std::uint64_t>(n) * 31);
  CHECK(v.received_at == a.received_at);
  CHECK(v.alert == (n % 2 == 0));
}

}  // namespace

TEST_CASE("stories version log: every version back, in order, after growth and reuse") {
  VersionLog log;
  for (int round = 0; round < 2; ++round) {
    log.clear();
    CHECK(log.empty());
    std::vector<Article> articles;
    for (int n = 0; n < 500; ++n) {
      articles.push_back(article_n(n + round));
      // The view points into the article, which changes right after: the log copies.
      Article scratch = articles.back();
      log.add(ArticleVersionView::of(scratch, static_cast<std::uint64_t>(n + round) * 31,
                                     (n + round) % 2 == 0));
      scratch.id.assign(scratch.id.size(), '#');
    }
    REQUIRE(log.size() == 500);
    int n = 0;
    for (const ArticleVersionView v : log) {
      check_version(v, articles[static_cast<std::size_t>(n)], n + round);
      ++n;
    }
    CHECK(n == 500);
    check_version(log[123], articles[123], 123 + round);
  }
}

TEST_CASE("stories version log: an owned version copies a view and converts back") {
  const Article a = article_n(12);  // an embargo, no version of its own
  ArticleVersion owned;
  owned.assign(ArticleVersionView::of(a, 12 * 31, true));
  const ArticleVersionView back = owned;
  check_version(back, a, 12);
  CHECK(back.version == a.versioncreated);
  CHECK(back.article_id.data() == owned.article_id.data());  // a view of the copy
  const Arrival arrival = back.arrival("alert-1", "payload");
  CHECK(arrival.article_id == a.id);
  CHECK(arrival.version == a.versioncreated);
  CHECK(arrival.embargo == back.embargo);
  CHECK(arrival.alert_id == "alert-1");
  CHECK(arrival.matches == 12 * 31);
}

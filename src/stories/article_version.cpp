// Stage: stories. One article version as the lifecycle needs it (see
// article_version.hpp).
#include "newshound/stories/article_version.hpp"

#include "newshound/util/feed_date.hpp"

namespace newshound {

void ArticleVersion::assign(const Article& article, std::uint64_t match_fingerprint,
                            bool has_alert) {
  article_id.assign(article.id);
  version.assign(lifecycle_version(article));
  versioncreated.assign(article.versioncreated);
  headline.assign(article.headline);
  pubstatus = article.pubstatus;
  embargo = article.embargoed.empty() ? std::nullopt : parse_feed_date(article.embargoed);
  urgency = article.urgency;
  matches = match_fingerprint;
  received_at = article.received_at;
  alert = has_alert;
}

Arrival ArticleVersion::arrival(std::string_view alert_id, std::string_view payload) const {
  Arrival a;
  a.article_id = article_id;
  a.version = version;
  a.pubstatus = pubstatus;
  a.embargo = embargo;
  a.matches = matches;
  a.alert_id = alert_id;
  a.payload = payload;
  a.rules_in_matches = true;  // match_hash() with the rules version (pipeline_worker.cpp)
  return a;
}

}  // namespace newshound

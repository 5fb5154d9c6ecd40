// Stage: source. feed_record (feed_input.hpp): one feed item as the ninjs record
// the pipeline decodes like any NDJSON line (Boost.JSON writes the escaping).
#include <boost/json.hpp>

#include "newshound/source/feed_input.hpp"

namespace newshound {

std::string feed_record(const FeedItem& item, std::string_view feed_url) {
  boost::json::object o;
  o["uri"] = item.id;
  if (!item.title.empty()) o["headline"] = item.title;
  if (!item.body.empty()) o[item.body_html ? "body_html" : "body_text"] = item.body;
  if (!item.summary.empty())
    o[item.body_html ? "description_html" : "description_text"] = item.summary;
  const std::string& when = item.updated.empty() ? item.published : item.updated;
  if (!when.empty()) o["versioncreated"] = when;
  if (!item.published.empty()) o["firstcreated"] = item.published;
  boost::json::array links;
  if (!item.link.empty())
    links.push_back(boost::json::object{{"href", item.link}, {"rel", "alternate"}});
  links.push_back(boost::json::object{{"href", feed_url}, {"rel", "feed"}});
  o["links"] = std::move(links);
  return boost::json::serialize(o);
}

}  // namespace newshound

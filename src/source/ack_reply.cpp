// Stage: source. The acknowledgement wire format (see ack_reply.hpp).
#include "newshound/source/ack_reply.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

namespace newshound {

void append_ack_reply(std::string& out, std::string_view article_id) {
  out += "{\"ack\":";
  out += boost::json::serialize(boost::json::string_view(article_id.data(), article_id.size()));
  out += "}\n";
}

}  // namespace newshound

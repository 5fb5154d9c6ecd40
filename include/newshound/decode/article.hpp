// Stage: decode. The second hand-off type: one article, decoded from any feed shape.
#pragma once

#include <cstdint>
#include <string>

#include "newshound/util/clock.hpp"

namespace newshound {

/// How the body is marked up; decides how the normalizer reads it.
enum class BodyFormat : std::uint8_t { text, html };

/// A decoded article. Owns copies of its strings; a worker reuses one instance
/// (clear() keeps capacity), so steady-state decoding allocates nothing.
struct Article {
  std::string id;             ///< feed id (ninjs `uri`, `guid`, ...) or content hash
  bool id_from_hash = false;  ///< true when the feed gave no id and we derived one
  std::string headline;
  std::string body;  ///< body text or HTML, per body_format
  BodyFormat body_format = BodyFormat::text;
  std::string versioncreated;
  std::string language;
  std::string located;
  std::string byline;
  std::string type;  ///< ninjs `type` (text, picture, ...) or the wire's own
  Clock::time_point received_at{};
  std::uint32_t input = 0;

  void clear() {
    id.clear();
    id_from_hash = false;
    headline.clear();
    body.clear();
    body_format = BodyFormat::text;
    versioncreated.clear();
    language.clear();
    located.clear();
    byline.clear();
    type.clear();
  }
};

}  // namespace newshound

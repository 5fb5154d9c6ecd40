// Stage: decode (internal). NewsmlReader: one NewsML-G2 record (a newsItem, or a
// newsMessage carrying one) onto an Article. Owned by a Decoder, made for the first
// XML record it sees, reused for every later one.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "newshound/decode/article.hpp"
#include "newshound/decode/decoder.hpp"

namespace newshound::decode_detail {

/// Reads NewsML-G2 records (docs/formats.md has the element-to-field table). Keeps
/// the pugixml document and the in-place parse buffer between records, so only
/// pugixml's node pages are allocated per record. Never throws on input.
class NewsmlReader {
 public:
  /// Fills `out` (already cleared) from `record`; errors as parse_xml_record, then
  /// not_newsml (another root element), several_items (a newsMessage with more than
  /// one newsItem), no_text (no headline, body or description; a message without
  /// items), invalid_utf8 (a character reference to a surrogate or beyond U+10FFFF).
  DecodeError decode(std::string_view record, Article& out);

 private:
  void read_item_meta(pugi::xml_node meta, Article& out);
  void read_content_meta(pugi::xml_node meta, Article& out);
  void read_content_set(pugi::xml_node set, Article& out);
  /// Adds `value` as the main headline/body when `main`, else as an extra value of
  /// `field`; its path is the item's path plus `/<parent>/<name>[<k>]` of `n`.
  void add_text(pugi::xml_node n, Field field, BodyFormat format, std::string_view value, bool main,
                Article& out);

  pugi::xml_document doc_;
  std::string buf_;                // the record, parsed in place
  std::string text_;               // one value being collected
  std::string path_;               // its path ("/newsItem/contentMeta/headline[1]")
  std::size_t item_path_len_ = 0;  // length of the item's own path in path_
  bool body_set_ = false;          // the main body is taken
};

}  // namespace newshound::decode_detail

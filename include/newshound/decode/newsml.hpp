// Stage: decode. NewsML-G2 for the sources: telling an XML record from a JSON one,
// and splitting a `newsMessage` into one standalone `newsItem` document per item
// (Decoder::decode reads one item per record). See docs/formats.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "newshound/decode/decoder.hpp"

namespace newshound {

/// True when `record`, after an optional UTF-8 BOM and white space, starts with
/// '<': the Decoder reads it as NewsML-G2 XML (otherwise as JSON).
bool starts_with_markup(std::string_view record);

/// Splits one NewsML-G2 record into the records Decoder::decode takes, appended to
/// `items` (not cleared). A `newsMessage` gives each `itemSet/newsItem` as its own
/// XML document (UTF-8, no declaration, the message's namespace declarations copied
/// onto the item; whitespace, CDATA and attributes kept, comments and processing
/// instructions dropped); a `newsItem` document is appended unchanged. Returns the
/// reason the whole record is refused (invalid_utf8, not_xml, xml_dtd, too_deep,
/// not_newsml, too_large) with `items` unchanged, else ok; a message without items
/// is ok with nothing appended. Never throws on input (std::bad_alloc aside).
DecodeError split_newsml(std::string_view record, std::vector<std::string>& items);

}  // namespace newshound

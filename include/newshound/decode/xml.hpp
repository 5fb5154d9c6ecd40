// Stage: decode. The guarded XML parse every XML reader shares (the NewsML-G2
// reader and message splitter, the source stage's RSS/Atom/OPML parser): pugixml
// in place (UTF-8 only, no DTD, bounded depth, one root element), element names
// without their prefix, text content and XHTML re-serialization. Every walk is
// iterative: no recursion over the document. Never throws on input.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "newshound/decode/decoder.hpp"

namespace newshound::xml {

/// Parses `record` (an optional UTF-8 BOM first) into `doc`, in place in `buf`
/// (reused: the document points into it until the next parse). Refuses, in order:
/// records of 2 GiB or more (too_large); bytes that are not UTF-8 (invalid_utf8); a
/// DOCTYPE in the prolog (xml_dtd, found by a scan before parsing: internal subsets
/// are where entity bombs live; pugixml never expands entities it does not know, and
/// we never read DTDs); input that is not well-formed XML with exactly one root
/// element and no text beside it (not_xml); elements nested deeper than
/// Decoder::kMaxDepth (too_deep; pugixml parses without recursion, and the depth is
/// only walked when the record has more '<' bytes than that). On ok, `root` is the
/// root element.
DecodeError parse_xml_record(std::string_view record, std::string& buf, pugi::xml_document& doc,
                             pugi::xml_node& root);

/// The name of `n` without its namespace prefix ("nar:headline" -> "headline").
std::string_view local_name(pugi::xml_node n);

/// The first child element of `n` named `name` (local name), or null.
pugi::xml_node child_named(pugi::xml_node n, std::string_view name);

/// The position (1-based) of element `n` among its siblings of the same local name.
std::size_t sibling_index(pugi::xml_node n);

/// The text of `n`: its character data and that of every descendant (CDATA
/// included, entities resolved), in document order, appended to `out`.
void append_text(pugi::xml_node n, std::string& out);

/// The children of `n` written back as XHTML (elements with their attributes,
/// character data and CDATA as escaped text; comments and processing instructions
/// dropped), appended to `out`.
void append_xhtml(pugi::xml_node n, std::string& out);

/// `s` without leading and trailing XML white space (space, tab, CR, LF).
std::string_view trim_xml_space(std::string_view s);

}  // namespace newshound::xml

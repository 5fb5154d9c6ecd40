// Stage: source. Reading a feed document (RSS 2.0, RSS 1.0/RDF, Atom 1.0) into
// items, and an OPML outline into feed URLs: pure functions over bytes, no I/O,
// so they are unit-tested and fuzzed on their own (tests/fuzz/feed.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "newshound/util/feed_date.hpp"

namespace newshound {

/// Why a whole document was refused (an item-level problem only skips the item).
enum class FeedError {
  ok = 0,
  too_large,     ///< 2 GiB or more
  invalid_utf8,  ///< not UTF-8 (after a declared ISO-8859-1 / windows-1252 was converted)
  xml_dtd,       ///< a DOCTYPE: refused unread (entity bombs live in internal subsets)
  not_xml,       ///< not well-formed XML with one root element
  too_deep,      ///< elements nested deeper than Decoder::kMaxDepth
  not_a_feed,    ///< well-formed XML whose root is not rss, rdf:RDF, feed (or opml)
};

/// Stable snake_case name of a reason, used in logs and metrics labels.
std::string_view to_string(FeedError e);

/// One feed item, as the poller turns it into a ninjs record. All strings UTF-8.
struct FeedItem {
  /// guid / atom:id / rdf:about, else the link, else "sha:" + a hash of title and body.
  std::string id;
  std::string title;
  std::string body;        ///< content:encoded / atom:content / description / summary
  bool body_html = false;  ///< `body` is HTML (RSS descriptions, Atom type="html"/"xhtml")
  /// A shorter summary given beside a fuller body (RSS description next to
  /// content:encoded, Atom summary next to content); HTML when body_html.
  std::string summary;
  std::string link;  ///< the item's web page (RSS link, Atom link rel="alternate")
  /// RFC 3339 in UTC ("2026-12-07T10:00:00Z"): the newest of updated / pubDate /
  /// dc:date / published; empty when absent or unreadable.
  std::string updated;
  std::string published;  ///< RFC 3339 UTC first publication (Atom published), may be empty
  bool operator==(const FeedItem&) const = default;
};

/// A parsed document: its items in document order, and a count of items skipped
/// (neither title nor body nor link).
struct FeedDocument {
  FeedError error = FeedError::ok;
  std::string format;  ///< "rss", "rdf", "atom" (empty on error)
  std::string title;   ///< the channel / feed title
  std::vector<FeedItem> items;
  std::size_t skipped = 0;
};

/// Parses a feed. Never throws but std::bad_alloc; refuses DTDs before parsing,
/// walks the tree without recursion. Element names are matched by local name, so
/// prefixes do not matter (content:encoded, dc:date, atom:link inside RSS).
FeedDocument parse_feed(std::string_view bytes);

/// An OPML 1.0/2.0 outline: the `xmlUrl` of every outline, nested folders
/// included, in document order without duplicates.
struct OpmlDocument {
  FeedError error = FeedError::ok;
  std::vector<std::string> urls;
};
OpmlDocument parse_opml(std::string_view bytes);

}  // namespace newshound

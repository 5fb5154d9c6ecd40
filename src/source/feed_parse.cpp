// Stage: source. parse_feed and parse_opml (feed_parse.hpp): RSS 2.0, RSS
// 1.0/RDF and Atom 1.0 items, OPML outlines. The XML is read by the decode
// stage's guarded parse (newshound/decode/xml.hpp: no DTD, UTF-8 only, bounded
// depth, as for NewsML-G2) after a declared ISO-8859-1 / windows-1252 document is
// converted to UTF-8; every walk is iterative.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "newshound/decode/xml.hpp"
#include "newshound/source/feed_parse.hpp"
#include "newshound/util/hash.hpp"
#include "newshound/util/utf8.hpp"

namespace newshound {

namespace {

using xml::append_text;
using xml::append_xhtml;
using xml::local_name;
using xml::trim_xml_space;

FeedError from_decode(DecodeError e) {
  switch (e) {
    case DecodeError::ok:
      return FeedError::ok;
    case DecodeError::too_large:
      return FeedError::too_large;
    case DecodeError::invalid_utf8:
      return FeedError::invalid_utf8;
    case DecodeError::xml_dtd:
      return FeedError::xml_dtd;
    case DecodeError::too_deep:
      return FeedError::too_deep;
    default:
      return FeedError::not_xml;
  }
}

/// True when the XML declaration names a single-byte Latin encoding.
bool declares_latin1(std::string_view s) {
  if (s.substr(0, 5) != "<?xml") return false;
  std::string decl(s.substr(0, std::min<std::size_t>(s.find("?>"), 200)));
  for (char& c : decl) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view name : {"iso-8859-1", "latin1", "latin-1", "windows-1252", "us-ascii"})
    if (decl.find(std::string("\"") + std::string(name) + "\"") != std::string::npos ||
        decl.find(std::string("'") + std::string(name) + "'") != std::string::npos)
      return true;
  return false;
}

/// Parses `bytes` into `doc`; a declared Latin-1 document is converted first
/// (windows-1252's extra characters are read as Latin-1's C1 controls).
FeedError parse_document(std::string_view bytes, std::string& buf, pugi::xml_document& doc,
                         pugi::xml_node& root) {
  std::string converted;
  if (declares_latin1(bytes) && !utf8::is_valid(bytes)) {
    converted.reserve(bytes.size() + bytes.size() / 8);
    for (const char c : bytes) utf8::append(converted, static_cast<unsigned char>(c));
    bytes = converted;
  }
  return from_decode(xml::parse_xml_record(bytes, buf, doc, root));
}

std::string text_of(pugi::xml_node n) {
  std::string out;
  append_text(n, out);
  return std::string(trim_xml_space(out));
}

/// An Atom text construct (title, summary, content): type="xhtml" is written
/// back as markup, type="html" is HTML already (entities resolved by the parser),
/// anything else text.
std::string atom_text(pugi::xml_node n, bool& html) {
  const std::string_view type = n.attribute("type").value();
  html = type == "html" || type == "xhtml" || type == "text/html";
  if (type != "xhtml") return text_of(n);
  std::string out;
  pugi::xml_node div = xml::child_named(n, "div");
  append_xhtml(div ? div : n, out);
  return std::string(trim_xml_space(out));
}

/// The link of an RSS <link> (text) or Atom <link href rel="alternate">.
/// Returns "" for an Atom link of another relation (self, enclosure, ...).
std::string link_of(pugi::xml_node n) {
  if (const pugi::xml_attribute href = n.attribute("href")) {
    const std::string_view rel = n.attribute("rel").value();
    return rel.empty() || rel == "alternate" ? std::string(trim_xml_space(href.value())) : "";
  }
  return text_of(n);
}

/// The fields of one item or entry, by local name, the first of each kept.
struct Fields {
  pugi::xml_node guid, id, title, encoded, content, description, summary, pub_date, updated,
      published, date, modified;
  std::string link;
  std::string about;  ///< rdf:about
};

Fields fields_of(pugi::xml_node item) {
  Fields f;
  f.about = item.attribute("rdf:about").value();
  auto keep = [](pugi::xml_node& slot, pugi::xml_node n) {
    if (!slot) slot = n;
  };
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = local_name(c);
    if (name == "guid")
      keep(f.guid, c);
    else if (name == "id")
      keep(f.id, c);
    else if (name == "title")
      keep(f.title, c);
    else if (name == "encoded")
      keep(f.encoded, c);
    else if (name == "content")
      keep(f.content, c);
    else if (name == "description")
      keep(f.description, c);
    else if (name == "summary")
      keep(f.summary, c);
    else if (name == "pubDate")
      keep(f.pub_date, c);
    else if (name == "updated")
      keep(f.updated, c);
    else if (name == "published" || name == "issued")
      keep(f.published, c);
    else if (name == "date")
      keep(f.date, c);
    else if (name == "modified")
      keep(f.modified, c);
    else if (name == "link" && f.link.empty())
      f.link = link_of(c);
  }
  return f;
}

FeedItem item_of(pugi::xml_node node, bool atom) {
  const Fields f = fields_of(node);
  FeedItem it;
  bool html = false;
  if (f.title) it.title = atom ? atom_text(f.title, html) : text_of(f.title);
  it.link = f.link;
  // Body: the fullest form given; a shorter one beside it is the summary.
  if (f.encoded) {
    it.body = text_of(f.encoded);
    it.body_html = true;
  } else if (f.content) {
    it.body = atom_text(f.content, it.body_html);
    if (!atom) it.body_html = true;
  }
  pugi::xml_node shorter = f.description ? f.description : f.summary;
  if (shorter) {
    bool shorter_html = !atom || f.description;
    std::string text = atom && !f.description ? atom_text(shorter, shorter_html) : text_of(shorter);
    if (it.body.empty()) {
      it.body = std::move(text);
      it.body_html = shorter_html;
    } else if (text != it.body) {
      it.summary = std::move(text);
    }
  }
  for (pugi::xml_node d : {f.updated, f.modified, f.pub_date, f.date, f.published}) {
    if (!d || !it.updated.empty()) continue;
    it.updated = normalize_feed_date(text_of(d));
  }
  if (f.published) it.published = normalize_feed_date(text_of(f.published));
  if (f.guid) it.id = text_of(f.guid);
  if (it.id.empty() && f.id) it.id = text_of(f.id);
  if (it.id.empty()) it.id = std::string(trim_xml_space(f.about));
  if (it.id.empty()) it.id = it.link;
  if (it.id.empty()) it.id = "sha:" + stable_hash_hex({it.title, it.body});
  return it;
}

void add_item(FeedDocument& doc, pugi::xml_node node, bool atom) {
  FeedItem it = item_of(node, atom);
  if (it.title.empty() && it.body.empty() && it.link.empty()) {
    ++doc.skipped;
    return;
  }
  doc.items.push_back(std::move(it));
}

}  // namespace

std::string_view to_string(FeedError e) {
  switch (e) {
    case FeedError::ok:
      return "ok";
    case FeedError::too_large:
      return "too_large";
    case FeedError::invalid_utf8:
      return "invalid_utf8";
    case FeedError::xml_dtd:
      return "xml_dtd";
    case FeedError::not_xml:
      return "not_xml";
    case FeedError::too_deep:
      return "too_deep";
    case FeedError::not_a_feed:
      return "not_a_feed";
  }
  return "unknown";
}

FeedDocument parse_feed(std::string_view bytes) {
  FeedDocument out;
  std::string buf;
  pugi::xml_document doc;
  pugi::xml_node root;
  if ((out.error = parse_document(bytes, buf, doc, root)) != FeedError::ok) return out;
  const std::string_view kind = local_name(root);
  if (kind == "feed") {  // Atom 1.0: entries are children of the root
    out.format = "atom";
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (local_name(c) == "entry") add_item(out, c, true);
      if (local_name(c) == "title" && out.title.empty()) out.title = text_of(c);
    }
    return out;
  }
  if (kind != "rss" && kind != "RDF") {
    out.error = FeedError::not_a_feed;
    return out;
  }
  // RSS 2.0: items inside <channel>; RSS 1.0: items beside <channel>, under the root.
  out.format = kind == "rss" ? "rss" : "rdf";
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (local_name(c) == "item") add_item(out, c, false);
    if (local_name(c) != "channel") continue;
    for (pugi::xml_node i = c.first_child(); i; i = i.next_sibling()) {
      if (i.type() != pugi::node_element) continue;
      if (local_name(i) == "item") add_item(out, i, false);
      if (local_name(i) == "title" && out.title.empty()) out.title = text_of(i);
    }
  }
  return out;
}

OpmlDocument parse_opml(std::string_view bytes) {
  OpmlDocument out;
  std::string buf;
  pugi::xml_document doc;
  pugi::xml_node root;
  if ((out.error = parse_document(bytes, buf, doc, root)) != FeedError::ok) return out;
  if (local_name(root) != "opml") {
    out.error = FeedError::not_a_feed;
    return out;
  }
  std::set<std::string> seen;
  // Every element under the root, in document order, without recursion.
  pugi::xml_node n = root.first_child();
  while (n) {
    if (n.type() == pugi::node_element && local_name(n) == "outline") {
      const std::string url(trim_xml_space(n.attribute("xmlUrl").value()));
      if (!url.empty() && seen.insert(url).second) out.urls.push_back(url);
    }
    if (n.type() == pugi::node_element && n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != root && !n.next_sibling()) n = n.parent();
    if (n == root) break;
    n = n.next_sibling();
  }
  return out;
}

}  // namespace newshound

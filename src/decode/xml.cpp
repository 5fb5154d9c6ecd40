// Stage: decode. The guarded XML parse behind NewsML-G2 and the feeds (pugixml in place, UTF-8
// only, DOCTYPE refused, depth bounded) and the iterative tree helpers: local
// names, sibling positions, text content and XHTML re-serialization.
#include "newshound/decode/xml.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "newshound/util/utf8.hpp"

namespace newshound::xml {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Character data only; DOCTYPE is parsed so that it can be refused, never read.
constexpr unsigned kParseFlags = pugi::parse_cdata | pugi::parse_escapes |
                                 pugi::parse_wconv_attribute | pugi::parse_eol |
                                 pugi::parse_ws_pcdata | pugi::parse_doctype | pugi::parse_fragment;

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_xml_space);
}

// The deepest element nesting under `root` (1 for a lone root), walked without
// recursion; stops once past `max`.
std::size_t depth_of(pugi::xml_node root, std::size_t max) {
  std::size_t depth = 1, deepest = 1;  // depth: of `n`, counting every node kind
  pugi::xml_node n = root;
  for (;;) {
    if (pugi::xml_node c = n.first_child()) {
      n = c;
      ++depth;
      if (n.type() == pugi::node_element && depth > deepest && (deepest = depth) > max) {
        return deepest;
      }
      continue;
    }
    while (n != root && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n == root) return deepest;
    n = n.next_sibling();
  }
}

// True when the prolog (declaration, processing instructions, comments and white
// space before the root element) holds a DOCTYPE: refused before pugixml reads it.
bool has_doctype(std::string_view s) {
  std::size_t i = 0;
  for (;;) {
    while (i < s.size() && is_xml_space(s[i])) ++i;
    const std::string_view rest = s.substr(i);
    std::size_t end = std::string_view::npos;
    if (rest.substr(0, 2) == "<?") {
      end = rest.find("?>", 2);
      if (end != std::string_view::npos) end += 2;
    } else if (rest.substr(0, 4) == "<!--") {
      end = rest.find("-->", 4);
      if (end != std::string_view::npos) end += 3;
    } else {
      return rest.substr(0, 9) == "<!DOCTYPE";
    }
    if (end == std::string_view::npos) return false;  // unterminated: the parser says
    i += end;
  }
}

bool is_void_element(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",   "base",  "br",    "col",  "embed",
                                               "hr",     "img",   "input", "link", "meta",
                                               "source", "track", "wbr"};
  return std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid);
}

void append_escaped(std::string_view s, bool attribute, std::string& out) {
  for (const char c : s) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        if (attribute) {
          out.append("&quot;");
          break;
        }
        [[fallthrough]];
      default:
        out.push_back(c);
    }
  }
}

void open_tag(pugi::xml_node n, std::string& out) {
  out.push_back('<');
  out.append(n.name());
  for (const pugi::xml_attribute a : n.attributes()) {
    out.push_back(' ');
    out.append(a.name());
    out.append("=\"");
    append_escaped(a.value(), true, out);
    out.push_back('"');
  }
  out.append(!n.first_child() && is_void_element(local_name(n)) ? "/>" : ">");
}

void close_tag(pugi::xml_node n, std::string& out) {
  if (!n.first_child() && is_void_element(local_name(n))) return;  // written as <br/>
  out.append("</");
  out.append(n.name());
  out.push_back('>');
}

}  // namespace

DecodeError parse_xml_record(std::string_view record, std::string& buf, pugi::xml_document& doc,
                             pugi::xml_node& root) {
  root = {};
  if (record.substr(0, kBom.size()) == kBom) record.remove_prefix(kBom.size());
  if (record.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return DecodeError::too_large;
  }
  if (!utf8::is_valid(record)) return DecodeError::invalid_utf8;
  if (has_doctype(record)) return DecodeError::xml_dtd;
  buf.assign(record);
  const pugi::xml_parse_result r =
      doc.load_buffer_inplace(buf.data(), buf.size(), kParseFlags, pugi::encoding_utf8);
  if (r.status == pugi::status_bad_doctype) return DecodeError::xml_dtd;
  if (!r) return DecodeError::not_xml;
  bool dtd = false;
  std::size_t elements = 0;
  for (const pugi::xml_node n : doc.children()) {
    switch (n.type()) {
      case pugi::node_element:
        root = n;
        ++elements;
        break;
      case pugi::node_doctype:
        dtd = true;
        break;
      case pugi::node_pcdata:
        if (!is_blank(n.value())) return DecodeError::not_xml;
        break;
      default:
        return DecodeError::not_xml;  // CDATA beside the root
    }
  }
  if (dtd) return DecodeError::xml_dtd;
  if (elements != 1) return DecodeError::not_xml;
  if (static_cast<std::size_t>(std::count(record.begin(), record.end(), '<')) >
          Decoder::kMaxDepth &&
      depth_of(root, Decoder::kMaxDepth) > Decoder::kMaxDepth) {
    return DecodeError::too_deep;
  }
  return DecodeError::ok;
}

std::string_view local_name(pugi::xml_node n) {
  const std::string_view name = n.name();
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

std::size_t sibling_index(pugi::xml_node n) {
  std::size_t i = 1;
  const std::string_view name = local_name(n);
  for (pugi::xml_node s = n.previous_sibling(); s; s = s.previous_sibling()) {
    if (s.type() == pugi::node_element && local_name(s) == name) ++i;
  }
  return i;
}

void append_text(pugi::xml_node n, std::string& out) {
  pugi::xml_node c = n.first_child();
  while (c) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out.append(c.value());
    if (c.type() == pugi::node_element && c.first_child()) {
      c = c.first_child();
      continue;
    }
    while (c != n && !c.next_sibling()) c = c.parent();
    if (c == n) return;
    c = c.next_sibling();
  }
}

void append_xhtml(pugi::xml_node n, std::string& out) {
  pugi::xml_node c = n.first_child();
  while (c) {
    switch (c.type()) {
      case pugi::node_element:
        open_tag(c, out);
        break;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        append_escaped(c.value(), false, out);
        break;
      default:
        break;
    }
    if (c.type() == pugi::node_element && c.first_child()) {
      c = c.first_child();
      continue;
    }
    if (c.type() == pugi::node_element) close_tag(c, out);
    while (c != n && !c.next_sibling()) {
      c = c.parent();
      if (c != n) close_tag(c, out);
    }
    if (c == n) return;
    c = c.next_sibling();
  }
}

std::string_view trim_xml_space(std::string_view s) {
  while (!s.empty() && is_xml_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_xml_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace newshound::xml

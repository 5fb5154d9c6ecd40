// Stage: decode. NewsML-G2 for the sources: whether a record is XML (by its first
// byte) and a newsMessage split into standalone newsItem documents, one record each.
#include <pugixml.hpp>

#include "newshound/decode/newsml.hpp"
#include "newshound/decode/xml.hpp"

namespace newshound {

using xml::local_name;
using xml::parse_xml_record;

namespace {

// pugixml's output sink into a std::string.
struct StringWriter : pugi::xml_writer {
  std::string& out;
  explicit StringWriter(std::string& s) : out(s) {}
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

bool is_namespace_declaration(std::string_view name) {
  return name == "xmlns" || name.substr(0, 6) == "xmlns:";
}

// `item` as a standalone document: a copy carrying the namespace declarations of its
// ancestors that it does not make itself (the nearest one of each prefix wins).
std::string standalone(pugi::xml_node item) {
  pugi::xml_document copy;
  pugi::xml_node n = copy.append_copy(item);
  for (pugi::xml_node a = item.parent(); a && a.type() == pugi::node_element; a = a.parent()) {
    for (const pugi::xml_attribute attr : a.attributes()) {
      if (is_namespace_declaration(attr.name()) && !n.attribute(attr.name())) {
        n.append_attribute(attr.name()).set_value(attr.value());
      }
    }
  }
  std::string out;
  StringWriter w(out);
  copy.save(w, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out;
}

}  // namespace

bool starts_with_markup(std::string_view record) {
  if (record.substr(0, 3) == "\xEF\xBB\xBF") record.remove_prefix(3);
  for (const char c : record) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '<';
  }
  return false;
}

DecodeError split_newsml(std::string_view record, std::vector<std::string>& items) {
  std::string buf;
  pugi::xml_document doc;
  pugi::xml_node root;
  if (auto err = parse_xml_record(record, buf, doc, root); err != DecodeError::ok) return err;
  if (local_name(root) == "newsItem") {
    items.emplace_back(record);
    return DecodeError::ok;
  }
  if (local_name(root) != "newsMessage") return DecodeError::not_newsml;
  for (pugi::xml_node set = root.first_child(); set; set = set.next_sibling()) {
    if (set.type() != pugi::node_element || local_name(set) != "itemSet") continue;
    for (pugi::xml_node n = set.first_child(); n; n = n.next_sibling()) {
      if (n.type() == pugi::node_element && local_name(n) == "newsItem") {
        items.push_back(standalone(n));
      }
    }
  }
  return DecodeError::ok;
}

}  // namespace newshound

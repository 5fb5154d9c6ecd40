// Stage: decode. NewsML-G2 onto an Article: the newsItem's guid and version, its
// itemMeta (lifecycle, class, the seeAlso web link), contentMeta (headlines, slugline,
// descriptions, language, subjects, located, urgency, by/creator) and contentSet (inlineXML as
// XHTML, inlineData as text). Names are matched without their namespace prefix.
#include "newsml_reader.hpp"

#include <charconv>

#include "newshound/decode/xml.hpp"
#include "newshound/util/utf8.hpp"
#include "ninjs.hpp"

namespace newshound::decode_detail {

using xml::append_text;
using xml::append_xhtml;
using xml::child_named;
using xml::local_name;
using xml::parse_xml_record;
using xml::sibling_index;
using xml::trim_xml_space;

namespace {

// Ranks of the candidates for the main headline (lower first, then document order),
// as for ninjs headlines[]: role "main" (or a QCode "...:main"), no role, another.
int headline_rank(pugi::xml_node h) {
  const std::string_view role = h.attribute("role").value();
  if (role.empty()) return 1;
  if (role == "main" || (role.size() > 5 && role.substr(role.size() - 5) == ":main")) return 0;
  return 2;
}

// The code a QCode names without its scheme alias ("stat:usable" -> "usable").
std::string_view code_of(std::string_view qcode) {
  const std::size_t colon = qcode.find(':');
  return colon == std::string_view::npos ? qcode : qcode.substr(colon + 1);
}

// A concept's label: its first `name` child's text, else its `literal` attribute,
// else its qcode (`tmp` holds the text).
std::string_view concept_label(pugi::xml_node n, std::string& tmp) {
  tmp.clear();
  if (pugi::xml_node name = child_named(n, "name")) append_text(name, tmp);
  std::string_view s = trim_xml_space(tmp);
  if (s.empty()) s = n.attribute("literal").value();
  if (s.empty()) s = n.attribute("qcode").value();
  return s;
}

// The trimmed text of `n` (`tmp` holds it).
std::string_view text_of(pugi::xml_node n, std::string& tmp) {
  tmp.clear();
  append_text(n, tmp);
  return trim_xml_space(tmp);
}

bool valid_utf8(const Article& a) {
  return utf8::is_valid(a.id) && utf8::is_valid(a.headline) && utf8::is_valid(a.body) &&
         utf8::is_valid(a.extra_text) && utf8::is_valid(a.versioncreated) &&
         utf8::is_valid(a.language) && utf8::is_valid(a.located) && utf8::is_valid(a.byline) &&
         utf8::is_valid(a.type) && utf8::is_valid(a.link) && utf8::is_valid(a.version) &&
         utf8::is_valid(a.embargoed) && utf8::is_valid(a.slugline) &&
         utf8::is_valid(a.subject_text) && utf8::is_valid(a.provider) &&
         utf8::is_valid(a.copyrightholder);
}

}  // namespace

DecodeError NewsmlReader::decode(std::string_view record, Article& out) {
  pugi::xml_node root;
  if (auto err = parse_xml_record(record, buf_, doc_, root); err != DecodeError::ok) return err;
  pugi::xml_node item;
  if (local_name(root) == "newsItem") {
    item = root;
    path_ = "/newsItem";
  } else if (local_name(root) == "newsMessage") {
    std::size_t items = 0;
    for (pugi::xml_node set = root.first_child(); set; set = set.next_sibling()) {
      if (set.type() != pugi::node_element || local_name(set) != "itemSet") continue;
      for (pugi::xml_node n = set.first_child(); n; n = n.next_sibling()) {
        if (n.type() == pugi::node_element && local_name(n) == "newsItem" && ++items == 1) {
          item = n;
        }
      }
    }
    if (items > 1) return DecodeError::several_items;
    if (items == 0) return DecodeError::no_text;
    path_ = "/newsMessage/itemSet/newsItem";
  } else {
    return DecodeError::not_newsml;
  }
  item_path_len_ = path_.size();
  body_set_ = false;

  out.id.assign(trim_xml_space(item.attribute("guid").value()));
  out.version.assign(trim_xml_space(item.attribute("version").value()));
  read_item_meta(child_named(item, "itemMeta"), out);
  read_content_meta(child_named(item, "contentMeta"), out);
  read_content_set(child_named(item, "contentSet"), out);
  if (pugi::xml_node holder = child_named(child_named(item, "rightsInfo"), "copyrightHolder"))
    out.copyrightholder.assign(concept_label(holder, text_));
  if (out.language.empty()) out.language.assign(item.attribute("xml:lang").value());
  out.sort_extras();

  if (!valid_utf8(out)) return DecodeError::invalid_utf8;  // &#xD800; and the like
  if (out.headline.empty() && out.body.empty() && out.extras.empty()) return DecodeError::no_text;
  if (out.id.empty()) {
    out.id = content_id(out);
    out.id_from_hash = true;
  }
  return DecodeError::ok;
}

void NewsmlReader::read_item_meta(pugi::xml_node meta, Article& out) {
  if (!meta) return;
  out.type.assign(code_of(child_named(meta, "itemClass").attribute("qcode").value()));
  out.pubstatus = pub_status_of(child_named(meta, "pubStatus").attribute("qcode").value());
  if (pugi::xml_node n = child_named(meta, "provider"))
    out.provider.assign(concept_label(n, text_));
  if (pugi::xml_node n = child_named(meta, "versionCreated")) {
    out.versioncreated.assign(text_of(n, text_));
  }
  if (pugi::xml_node n = child_named(meta, "embargoed")) out.embargoed.assign(text_of(n, text_));
  // The web address: the first `link` with rel seeAlso (any scheme alias) and an
  // http(s) href; other links (previous versions, packages, sources) are not it.
  for (pugi::xml_node n = meta.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element || local_name(n) != "link") continue;
    if (code_of(trim_xml_space(n.attribute("rel").value())) != "seeAlso") continue;
    const std::string_view href = trim_xml_space(n.attribute("href").value());
    if (href.starts_with("http://") || href.starts_with("https://")) {
      out.link.assign(href);
      break;
    }
  }
}

void NewsmlReader::read_content_meta(pugi::xml_node meta, Article& out) {
  if (!meta) return;
  // The main headline first (best rank, then document order), so that the others
  // stay in document order among the extras.
  pugi::xml_node main_headline;
  int best = 3;
  for (pugi::xml_node n = meta.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element || local_name(n) != "headline") continue;
    if (const int rank = headline_rank(n); rank < best && !text_of(n, text_).empty()) {
      best = rank;
      main_headline = n;
    }
  }
  std::string label;
  for (pugi::xml_node n = meta.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) continue;
    const std::string_view name = local_name(n);
    if (name == "headline") {
      const std::string_view s = text_of(n, text_);
      if (!s.empty()) add_text(n, Field::headline, BodyFormat::text, s, n == main_headline, out);
    } else if (name == "description") {
      const std::string_view s = text_of(n, text_);
      if (!s.empty()) add_text(n, Field::description, BodyFormat::text, s, false, out);
    } else if (name == "slugline") {
      if (out.slugline.empty()) out.slugline.assign(text_of(n, text_));
    } else if (name == "language") {
      if (out.language.empty()) out.language.assign(trim_xml_space(n.attribute("tag").value()));
    } else if (name == "subject") {
      std::string_view code = n.attribute("qcode").value();
      if (code.empty()) code = n.attribute("uri").value();
      label.clear();
      if (pugi::xml_node nm = child_named(n, "name")) append_text(nm, label);
      code = trim_xml_space(code);
      const std::string_view subject_name = trim_xml_space(label);
      if (!code.empty() || !subject_name.empty()) out.add_subject(code, subject_name);
    } else if (name == "located") {
      if (out.located.empty()) out.located.assign(concept_label(n, label));
    } else if (name == "urgency") {
      const std::string_view s = text_of(n, text_);
      unsigned v = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size() && v >= 1 && v <= 9) {
        out.urgency = static_cast<std::uint8_t>(v);
      }
    } else if (name == "by") {
      out.byline.assign(text_of(n, text_));  // `by` wins over a creator
    } else if (name == "creator") {
      if (out.byline.empty()) out.byline.assign(concept_label(n, label));
    }
  }
}

void NewsmlReader::read_content_set(pugi::xml_node set, Article& out) {
  if (!set) return;
  for (pugi::xml_node n = set.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) continue;
    const std::string_view name = local_name(n);
    text_.clear();
    BodyFormat format = BodyFormat::html;
    if (name == "inlineXML") {
      // A whole XHTML document gives its <body>'s children; a fragment is taken as is.
      pugi::xml_node from = n;
      if (pugi::xml_node html = child_named(n, "html")) {
        if (pugi::xml_node body = child_named(html, "body")) from = body;
      }
      append_xhtml(from, text_);
    } else if (name == "inlineData") {
      if (!trim_xml_space(n.attribute("encoding").value()).empty()) continue;  // base64...
      append_text(n, text_);
      format = format_of_type(n.attribute("contenttype").value(), text_);
    } else {
      continue;
    }
    if (trim_xml_space(text_).empty()) continue;
    add_text(n, Field::body, format, text_, !body_set_, out);
    body_set_ = true;
  }
}

void NewsmlReader::add_text(pugi::xml_node n, Field field, BodyFormat format,
                            std::string_view value, bool main, Article& out) {
  path_.resize(item_path_len_);
  path_.push_back('/');
  path_.append(local_name(n.parent()));
  path_.push_back('/');
  path_.append(local_name(n));
  path_.push_back('[');
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, sibling_index(n));
  path_.append(digits, r.ptr);
  path_.push_back(']');
  const TextPath path = out.named_path(TextPath::Form::pointer, path_);
  if (!main) {
    out.add_extra(field, format, value, path);
  } else if (field == Field::headline) {
    out.headline.assign(value);
    out.headline_format = format;
    out.headline_path = path;
  } else {
    out.body.assign(value);
    out.body_format = format;
    out.body_path = path;
  }
}

}  // namespace newshound::decode_detail

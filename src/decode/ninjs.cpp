// Stage: decode. The ninjs walker: one forward pass over the top-level object,
// reading every text value of ninjs 1.x (headline, headline_*, body_*, description_*)
// and of the 2.x/3.x arrays (headlines[], bodies[], descriptions[]), each with its
// markup (from the content type, the name's suffix or the value), and the metadata
// in either spelling (contenttype/contentType, versioncreated/versionCreated),
// lifecycle included (version, pubstatus, embargoed), and the article's web address
// from `links`.
// Unknown members are skipped without being read.
#include "ninjs.hpp"

#include <cctype>
#include <utility>

namespace newshound::decode_detail {

namespace {

bool contains_nocase(std::string_view s, std::string_view needle) {
  if (s.size() < needle.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(s[i + k])) == needle[k]) {
      ++k;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

// Ranks of the candidates for the main headline and the main body (lower first;
// an array entry ranks base + 0 with role "main", + 1 without a role, + 2 else).
enum : std::uint8_t {
  kHeadline = 0,
  kHeadlines = 1,
  kHeadlinePattern = 4,
  kBodyText = 0,
  kBodyHtml = 1,
  kBodies = 2,
  kBodyPattern = 5,
};

std::uint8_t role_rank(std::string_view role) {
  return role == "main" ? 0 : role.empty() ? 1 : 2;
}

// One entry of headlines[], bodies[] or descriptions[]:
// {"value", "contenttype"|"contentType", "role"}.
struct Entry {
  std::string_view value, contenttype, role;
};

DecodeError read_entry(od::value& el, Entry& entry, bool& skip) {
  od::json_type t;
  if (auto e = el.type().get(t)) return map_error(e);
  if (t == od::json_type::null) {
    skip = true;
    return DecodeError::ok;
  }
  if (t != od::json_type::object) return DecodeError::wrong_type;
  od::object obj;
  if (auto e = el.get_object().get(obj)) return map_error(e);
  for (auto field_r : obj) {
    od::field field;
    if (auto e = std::move(field_r).get(field)) return map_error(e);
    const od::raw_json_string key = field.key();
    DecodeError err = DecodeError::ok;
    if (key.unsafe_is_equal("value")) {
      err = read_opt_string(field.value(), entry.value);
    } else if (key.unsafe_is_equal("contenttype") || key.unsafe_is_equal("contentType")) {
      err = read_opt_string(field.value(), entry.contenttype);
    } else if (key.unsafe_is_equal("role")) {
      err = read_opt_string(field.value(), entry.role);
    }
    if (err != DecodeError::ok) return err;
  }
  skip = entry.value.empty();
  return DecodeError::ok;
}

// Adds each usable entry of the array member `name` (headlines, bodies,
// descriptions) as a text value of `field`, ranked `base` + role_rank.
DecodeError read_entries(od::value v, std::string_view name, Field field, std::uint8_t base,
                         NinjsViews& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t == od::json_type::null) return DecodeError::ok;
  if (t != od::json_type::array) return DecodeError::wrong_type;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return map_error(e);
  std::uint32_t index = 0;
  for (auto el_r : arr) {
    od::value el;
    if (auto e = el_r.get(el)) return map_error(e);
    Entry entry;
    bool skip = false;
    if (auto err = read_entry(el, entry, skip); err != DecodeError::ok) return err;
    if (!skip) {
      RawText r;
      r.field = field;
      r.format = format_of_type(entry.contenttype, entry.value);
      r.rank = static_cast<std::uint8_t>(base + role_rank(entry.role));
      r.value = entry.value;
      r.path = TextPath::entry(name, index);
      out.texts.push_back(r);
    }
    ++index;
  }
  return DecodeError::ok;
}

// A member with a known name holding an optional string: one text value.
DecodeError read_text(od::value& v, std::string_view name, Field field, BodyFormat format,
                      std::uint8_t rank, NinjsViews& out) {
  std::string_view s;
  if (auto err = read_opt_string(v, s); err != DecodeError::ok) return err;
  if (!s.empty()) out.texts.push_back({field, format, rank, s, TextPath::member(name), {}});
  return DecodeError::ok;
}

// A member whose name only matches a 1.x pattern (headline_*, body_*, description_*):
// read when it holds a string, skipped otherwise (the name may mean anything else).
DecodeError read_pattern(od::field& f, Field field, std::uint8_t rank, NinjsViews& out) {
  od::value& v = f.value();
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t != od::json_type::string) return DecodeError::ok;
  std::string_view name;
  if (auto e = f.unescaped_key().get(name)) return map_error(e);
  std::string_view s;
  if (auto e = v.get_string().get(s)) return map_error(e);
  if (s.empty()) return DecodeError::ok;
  RawText r;
  r.field = field;
  r.format = format_of_suffix(name, s);
  r.rank = rank;
  r.value = s;
  r.name = name;
  out.texts.push_back(r);
  return DecodeError::ok;
}

// A lifecycle member: a string (or, with allow_integer, an integer) is read, any
// other type skipped. Structural errors still count.
DecodeError read_lenient(od::value& v, std::string_view& dst, bool allow_integer = false) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t != od::json_type::string && (t != od::json_type::number || !allow_integer)) {
    return DecodeError::ok;
  }
  std::string_view s;
  const DecodeError err = read_opt_string(v, s, allow_integer);
  if (err == DecodeError::wrong_type) return DecodeError::ok;  // a floating-point version
  if (err == DecodeError::ok) dst = s;
  return err;
}

// How well a link's `rel` names the article's own web address (lower first); -1
// never: "feed" is the address of the feed the item came from (the feed poller's).
int link_rank(std::string_view rel) {
  if (rel == "canonical") return 0;
  if (rel == "alternate") return 1;
  if (rel == "self") return 2;
  if (rel.empty()) return 3;
  return rel == "feed" ? -1 : 4;
}

// ninjs `links`: [{"href", "rel", ...}]. Sets `link` to the href of the best-ranked
// entry (link_rank, then document order). Anything malformed (not an array, an
// entry that is not an object, a missing, empty or non-string href) is skipped,
// never an error; structural errors still count.
DecodeError read_links(od::value& v, std::string_view& link) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t != od::json_type::array) return DecodeError::ok;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return map_error(e);
  int best = 5;
  for (auto el_r : arr) {
    od::value el;
    if (auto e = el_r.get(el)) return map_error(e);
    if (auto e = el.type().get(t)) return map_error(e);
    if (t != od::json_type::object) continue;
    od::object obj;
    if (auto e = el.get_object().get(obj)) return map_error(e);
    std::string_view href, rel;
    for (auto field_r : obj) {
      od::field field;
      if (auto e = std::move(field_r).get(field)) return map_error(e);
      const od::raw_json_string key = field.key();
      DecodeError err = DecodeError::ok;
      if (key.unsafe_is_equal("href")) {
        err = read_lenient(field.value(), href);
      } else if (key.unsafe_is_equal("rel")) {
        err = read_lenient(field.value(), rel);
      }
      if (err != DecodeError::ok) return err;
    }
    const int rank = link_rank(rel);
    if (!href.empty() && rank >= 0 && rank < best) {
      best = rank;
      link = href;
    }
  }
  return DecodeError::ok;
}

bool has_prefix(const od::raw_json_string& key, const char* prefix, std::size_t n) {
  const char* k = key.raw();
  for (std::size_t i = 0; i < n; ++i) {
    if (k[i] != prefix[i]) return false;  // stops at the closing quote too
  }
  return k[n] != '"';  // something follows the prefix
}

}  // namespace

BodyFormat sniff_format(std::string_view value) {
  std::size_t i = 0;
  while (i < value.size() &&
         (value[i] == ' ' || value[i] == '\t' || value[i] == '\n' || value[i] == '\r')) {
    ++i;
  }
  if (i + 2 >= value.size() || value[i] != '<') return BodyFormat::text;
  const unsigned char c = static_cast<unsigned char>(value[i + 1]);
  if (!std::isalpha(c) && c != '/' && c != '!' && c != '?') return BodyFormat::text;
  return value.find('>', i + 2) != std::string_view::npos ? BodyFormat::html : BodyFormat::text;
}

BodyFormat format_of_type(std::string_view ct, std::string_view value) {
  while (!ct.empty() && ct.front() == ' ') ct.remove_prefix(1);
  if (contains_nocase(ct, "text/plain")) return BodyFormat::text;
  if (contains_nocase(ct, "html") || contains_nocase(ct, "xml")) return BodyFormat::html;
  return sniff_format(value);
}

BodyFormat format_of_suffix(std::string_view name, std::string_view value) {
  const auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends("_text")) return BodyFormat::text;
  if (ends("_html") || ends("_xhtml") || ends("_richtext")) return BodyFormat::html;
  return sniff_format(value);
}

DecodeError walk_ninjs(od::object& obj, NinjsViews& v) {
  v.texts.clear();
  for (auto field_r : obj) {
    od::field field;
    if (auto e = std::move(field_r).get(field)) return map_error(e);
    const od::raw_json_string key = field.key();
    od::value& val = field.value();
    DecodeError err = DecodeError::ok;
    // Dispatch on the first byte so most unknown names cost one comparison.
    switch (*key.raw()) {
      case 'b':
        if (key.unsafe_is_equal("body_text")) {
          err = read_text(val, "body_text", Field::body, BodyFormat::text, kBodyText, v);
        } else if (key.unsafe_is_equal("body_html")) {
          err = read_text(val, "body_html", Field::body, BodyFormat::html, kBodyHtml, v);
        } else if (key.unsafe_is_equal("bodies")) {
          err = read_entries(val, "bodies", Field::body, kBodies, v);
        } else if (key.unsafe_is_equal("byline")) {
          err = read_opt_string(val, v.byline);
        } else if (key.unsafe_is_equal("by")) {
          err = read_opt_string(val, v.by);
        } else if (has_prefix(key, "body_", 5)) {
          err = read_pattern(field, Field::body, kBodyPattern, v);
        }
        break;
      case 'd':
        if (key.unsafe_is_equal("descriptions")) {
          err = read_entries(val, "descriptions", Field::description, 0, v);
        } else if (has_prefix(key, "description_", 12)) {
          err = read_pattern(field, Field::description, 0, v);
        }
        break;
      case 'e':
        if (key.unsafe_is_equal("embargoed")) err = read_lenient(val, v.embargoed);
        break;
      case 'g':
        if (key.unsafe_is_equal("guid")) err = read_opt_string(val, v.guid, true);
        break;
      case 'h':
        if (key.unsafe_is_equal("headline")) {
          err = read_text(val, "headline", Field::headline, BodyFormat::text, kHeadline, v);
        } else if (key.unsafe_is_equal("headlines")) {
          err = read_entries(val, "headlines", Field::headline, kHeadlines, v);
        } else if (has_prefix(key, "headline_", 9)) {
          err = read_pattern(field, Field::headline, kHeadlinePattern, v);
        }
        break;
      case 'i':
        if (key.unsafe_is_equal("id")) err = read_opt_string(val, v.id, true);
        break;
      case 'l':
        if (key.unsafe_is_equal("language")) {
          err = read_opt_string(val, v.language);
        } else if (key.unsafe_is_equal("links")) {
          err = read_links(val, v.link);
        } else if (key.unsafe_is_equal("located")) {
          err = read_opt_string(val, v.located);
        }
        break;
      case 'p':
        if (key.unsafe_is_equal("pubstatus")) err = read_lenient(val, v.pubstatus);
        break;
      case 't':
        if (key.unsafe_is_equal("type")) err = read_opt_string(val, v.type);
        break;
      case 'u':
        if (key.unsafe_is_equal("uri")) {
          err = read_opt_string(val, v.uri, true);
        } else if (key.unsafe_is_equal("urgency")) {
          err = read_lenient(val, v.urgency, true);
        }
        break;
      case 'm':
      case 'r':
        v.alert_keys.note(key);
        break;
      case 'v':
        if (key.unsafe_is_equal("versioncreated") || key.unsafe_is_equal("versionCreated")) {
          err = read_opt_string(val, v.versioncreated);
        } else if (key.unsafe_is_equal("version")) {
          err = read_lenient(val, v.version, true);
        }
        break;
      default:
        break;  // unknown: skipped by the next iteration step
    }
    if (err != DecodeError::ok) return err;
  }
  return DecodeError::ok;
}

DecodeError skip_object(od::object& obj, AlertKeys& keys) {
  for (auto field_r : obj) {
    od::field field;
    if (auto e = std::move(field_r).get(field)) return map_error(e);
    keys.note(field.key());
  }
  return DecodeError::ok;
}

}  // namespace newshound::decode_detail

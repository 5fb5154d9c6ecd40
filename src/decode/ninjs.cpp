// Stage: decode. The ninjs walker: one forward pass over the top-level object,
// reading ninjs 1.x names (headline, body_text, ...) and the 2.x/3.x arrays
// (headlines[], bodies[]) in either spelling (contenttype/contentType,
// versioncreated/versionCreated). Unknown members are skipped without being read.
#include "ninjs.hpp"

#include <cctype>
#include <utility>

namespace newshound::decode_detail {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// Rank of a body's content type: 2 text, 1 html, 0 unusable. No type means text.
int body_rank(std::string_view contenttype, bool present, BodyFormat& fmt) {
  while (!contenttype.empty() && contenttype.front() == ' ') contenttype.remove_prefix(1);
  if (!present || contenttype.empty() || starts_with_nocase(contenttype, "text/plain")) {
    fmt = BodyFormat::text;
    return 2;
  }
  if (starts_with_nocase(contenttype, "text/html") ||
      starts_with_nocase(contenttype, "application/xhtml+xml")) {
    fmt = BodyFormat::html;
    return 1;
  }
  return 0;
}

bool is_main_role(std::string_view role) {
  return role.empty() || role == "main";
}

// One entry of headlines[] or bodies[]: {"value", "contenttype"|"contentType", "role"}.
struct Entry {
  std::string_view value, contenttype, role;
  bool has_contenttype = false;
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
      std::string_view ct;
      err = read_opt_string(field.value(), ct);
      if (!ct.empty()) {
        entry.contenttype = ct;
        entry.has_contenttype = true;
      }
    } else if (key.unsafe_is_equal("role")) {
      err = read_opt_string(field.value(), entry.role);
    }
    if (err != DecodeError::ok) return err;
  }
  skip = entry.value.empty();
  return DecodeError::ok;
}

// Runs `on_entry(const Entry&)` for each usable entry of an array member.
template <class F>
DecodeError for_each_entry(od::value v, F&& on_entry) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t == od::json_type::null) return DecodeError::ok;
  if (t != od::json_type::array) return DecodeError::wrong_type;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return map_error(e);
  for (auto el_r : arr) {
    od::value el;
    if (auto e = el_r.get(el)) return map_error(e);
    Entry entry;
    bool skip = false;
    if (auto err = read_entry(el, entry, skip); err != DecodeError::ok) return err;
    if (!skip) on_entry(entry);
  }
  return DecodeError::ok;
}

DecodeError read_headlines(od::value v, NinjsViews& out) {
  bool have = false, have_main = false;
  return for_each_entry(v, [&](const Entry& e) {
    const bool main = is_main_role(e.role);
    if (!have || (main && !have_main)) {
      out.headlines_pick = e.value;
      have = true;
      have_main = main;
    }
  });
}

DecodeError read_bodies(od::value v, NinjsViews& out) {
  int best = 0;
  return for_each_entry(v, [&](const Entry& e) {
    BodyFormat fmt = BodyFormat::text;
    const int rank = body_rank(e.contenttype, e.has_contenttype, fmt);
    if (rank == 0) return;
    const int score = rank * 2 + (is_main_role(e.role) ? 1 : 0);
    if (score > best) {
      best = score;
      out.bodies_pick = e.value;
      out.bodies_format = fmt;
    }
  });
}

}  // namespace

DecodeError walk_ninjs(od::object& obj, NinjsViews& v) {
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
          err = read_opt_string(val, v.body_text);
        } else if (key.unsafe_is_equal("body_html")) {
          err = read_opt_string(val, v.body_html);
        } else if (key.unsafe_is_equal("bodies")) {
          err = read_bodies(val, v);
        } else if (key.unsafe_is_equal("byline")) {
          err = read_opt_string(val, v.byline);
        } else if (key.unsafe_is_equal("by")) {
          err = read_opt_string(val, v.by);
        }
        break;
      case 'g':
        if (key.unsafe_is_equal("guid")) err = read_opt_string(val, v.guid, true);
        break;
      case 'h':
        if (key.unsafe_is_equal("headline")) {
          err = read_opt_string(val, v.headline);
        } else if (key.unsafe_is_equal("headlines")) {
          err = read_headlines(val, v);
        }
        break;
      case 'i':
        if (key.unsafe_is_equal("id")) err = read_opt_string(val, v.id, true);
        break;
      case 'l':
        if (key.unsafe_is_equal("language")) {
          err = read_opt_string(val, v.language);
        } else if (key.unsafe_is_equal("located")) {
          err = read_opt_string(val, v.located);
        }
        break;
      case 't':
        if (key.unsafe_is_equal("type")) err = read_opt_string(val, v.type);
        break;
      case 'u':
        if (key.unsafe_is_equal("uri")) err = read_opt_string(val, v.uri, true);
        break;
      case 'm':
      case 'r':
        v.alert_keys.note(key);
        break;
      case 'v':
        if (key.unsafe_is_equal("versioncreated") || key.unsafe_is_equal("versionCreated")) {
          err = read_opt_string(val, v.versioncreated);
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

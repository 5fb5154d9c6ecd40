// Stage: decode. The ninjs descriptive metadata the topic filters read
// (docs/query-language.md, "Metadata filters"): `provider` and `copyrightholder`
// (a string, or an object with a `name`) and `subject` / `subjects` (objects with a
// `code` or `uri` and a `name`), and `urgency` (1-9). Read leniently, as `links` is: a member of
// another shape is skipped, never an error; structural errors still count.
#include <utility>

#include "ninjs.hpp"

namespace newshound::decode_detail {

namespace {

// Reads the string members `a` and `b` (and `c`) of `obj` into the views; other
// members and other types are skipped.
DecodeError read_members(od::object& obj, const char* a, std::string_view& va, const char* b,
                         std::string_view& vb, const char* c, std::string_view& vc) {
  for (auto field_r : obj) {
    od::field field;
    if (auto e = std::move(field_r).get(field)) return map_error(e);
    const od::raw_json_string key = field.key();
    od::json_type t;
    if (auto e = field.value().type().get(t)) return map_error(e);
    if (t != od::json_type::string) continue;
    std::string_view* dst = key.unsafe_is_equal(a)   ? &va
                            : key.unsafe_is_equal(b) ? &vb
                            : key.unsafe_is_equal(c) ? &vc
                                                     : nullptr;
    if (dst == nullptr) continue;
    if (auto e = field.value().get_string().get(*dst)) return map_error(e);
  }
  return DecodeError::ok;
}

}  // namespace

DecodeError read_party(od::value& v, std::string_view& name) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t == od::json_type::string) {
    if (auto e = v.get_string().get(name)) return map_error(e);
    return DecodeError::ok;
  }
  if (t != od::json_type::object) return DecodeError::ok;
  od::object obj;
  if (auto e = v.get_object().get(obj)) return map_error(e);
  std::string_view unused_a, unused_b;
  return read_members(obj, "name", name, "\x01", unused_a, "\x01", unused_b);
}

DecodeError read_subjects(od::value& v, std::vector<Subject>& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t != od::json_type::array) return DecodeError::ok;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return map_error(e);
  for (auto el_r : arr) {
    od::value el;
    if (auto e = el_r.get(el)) return map_error(e);
    if (auto e = el.type().get(t)) return map_error(e);
    if (t != od::json_type::object) continue;
    od::object obj;
    if (auto e = el.get_object().get(obj)) return map_error(e);
    std::string_view code, uri, name;
    if (auto e = read_members(obj, "code", code, "uri", uri, "name", name); e != DecodeError::ok)
      return e;
    if (code.empty()) code = uri;
    if (!code.empty() || !name.empty()) out.push_back({code, name});
  }
  return DecodeError::ok;
}

DecodeError read_urgency(od::value& v, std::uint8_t& out) {
  out = 0;
  od::json_type t;
  if (auto e = v.type().get(t)) return map_error(e);
  if (t != od::json_type::string && t != od::json_type::number) return DecodeError::ok;
  std::string_view s;
  const DecodeError err = read_opt_string(v, s, true);
  if (err == DecodeError::wrong_type) return DecodeError::ok;  // a floating-point number
  if (err != DecodeError::ok) return err;
  if (s.size() == 1 && s[0] >= '1' && s[0] <= '9') out = static_cast<std::uint8_t>(s[0] - '0');
  return DecodeError::ok;
}

}  // namespace newshound::decode_detail

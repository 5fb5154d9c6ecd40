// Stage: encode tests. What the drift guards of docs/alerts.md share (the alert
// schema and the digest schema): reading the page, its fenced blocks, and a small
// validator for the subset of JSON Schema the page uses (property names,
// required, JSON types, patterns, enums, bounds, property order).
#pragma once

#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace schema_check {

namespace json = boost::json;

inline std::vector<std::string> doc_lines(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

/// Body of the fenced block opened at lines[open] (a line starting with ```).
inline std::string fenced_body(const std::vector<std::string>& lines, std::size_t open,
                               const std::string& path) {
  std::string body;
  for (std::size_t i = open + 1; i < lines.size(); ++i) {
    if (lines[i] == "```") return body;
    body += lines[i];
    body += '\n';
  }
  FAIL("unterminated fenced block opened at line " << open + 1 << " of " << path);
  return body;
}

/// A validator for the subset of JSON Schema the alert schema uses. A keyword it
/// does not know is reported as an error, so the schema cannot grow a constraint
/// that this test silently ignores.
class Validator {
 public:
  std::vector<std::string> errors;

  void check(const json::value& schema, const json::value& v, const std::string& at) {
    const json::object& s = schema.as_object();
    for (const auto& kv : s) {
      const std::string_view k = kv.key();
      if (k == "$schema" || k == "title" || k == "description" || k == "format") continue;
      if (k == "type") {
        if (!type_ok(kv.value(), v)) fail(at, "wrong type");
      } else if (k == "properties" || k == "required" || k == "additionalProperties") {
        continue;  // handled together, below
      } else if (k == "items") {
        if (v.is_array()) {
          const json::array& a = v.as_array();
          for (std::size_t i = 0; i < a.size(); ++i) {
            check(kv.value(), a[i], at + "[" + std::to_string(i) + "]");
          }
        }
      } else if (k == "pattern") {
        const std::regex re(std::string(kv.value().as_string()), std::regex::ECMAScript);
        if (v.is_string() && !std::regex_search(std::string(v.as_string()), re)) {
          fail(at, "does not match pattern " + std::string(kv.value().as_string()));
        }
      } else if (k == "enum") {
        bool found = false;
        for (const auto& e : kv.value().as_array()) found = found || e == v;
        if (!found) fail(at, "not one of the enum values");
      } else if (k == "minimum") {
        if (v.is_number() && v.to_number<double>() < kv.value().to_number<double>()) {
          fail(at, "below minimum");
        }
      } else if (k == "minItems") {
        if (v.is_array() && v.as_array().size() < kv.value().to_number<std::size_t>()) {
          fail(at, "too few items");
        }
      } else if (k == "minLength") {
        if (v.is_string() && code_points(v.as_string()) < kv.value().to_number<std::size_t>()) {
          fail(at, "too short");
        }
      } else if (k == "uniqueItems") {
        if (kv.value().as_bool() && v.is_array()) {
          const json::array& a = v.as_array();
          for (std::size_t i = 0; i < a.size(); ++i) {
            for (std::size_t j = i + 1; j < a.size(); ++j) {
              if (a[i] == a[j]) fail(at, "duplicate items");
            }
          }
        }
      } else {
        fail(at, "schema keyword \"" + std::string(k) + "\" not understood by this validator");
      }
    }
    if (v.is_object()) check_object(s, v.as_object(), at);
  }

 private:
  void fail(const std::string& at, const std::string& what) {
    errors.push_back((at.empty() ? "(root)" : at) + ": " + what);
  }

  static std::size_t code_points(json::string_view s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  }

  static bool one_type(json::string_view t, const json::value& v) {
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_int64() || v.is_uint64();
    if (t == "number") return v.is_number();
    if (t == "array") return v.is_array();
    if (t == "object") return v.is_object();
    if (t == "null") return v.is_null();
    if (t == "boolean") return v.is_bool();
    return false;
  }

  static bool type_ok(const json::value& type, const json::value& v) {
    if (type.is_string()) return one_type(type.as_string(), v);
    for (const auto& t : type.as_array()) {
      if (one_type(t.as_string(), v)) return true;
    }
    return false;
  }

  /// properties, required and additionalProperties (false) of one object.
  void check_object(const json::object& s, const json::object& o, const std::string& at) {
    const json::object* props =
        s.if_contains("properties") ? &s.at("properties").as_object() : nullptr;
    const bool closed =
        s.if_contains("additionalProperties") && s.at("additionalProperties") == json::value(false);
    if (const auto* req = s.if_contains("required")) {
      for (const auto& name : req->as_array()) {
        if (!o.contains(name.as_string())) {
          fail(at, "missing required \"" + std::string(name.as_string()) + "\"");
        }
      }
    }
    if (props == nullptr) return;
    std::vector<std::string> order;  // schema properties present in o, schema order
    for (const auto& p : *props) {
      if (o.contains(p.key())) order.emplace_back(p.key());
    }
    std::vector<std::string> keys;
    for (const auto& kv : o) {
      keys.emplace_back(kv.key());
      const std::string child = at + (at.empty() ? "" : ".") + std::string(kv.key());
      if (const auto* ps = props->if_contains(kv.key())) {
        check(*ps, kv.value(), child);
      } else if (closed) {
        fail(child, "property not in the schema");
      }
    }
    if (closed && keys != order) fail(at, "properties not in the schema's order");
  }
};

inline std::vector<std::string> validate(const json::value& schema, const json::value& alert) {
  Validator v;
  v.check(schema, alert, "");
  return v.errors;
}

}  // namespace schema_check

// Config: load_config's conversion of one TOML value into an OptionValue
// against its option's type and limits (integers in range, choices, endpoints,
// paths resolved against the config's folder, JSON Pointers), reporting what is
// wrong with an example of what is right; and the small text helpers messages share.
#include <algorithm>
#include <string>
#include <vector>

#include "loader.hpp"

namespace newshound::config_detail {
namespace {

namespace fs = std::filesystem;

// A JSON Pointer (RFC 6901): "/a/b", '~' only as ~0 or ~1. Returns "" or the problem.
std::string pointer_problem(std::string_view p) {
  if (p.empty() || p.front() != '/') return "must be a JSON Pointer starting with '/'";
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) {
      return "is not a valid JSON Pointer: '~' must be followed by 0 or 1 (~0 means '~', ~1 "
             "means '/')";
    }
  }
  return "";
}

}  // namespace

std::string_view node_type_text(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// A duration: a string with a unit; a plain number is refused (which unit?).
std::optional<OptionValue> ConfigLoader::convert_duration(const OptionSpec& spec,
                                                          const toml::node& node) {
  const std::string key(spec.key);
  if (const auto* i = node.as_integer()) {
    error(node.source(), "'" + key +
                             "' is a duration: a plain number has no unit; add one (ms, "
                             "s, m, h, d), e.g. " +
                             key + " = \"" + std::to_string(i->get()) + "ms\" or " + key + " = " +
                             std::string(spec.example));
    return std::nullopt;
  }
  const auto* s = node.as_string();
  if (s == nullptr) {
    error(node.source(), "'" + key + "' must be " + std::string(option_type_text(spec)) + ", not " +
                             std::string(node_type_text(node)) + "; e.g. " + key + " = " +
                             std::string(spec.example));
    return std::nullopt;
  }
  std::string why;
  const auto ms = parse_duration_ms(s->get(), why);
  if (!ms) {
    error(node.source(), "'" + key + "' " + why + "; e.g. " + key + " = " +
                             std::string(spec.example) + "; got " + dq(s->get()));
    return std::nullopt;
  }
  if (*ms < spec.min || *ms > spec.max) {
    error(node.source(), "'" + key + "' must be between \"" + format_duration_ms(spec.min) +
                             "\" and \"" + format_duration_ms(spec.max) + "\", got " +
                             dq(s->get()));
    return std::nullopt;
  }
  return OptionValue(*ms);
}

std::optional<OptionValue> ConfigLoader::convert(const OptionSpec& spec, const toml::node& node) {
  const std::string key(spec.key);
  auto wrong_type = [&] {
    error(node.source(), "'" + key + "' must be " + std::string(option_type_text(spec)) + ", not " +
                             std::string(node_type_text(node)) + "; e.g. " + key + " = " +
                             std::string(spec.example));
    return std::nullopt;
  };
  switch (spec.type) {
    case OptionType::integer: {
      const auto* v = node.as_integer();
      if (v == nullptr) return wrong_type();
      const std::int64_t i = v->get();
      if (i < spec.min || i > spec.max) {
        error(node.source(), "'" + key + "' must be between " + std::to_string(spec.min) + " and " +
                                 std::to_string(spec.max) + ", got " + std::to_string(i));
        return std::nullopt;
      }
      return OptionValue(i);
    }
    case OptionType::duration:
      return convert_duration(spec, node);
    case OptionType::boolean: {
      const auto* v = node.as_boolean();
      if (v == nullptr) return wrong_type();
      return OptionValue(v->get());
    }
    case OptionType::string_array: {
      const auto* arr = node.as_array();
      if (arr == nullptr) return wrong_type();
      std::vector<std::string> out;
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto* s = (*arr)[i].as_string();
        if (s == nullptr || s->get().empty()) {
          error((*arr)[i].source(), "'" + key +
                                        "' must be an array of non-empty strings; element " +
                                        std::to_string(i + 1) + " is " +
                                        (s ? "empty" : std::string(node_type_text((*arr)[i]))));
          return std::nullopt;
        }
        out.push_back(s->get());
      }
      return OptionValue(std::move(out));
    }
    case OptionType::json_pointers: {
      // One pointer, or an array of pointers: each checked as json_pointer.
      std::vector<const toml::node*> items;
      if (const auto* arr = node.as_array()) {
        for (std::size_t i = 0; i < arr->size(); ++i) items.push_back(&(*arr)[i]);
      } else {
        items.push_back(&node);
      }
      std::vector<std::string> out;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const toml::node* item = items[i];
        const auto* s = item->as_string();
        if (s == nullptr && items.size() == 1 && item == &node) return wrong_type();
        if (s == nullptr) {
          error(item->source(), "'" + key + "' must be " + std::string(option_type_text(spec)) +
                                    "; element " + std::to_string(i + 1) + " is " +
                                    std::string(node_type_text(*item)));
          return std::nullopt;
        }
        const std::string problem = pointer_problem(s->get());
        if (!problem.empty()) {
          error(item->source(), "'" + key + "' " + problem + ", e.g. " + key + " = " +
                                    std::string(spec.example) + "; got " + dq(s->get()));
          return std::nullopt;
        }
        out.push_back(s->get());
      }
      return OptionValue(std::move(out));
    }
    case OptionType::string_table: {
      const auto* tbl = node.as_table();
      if (tbl == nullptr) return wrong_type();
      StringTable out;
      bool ok = true;
      for (auto&& [entry_key, entry] : *tbl) {
        const std::string name(entry_key.str());
        const auto* s = entry.as_string();
        EntryProblem problem;
        if (s == nullptr) {
          problem.message = "'" + key + "' entry " + dq(name) + " must be a string, not " +
                            std::string(node_type_text(entry)) + "; e.g. " + name + " = \"...\"";
        } else if (spec.check_entry != nullptr) {
          problem = spec.check_entry(name, s->get());
        }
        if (problem.message.empty()) {
          out.emplace_back(name, s->get());
        } else {
          error(problem.in_key ? entry_key.source() : entry.source(), std::move(problem.message));
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return OptionValue(std::move(out));
    }
    default:
      break;
  }
  // The remaining types are strings.
  const auto* sv = node.as_string();
  if (sv == nullptr) return wrong_type();
  const std::string& s = sv->get();
  if (s.empty() && spec.allow_empty) return OptionValue(std::string());
  if (s.empty()) {
    error(node.source(),
          "'" + key + "' must not be empty; e.g. " + key + " = " + std::string(spec.example));
    return std::nullopt;
  }
  switch (spec.type) {
    case OptionType::choice: {
      if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
        std::string list;
        for (std::string_view c : spec.choices) list += (list.empty() ? "" : ", ") + dq(c);
        error(node.source(), "'" + key + "' must be one of " + list + ", got " + dq(s));
        return std::nullopt;
      }
      return OptionValue(s);
    }
    case OptionType::endpoint: {
      std::string why;
      auto ep = parse_endpoint(s, why);
      if (!ep) {
        error(node.source(), "invalid address in '" + key + "': " + why);
        return std::nullopt;
      }
      return OptionValue(std::move(*ep));
    }
    case OptionType::path: {
      fs::path p(s);
      if (p.is_relative()) p = base_ / p;
      return OptionValue(p.lexically_normal().string());
    }
    case OptionType::json_pointer: {
      const std::string problem = pointer_problem(s);
      if (!problem.empty()) {
        error(node.source(), "'" + key + "' " + problem + ", e.g. " + key + " = " +
                                 std::string(spec.example) + "; got " + dq(s));
        return std::nullopt;
      }
      return OptionValue(s);
    }
    default:
      return OptionValue(s);
  }
}

}  // namespace newshound::config_detail

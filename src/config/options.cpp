// Config: the one table of configuration options (key, section, type, default,
// limits, help, setter), assembled from its per-section parts
// (options_{general,input,output,tls,stories}.cpp), and the texts that describe an
// entry. Adding an option means adding one entry to its section's file;
// load_config, the docs test and the shipped-config test pick it up from the table.
#include "newshound/config/options.hpp"

#include "option_sections.hpp"

namespace newshound {

const std::vector<OptionSpec>& config_options() {
  static const std::vector<OptionSpec> table = [] {
    std::vector<OptionSpec> t;
    config_table::add_general_options(t);
    config_table::add_input_options(t);
    config_table::add_output_options(t);
    config_table::add_watchlist_options(t);
    config_table::add_tls_options(t);
    config_table::add_stories_options(t);
    return t;
  }();
  return table;
}

std::string_view section_title(ConfigSection s) {
  switch (s) {
    case ConfigSection::top:
      return "the top level";
    case ConfigSection::log:
      return "[log]";
    case ConfigSection::admin:
      return "[admin]";
    case ConfigSection::input:
      return "[[input]]";
    case ConfigSection::input_fields:
      return "[input.fields]";
    case ConfigSection::output:
      return "[[output]]";
    case ConfigSection::watchlist:
      return "[[watchlist]]";
    case ConfigSection::tls:
      return "tls";
    case ConfigSection::stories:
      return "[stories]";
  }
  return "";
}

std::string_view option_type_text(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::integer:
      return "an integer";
    case OptionType::boolean:
      return "a boolean (true or false)";
    case OptionType::string:
      return "a string";
    case OptionType::choice:
      return "a string";
    case OptionType::endpoint:
      return "a \"host:port\" string";
    case OptionType::path:
      return "a path string";
    case OptionType::json_pointer:
      return "a JSON Pointer string";
    case OptionType::json_pointers:
      return "a JSON Pointer string or an array of them";
    case OptionType::string_array:
      return "an array of strings";
    case OptionType::string_table:
      return "a table of strings";
    case OptionType::duration:
      return "a duration string with a unit (ms, s, m, h, d)";
  }
  return "";
}

std::string option_default_text(const OptionSpec& spec) {
  using config_table::kKiB;
  using config_table::kMiB;
  if (spec.required) return "required";
  if (!spec.default_doc.empty()) return std::string(spec.default_doc);
  const OptionValue& v = spec.default_value;
  if (const auto* i = std::get_if<std::int64_t>(&v); i && spec.type == OptionType::duration)
    return "`\"" + format_duration_ms(*i) + "\"`";
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    std::string s = "`" + std::to_string(*i) + "`";
    if (*i >= kMiB && *i % kMiB == 0) {
      s += " (" + std::to_string(*i / kMiB) + " MiB)";
    } else if (*i >= kKiB && *i % kKiB == 0 && spec.key.ends_with("_bytes")) {
      s += " (" + std::to_string(*i / kKiB) + " KiB)";
    }
    return s;
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "`true`" : "`false`";
  if (const auto* str = std::get_if<std::string>(&v)) return "`\"" + *str + "\"`";
  if (const auto* ep = std::get_if<Endpoint>(&v)) return "`\"" + ep->to_string() + "\"`";
  if (std::holds_alternative<std::vector<std::string>>(v)) return "`[]`";
  return "none";
}

}  // namespace newshound

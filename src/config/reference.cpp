// Config: the configuration reference as Markdown, rendered from the option
// table (config_options()): the text docs/configuration.md carries between its
// GENERATED markers, which a test keeps in sync.
#include <string>
#include <vector>

#include "newshound/config/options.hpp"

namespace newshound {
namespace {

std::string_view doc_type(const OptionSpec& s) {
  switch (s.type) {
    case OptionType::integer:
      return "integer";
    case OptionType::boolean:
      return "boolean";
    case OptionType::string:
      return "string";
    case OptionType::choice:
      return "string";
    case OptionType::endpoint:
      return "`\"host:port\"`";
    case OptionType::path:
      return "path";
    case OptionType::json_pointer:
      return "JSON Pointer";
    case OptionType::json_pointers:
      return "JSON Pointer or array of them";
    case OptionType::string_array:
      return "array of strings";
    case OptionType::string_table:
      return "table of strings";
  }
  return "";
}

std::string join(const std::vector<std::string_view>& items, std::string_view sep,
                 std::string_view quote = "") {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) s += sep;
    s += quote;
    s += items[i];
    s += quote;
  }
  return s;
}

std::string_view section_noun(ConfigSection s) {
  return s == ConfigSection::output ? "outputs" : "inputs";
}

}  // namespace

std::string config_reference_markdown() {
  const ConfigSection order[] = {ConfigSection::top,          ConfigSection::log,
                                 ConfigSection::admin,        ConfigSection::input,
                                 ConfigSection::input_fields, ConfigSection::output,
                                 ConfigSection::watchlist};
  std::string md;
  for (ConfigSection sec : order) {
    if (!md.empty()) md += '\n';
    md += sec == ConfigSection::top ? std::string("### Top level\n")
                                    : "### `" + std::string(section_title(sec)) + "`\n";
    md += "\n| Key | Type | Default | Description |\n|---|---|---|---|\n";
    for (const OptionSpec& s : config_options()) {
      if (s.section != sec) continue;
      std::string type(doc_type(s));
      if (s.type == OptionType::integer) {
        type += ", " + std::to_string(s.min) + " to " + std::to_string(s.max);
      } else if (s.type == OptionType::choice) {
        type += ": " + join(s.choices, ", ", "`");
      }
      std::string def = option_default_text(s);
      if (s.required) def = "**required**";
      std::string help(s.help);
      if (!s.applies_to.empty()) {
        help += " *Only for " + join(s.applies_to, ", ", "`") + " " +
                std::string(section_noun(sec)) + ".*";
      }
      for (std::size_t at = help.find('|'); at != std::string::npos; at = help.find('|', at + 2)) {
        help.insert(at, 1, '\\');  // a bare '|' would end the table cell
      }
      md += "| `" + std::string(s.key) + "` | " + type + " | " + def + " | " + help + " |\n";
    }
  }
  return md;
}

}  // namespace newshound
